package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A full read of a cursor-paged list method ({@code conversations.list}, {@code users.conversations},
 * {@code users.list}): one vendor page per page, following {@code response_metadata.next_cursor} until it
 * is empty. When the row scope admits nothing of the workspace ({@code workspaceAcl}, the widest ACL a
 * record of the connection has) it calls Slack not at all and ends at once.
 */
final class CursorListReader implements StreamReader {
    private final SlackApi api;
    private final StreamCall call;
    private final String method;
    private final String arrayField;
    private final Map<String, String> params;
    private final Function<JsonObject, Record> mapper;
    private final Acl workspaceAcl;
    private @Nullable String cursor;
    private boolean done;

    CursorListReader(
            SlackApi api,
            StreamCall call,
            String method,
            String arrayField,
            Map<String, String> params,
            Function<JsonObject, Record> mapper,
            Acl workspaceAcl) {
        this.api = api;
        this.workspaceAcl = workspaceAcl;
        this.call = call;
        this.method = method;
        this.arrayField = arrayField;
        this.params = params;
        this.mapper = mapper;
    }

    @Override
    public Page nextPage() {
        if (!done && !call.rowScope().admits(workspaceAcl)) {
            done = true; // the reader is kept nothing of this workspace: no Slack call (push-down)
        }
        if (done) {
            return new Page(List.of(), true);
        }
        Map<String, String> query = new LinkedHashMap<>(params);
        query.put("limit", String.valueOf(SlackSession.pageSize(call)));
        if (cursor != null) {
            query.put("cursor", cursor);
        }
        JsonObject envelope = api.read(call.http(), method, null, query);
        List<Record> records = new ArrayList<>();
        JsonArray items = envelope.array(arrayField);
        if (items != null) {
            for (JsonValue item : items) {
                if (item instanceof JsonObject o) {
                    records.add(mapper.apply(o));
                }
            }
        }
        cursor = SlackApi.nextCursor(envelope);
        done = cursor == null;
        return new Page(records, done);
    }
}
