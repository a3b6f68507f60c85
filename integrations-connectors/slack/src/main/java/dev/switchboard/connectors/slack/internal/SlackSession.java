package dev.switchboard.connectors.slack.internal;

import dev.switchboard.connectors.slack.SlackSettings;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.connector.WebhookCall;
import dev.switchboard.core.connector.WebhookOutcome;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.RecordRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A Slack connection: readers per stream, the poster for actions. Thread-safe (holds no mutable state). */
public final class SlackSession implements ConnectorSession {
    /** Slack recommends at most 200 objects a page; more risks timeouts. */
    static final int DEFAULT_PAGE = 200;

    static final int MAX_PAGE = 999;

    private final SlackApi api;
    private final SlackRecords records;
    private final SlackPoster poster;
    private final SlackPreviews previews;
    private final SlackSettings settings;
    private final Clock clock;
    private final SlackWebhooks webhooks;

    public SlackSession(String connection, SlackSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.api = new SlackApi(settings.teamId());
        this.records = new SlackRecords(connection, settings.teamId());
        this.poster = new SlackPoster(api);
        this.previews = new SlackPreviews(api, poster, connection);
        this.webhooks = new SlackWebhooks(connection, records);
    }

    static int pageSize(StreamCall call) {
        int asked = call.request().pageSize();
        return asked == 0 ? DEFAULT_PAGE : Math.min(asked, MAX_PAGE);
    }

    @Override
    public StreamReader openStream(StreamCall call) {
        String stream = call.stream().name();
        Set<String> filters = call.request().filter().keySet();
        Set<String> allowed = switch (stream) {
            case SlackDescriptors.MESSAGES -> Set.of("channel");
            case SlackDescriptors.CONVERSATIONS -> Set.of("user");
            default -> Set.of();
        };
        if (!allowed.containsAll(filters)) {
            throw new InvalidInputException(
                    SlackApi.CONNECTOR,
                    "read " + stream,
                    "stream '" + stream + "' can be filtered by " + (allowed.isEmpty() ? "nothing" : allowed) + ", not "
                            + filters);
        }
        return switch (stream) {
            case SlackDescriptors.CONVERSATIONS -> conversations(call);
            case SlackDescriptors.USERS ->
                new CursorListReader(
                        api, call, "users.list", "members", Map.of(), records::user, records.workspaceAcl());
            case SlackDescriptors.MESSAGES ->
                new MessagesReader(api, records, call, settings.threadLookback(), clock.instant());
            default ->
                throw new InvalidInputException(SlackApi.CONNECTOR, "read " + stream, "no stream '" + stream + "'");
        };
    }

    /**
     * The workspace's channels ({@code conversations.list}), or with a {@code user} filter the conversations
     * that user is a member of ({@code users.conversations}: channels, group DMs and DMs; of the non-public
     * ones, only those the app is in too, as Slack answers a bot token).
     */
    private CursorListReader conversations(StreamCall call) {
        String user = call.request().filter().get("user");
        if (user == null) {
            return new CursorListReader(
                    api,
                    call,
                    "conversations.list",
                    "channels",
                    Map.of("types", "public_channel,private_channel"),
                    records::conversation,
                    records.workspaceAcl());
        }
        if (!user.matches("[UW][A-Z0-9]+")) {
            throw new InvalidInputException(
                    SlackApi.CONNECTOR,
                    "read conversations",
                    "the user filter takes a Slack user id such as U0123ABCD (not a name or an email)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", user);
        params.put("types", "public_channel,private_channel,mpim,im");
        return new CursorListReader(
                api, call, "users.conversations", "channels", params, records::conversation, records.workspaceAcl());
    }

    /** An Events API delivery: verified with the connection's signing secret, its message events as changes. */
    @Override
    public WebhookOutcome webhook(WebhookCall call) {
        return webhooks.handle(call);
    }

    @Override
    public Optional<String> summarize(ActionDescriptor action, JsonObject input) {
        return previews.summarize(action, input);
    }

    /** Reads (GET only) the channel, thread and any message already posted with the key; posts nothing. */
    @Override
    public ActionPreview dryRun(ActionCall call) {
        return previews.dryRun(call);
    }

    /** Affected: the message posted, and for a reply the thread's parent (its reply count changed). */
    @Override
    public ActionOutput execute(ActionCall call) {
        JsonObject out = switch (call.action().name()) {
            case SlackDescriptors.POST_MESSAGE -> poster.post(call, false);
            case SlackDescriptors.REPLY_IN_THREAD -> poster.post(call, true);
            default ->
                throw new InvalidInputException(
                        SlackApi.CONNECTOR,
                        "action " + call.action().name(),
                        "no action '" + call.action().name() + "'");
        };
        String channel = String.valueOf(out.string("channel"));
        List<RecordRef> affected = new ArrayList<>();
        String ts = out.string("ts");
        if (ts != null) {
            affected.add(RecordRef.changed(SlackDescriptors.MESSAGES, SlackRecords.messageId(channel, ts)));
        }
        String threadTs = out.string("thread_ts");
        if (threadTs != null && !threadTs.equals(ts)) {
            affected.add(RecordRef.changed(SlackDescriptors.MESSAGES, SlackRecords.messageId(channel, threadTs)));
        }
        return new ActionOutput(out, affected);
    }
}
