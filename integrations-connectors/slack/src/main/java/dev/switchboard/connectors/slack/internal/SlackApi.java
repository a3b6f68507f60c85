package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.JsonObject;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds Web API requests (path, budget key, operation name) and reads their envelopes. */
public final class SlackApi {
    /** The connector id, named in errors. */
    public static final String CONNECTOR = "slack";

    private final String team;

    public SlackApi(String team) {
        this.team = team;
    }

    public String team() {
        return team;
    }

    /**
     * Calls a read method. Returns the {@code ok:true} envelope; every error is raised by the pipeline
     * as {@link SlackResponseClassifier} classified it (an argument error as a {@link PermanentException}
     * whose {@code vendorCode()} is Slack's code, for the reader to map).
     *
     * @param channel the channel the call is about, if any
     * @param params query parameters in order
     */
    public JsonObject read(VendorHttp http, String method, @Nullable String channel, Map<String, String> params) {
        VendorRequest.Builder b = VendorRequest.get("/api/" + method)
                .operation(method)
                .budgetKey(SlackTiers.budgetKey(team, method, channel));
        params.forEach(b::query);
        return send(http, b.build(), method);
    }

    /**
     * Sends a request. {@code missing_scope} becomes {@link ReauthorizationRequiredException}: only a new
     * grant adds a scope (a token refresh keeps the scopes it had), so the caller must authorize the
     * connection again with the scope Slack names.
     */
    private static JsonObject send(VendorHttp http, VendorRequest request, String method) {
        try {
            return envelope(http.execute(request).json(), method);
        } catch (PermanentException e) {
            if (e.vendorCode().filter("missing_scope"::equals).isPresent()) {
                throw new ReauthorizationRequiredException(
                        CONNECTOR,
                        method,
                        "the Slack grant lacks a scope " + method + " needs (" + withoutPrefix(e)
                                + "); authorize the connection again with that scope",
                        e);
            }
            throw e;
        }
    }

    /** The pipeline's message without the "[connector operation] " the new exception adds again. */
    private static String withoutPrefix(PermanentException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = "[" + e.connector() + " " + e.operation() + "] ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /**
     * Calls chat.postMessage once; the pipeline must never resend it by itself. An argument error
     * (the channel, the thread, the text) comes back as an {@code InvalidInputException}.
     */
    public JsonObject post(VendorHttp http, String channel, JsonObject body) {
        VendorRequest request = VendorRequest.post("/api/" + SlackTiers.POST_MESSAGE)
                .operation(SlackTiers.POST_MESSAGE)
                .budgetKey(SlackTiers.budgetKey(team, SlackTiers.POST_MESSAGE, channel))
                .retrySafe(false)
                .jsonBody(body)
                .build();
        return send(http, request, SlackTiers.POST_MESSAGE);
    }

    private static JsonObject envelope(Object json, String method) {
        if (json instanceof JsonObject o) {
            return o;
        }
        throw new PermanentException(CONNECTOR, method, "Slack answered with JSON that is not an object");
    }

    /** The next page's cursor, or null at the end ({@code response_metadata.next_cursor} is empty). */
    public static @Nullable String nextCursor(JsonObject envelope) {
        JsonObject meta = envelope.object("response_metadata");
        String next = meta == null ? null : meta.string("next_cursor");
        return next == null || next.isEmpty() ? null : next;
    }
}
