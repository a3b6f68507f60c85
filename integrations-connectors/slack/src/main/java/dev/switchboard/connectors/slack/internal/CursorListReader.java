package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A full read of a cursor-paged list method ({@code conversations.list}, {@code users.list}): one
 * vendor page per page, following {@code response_metadata.next_cursor} until it is empty.
 */
final class CursorListReader implements StreamReader {
    private final SlackApi api;
    private final StreamCall call;
    private final String method;
    private final String arrayField;
    private final Map<String, String> params;
    private final Function<JsonObject, Record> mapper;
    private @Nullable String cursor;
    private boolean done;

    CursorListReader(
            SlackApi api,
            StreamCall call,
            String method,
            String arrayField,
            Map<String, String> params,
            Function<JsonObject, Record> mapper) {
        this.api = api;
        this.call = call;
        this.method = method;
        this.arrayField = arrayField;
        this.params = params;
        this.mapper = mapper;
    }

    @Override
    public Page nextPage() {
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
