package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.ActionSummaries;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.RecordRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code post_message} and {@code reply_in_thread} would do: a one-sentence summary from the input
 * (the message by its length, never its words), and a dry run that reads the channel
 * ({@code conversations.info}), the thread's parent ({@code conversations.replies}) and, with an
 * idempotency key, the marker of a message already posted, all with GET; nothing is posted.
 */
final class SlackPreviews {
    private final SlackApi api;
    private final SlackPoster poster;
    private final String connection;

    SlackPreviews(SlackApi api, SlackPoster poster, String connection) {
        this.api = api;
        this.poster = poster;
        this.connection = connection;
    }

    Optional<String> summarize(ActionDescriptor action, JsonObject input) {
        String channel = String.valueOf(input.string("channel"));
        String length = ActionSummaries.length(String.valueOf(input.string("text")));
        return switch (action.name()) {
            case SlackDescriptors.POST_MESSAGE ->
                Optional.of("Post a message of " + length + " to Slack channel #" + channel + " as the app in"
                        + " connection " + connection);
            case SlackDescriptors.REPLY_IN_THREAD ->
                Optional.of("Reply with a message of " + length + " in the thread of message "
                        + input.string("thread_ts") + " in Slack channel #" + channel + " as the app"
                        + (Boolean.TRUE.equals(input.bool("reply_broadcast")) ? ", also shown in the channel" : "")
                        + " in connection " + connection);
            default -> Optional.empty();
        };
    }

    /**
     * The channel as Slack holds it (name, private, archived, whether the app is a member), the thread's
     * parent for a reply, and whether the post would happen: not when the app is not in the channel, the
     * channel is archived, or a message with the caller's idempotency key is there already. A channel or
     * thread that is not there fails the dry run as the post would fail.
     */
    ActionPreview dryRun(ActionCall call) {
        JsonObject input = call.input();
        String channelId = String.valueOf(input.string("channel"));
        boolean reply = call.action().name().equals(SlackDescriptors.REPLY_IN_THREAD);
        String threadTs = reply ? input.string("thread_ts") : null;
        JsonObject info = api.read(call.http(), "conversations.info", channelId, Map.of("channel", channelId));
        JsonObject channel = info.object("channel") == null ? JsonObject.empty() : info.object("channel");
        boolean member = Boolean.TRUE.equals(channel.bool("is_member"));
        boolean archived = Boolean.TRUE.equals(channel.bool("is_archived"));
        @Nullable String refusal = archived ? "is_archived" : member ? null : "not_in_channel";
        List<RecordRef> affected = new ArrayList<>();
        if (threadTs != null && refusal == null) {
            // The parent must be there: Slack refuses a reply to a thread it does not find.
            api.read(
                    call.http(),
                    "conversations.replies",
                    channelId,
                    Map.of("channel", channelId, "ts", threadTs, "limit", "1"));
            affected.add(RecordRef.changed(SlackDescriptors.MESSAGES, SlackRecords.messageId(channelId, threadTs)));
        }
        JsonObject existing = null;
        String key = input.string("idempotency_key");
        if (key != null && refusal == null) {
            existing = poster.find(call.http(), channelId, threadTs, key);
        }
        JsonObject.Builder wouldChange = JsonObject.builder()
                .put("post", reply ? "reply" : "message")
                .put(
                        "channel",
                        JsonObject.builder()
                                .put("id", channelId)
                                .put("name", channel.string("name"))
                                .put("is_private", Boolean.TRUE.equals(channel.bool("is_private")))
                                .put("is_archived", archived)
                                .put("is_member", member)
                                .build())
                .put("text", input.string("text"))
                .put("wouldPost", refusal == null && existing == null)
                .put("already_posted", existing != null);
        if (threadTs != null) {
            wouldChange.put("thread_ts", threadTs);
            wouldChange.put("reply_broadcast", Boolean.TRUE.equals(input.bool("reply_broadcast")));
        }
        if (refusal != null) {
            wouldChange.put("refusal", refusal);
        }
        if (existing != null && existing.string("ts") != null) {
            affected.add(
                    0,
                    RecordRef.changed(
                            SlackDescriptors.MESSAGES,
                            SlackRecords.messageId(channelId, String.valueOf(existing.string("ts")))));
        }
        return new ActionPreview(wouldChange.build(), refusal == null ? affected : List.of());
    }
}
