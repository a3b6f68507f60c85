package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code post_message} and {@code reply_in_thread} without posting twice. No Slack method honours an
 * idempotency key, so every post carries a marker in its message metadata
 * ({@code {"event_type": "switchboard_post", "event_payload": {"key": ...}}}). When a post's outcome
 * is unknown (the connection dropped after the request left, a 5xx, an {@code internal_error}, a
 * truncated answer: core raises each as {@link OutcomeUnknownException}, since the post is not
 * retry-safe), the poster looks for its marker in the channel's recent history (or the thread's
 * replies) before posting again, and returns the message it finds. A caller that retries the
 * action itself passes the same {@code idempotency_key}, and the marker is looked up first. Slack's
 * refusals of the caller's channel, thread or text reach the caller as core's
 * {@code InvalidInputException}.
 */
public final class SlackPoster {
    private static final Logger log = LoggerFactory.getLogger(SlackPoster.class);
    /** The metadata event type of the marker. */
    public static final String MARKER_EVENT = "switchboard_post";
    /** Posts attempted per call: the first, and one more after a lookup found nothing. */
    private static final int ATTEMPTS = 2;
    /** How far back the lookup reads: recent history pages (newest first), thread reply pages. */
    private static final int HISTORY_PAGES = 2;

    private static final int REPLY_PAGES = 10;
    private static final int LOOKUP_PAGE = 100;

    private final SlackApi api;

    public SlackPoster(SlackApi api) {
        this.api = api;
    }

    public JsonObject post(ActionCall call, boolean reply) {
        JsonObject input = call.input();
        String op = "action " + call.action().name();
        String channel = String.valueOf(input.string("channel"));
        String text = String.valueOf(input.string("text"));
        String threadTs = reply ? input.string("thread_ts") : null;
        String callerKey = input.string("idempotency_key");
        String key = callerKey != null ? callerKey : UUID.randomUUID().toString();
        VendorHttp http = call.http();

        if (callerKey != null) {
            JsonObject existing = find(http, channel, threadTs, key);
            if (existing != null) {
                return output(channel, existing, key, true);
            }
        }
        JsonObject body = body(channel, text, threadTs, key, input);
        OutcomeUnknownException unknown = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                // Slack's refusals of the caller's channel, thread or text come back as InvalidInputException.
                JsonObject envelope = api.post(http, channel, body);
                JsonObject message = envelope.object("message");
                return output(
                        channel,
                        message != null
                                ? message
                                : JsonObject.builder()
                                        .put("ts", envelope.string("ts"))
                                        .build(),
                        key,
                        false);
            } catch (OutcomeUnknownException e) {
                // The connection dropped after the request left, a 5xx or internal_error, or a cut-off answer.
                unknown = e;
            }
            log.info("Outcome of a Slack post to {} unknown; looking for its marker before posting again", channel);
            JsonObject existing;
            try {
                existing = find(http, channel, threadTs, key);
            } catch (SwitchboardException lookupFailed) {
                unknown.addSuppressed(lookupFailed);
                throw unknown;
            }
            if (existing != null) {
                return output(channel, existing, key, true);
            }
        }
        throw unknown;
    }

    private static JsonObject body(
            String channel, String text, @Nullable String threadTs, String key, JsonObject input) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("channel", channel);
        b.put("text", text);
        if (threadTs != null) {
            b.put("thread_ts", threadTs);
            if (Boolean.TRUE.equals(input.bool("reply_broadcast"))) {
                b.put("reply_broadcast", true);
            }
        }
        b.put("metadata", Map.of("event_type", MARKER_EVENT, "event_payload", Map.of("key", key)));
        return dev.switchboard.core.json.Json.objectFrom(b);
    }

    /** The message carrying this marker, or null when none is found in the window looked at. */
    @Nullable
    JsonObject find(VendorHttp http, String channel, @Nullable String threadTs, String key) {
        String method = threadTs == null ? "conversations.history" : "conversations.replies";
        int pages = threadTs == null ? HISTORY_PAGES : REPLY_PAGES;
        String cursor = null;
        for (int page = 0; page < pages; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("channel", channel);
            if (threadTs != null) {
                query.put("ts", threadTs);
            }
            query.put("include_all_metadata", "true");
            query.put("limit", String.valueOf(LOOKUP_PAGE));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonObject envelope;
            try {
                envelope = api.read(http, method, channel, query);
            } catch (PermanentException e) {
                if (e.vendorCode()
                        .filter(SlackResponseClassifier.REQUEST_ERRORS::contains)
                        .isPresent()) {
                    return null; // the channel or thread cannot hold our message; the post itself will say why
                }
                throw e;
            }
            JsonArray messages = envelope.array("messages");
            for (JsonValue v : messages == null ? JsonArray.empty() : messages) {
                if (v instanceof JsonObject m && carries(m, key)) {
                    return m;
                }
            }
            cursor = SlackApi.nextCursor(envelope);
            if (cursor == null) {
                break;
            }
        }
        return null;
    }

    static boolean carries(JsonObject message, String key) {
        JsonObject metadata = message.object("metadata");
        if (metadata == null || !MARKER_EVENT.equals(metadata.string("event_type"))) {
            return false;
        }
        JsonObject payload = metadata.object("event_payload");
        return payload != null && key.equals(payload.string("key"));
    }

    private static JsonObject output(String channel, JsonObject message, String key, boolean alreadyPosted) {
        JsonObject.Builder b = JsonObject.builder()
                .put("channel", channel)
                .put("ts", message.string("ts"))
                .put("idempotency_key", key)
                .put("already_posted", alreadyPosted);
        String threadTs = message.string("thread_ts");
        if (threadTs != null) {
            b.put("thread_ts", threadTs);
        }
        return b.build();
    }
}
