package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.ResponseClassifier;
import dev.switchboard.core.http.RetryAfter;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Slack answers most errors as HTTP 200 with {@code {"ok": false, "error": "..."}}, so the status
 * alone lies. The error code decides:
 * <ul>
 *   <li>{@code invalid_auth}, {@code not_authed}, {@code token_expired}, {@code token_revoked},
 *       {@code account_inactive}: AUTH_REJECTED (core refreshes once, then asks for reauthorization);
 *   <li>{@code ratelimited} (in a 200, or HTTP 429 with {@code Retry-After} in seconds): THROTTLED;
 *   <li>{@code internal_error}, {@code fatal_error}, {@code service_unavailable},
 *       {@code request_timeout}: TRANSIENT;
 *   <li>errors about a request's arguments ({@link #REQUEST_ERRORS}: the channel, the thread, the
 *       text): INVALID_INPUT on {@code chat.postMessage}, whose arguments are the caller's; on a read,
 *       whose arguments are the connector's, PERMANENT with the code, which the reader maps with
 *       {@code PermanentException.vendorCode()} (the caller's channel filter, or a channel that
 *       vanished during a read);
 *   <li>any other code ({@code invalid_cursor}, {@code missing_scope}, ...): PERMANENT with the code.
 * </ul>
 * Non-JSON answers and other statuses go to {@link ResponseClassifier#standard()}.
 */
public final class SlackResponseClassifier implements ResponseClassifier {
    static final Set<String> AUTH_ERRORS =
            Set.of("invalid_auth", "not_authed", "token_expired", "token_revoked", "account_inactive");
    static final Set<String> TRANSIENT_ERRORS =
            Set.of("internal_error", "fatal_error", "service_unavailable", "request_timeout");
    /** Errors about the arguments of a request: the caller's input on a post. */
    public static final Set<String> REQUEST_ERRORS = Set.of(
            "channel_not_found",
            "not_in_channel",
            "is_archived",
            "msg_too_long",
            "no_text",
            "invalid_arguments",
            "invalid_blocks",
            "invalid_metadata_format",
            "invalid_metadata_schema",
            "metadata_too_large",
            "too_many_attachments",
            "thread_not_found",
            "cannot_reply_to_message");

    @Override
    public ResponseClass classify(VendorResponse response, Clock clock) {
        int status = response.status();
        if (status == 429) {
            Duration wait =
                    RetryAfter.parse(response.header("Retry-After"), clock).orElse(null);
            return ResponseClass.throttled(wait, "slack:" + response.request().operation());
        }
        if (status != 200 || !response.isJson() || response.bodyLength() == 0) {
            return ResponseClassifier.standard().classify(response, clock);
        }
        if (!(response.json() instanceof JsonObject body) || !Boolean.FALSE.equals(body.bool("ok"))) {
            return ResponseClass.ok();
        }
        String error = body.string("error");
        if (error == null) {
            return ResponseClass.permanent("unknown_error", "ok:false without an error code");
        }
        if (AUTH_ERRORS.contains(error)) {
            return ResponseClass.authRejected(error);
        }
        if (error.equals("ratelimited")) {
            Duration wait =
                    RetryAfter.parse(response.header("Retry-After"), clock).orElse(null);
            return ResponseClass.throttled(wait, "slack:" + response.request().operation());
        }
        if (TRANSIENT_ERRORS.contains(error)) {
            return ResponseClass.transientFailure(
                    RetryAfter.parse(response.header("Retry-After"), clock).orElse(null), error);
        }
        if (REQUEST_ERRORS.contains(error)
                && SlackTiers.POST_MESSAGE.equals(response.request().operation())) {
            return ResponseClass.invalidInput(error, explain(error));
        }
        String needed = body.string("needed");
        return ResponseClass.permanent(error, needed == null ? null : "needs scope " + needed);
    }

    /** What the caller can do about an argument error, in words. */
    static String explain(String error) {
        return switch (error) {
            case "channel_not_found" -> "no such channel, or the app cannot see it";
            case "not_in_channel" -> "the app is not a member of the channel";
            case "is_archived" -> "the channel is archived";
            case "msg_too_long" -> "the text is longer than Slack accepts (40,000 characters)";
            case "no_text" -> "the message has no text";
            case "thread_not_found", "cannot_reply_to_message" -> "thread_ts names no message that can take replies";
            default -> "fix the input and call again";
        };
    }
}
