package dev.switchboard.core.webhook;

import dev.switchboard.core.change.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to answer a webhook delivery with, and the change events it carried (already delivered to the
 * subscribers when this is returned). The application's HTTP server writes status, headers and body
 * as given: a vendor's verification challenge (Slack's {@code url_verification}, a subscription
 * validation token) needs its body echoed. Immutable.
 */
public final class WebhookResponse {
    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final List<ChangeEvent> events;

    public WebhookResponse(int status, Map<String, String> headers, byte[] body, List<ChangeEvent> events) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = Objects.requireNonNull(body, "body").clone();
        this.events = List.copyOf(events);
    }

    /** 200 with no body. */
    public static WebhookResponse ok(List<ChangeEvent> events) {
        return new WebhookResponse(200, Map.of(), new byte[0], events);
    }

    /** 200 with a text body of this content type (a verification challenge's answer). */
    public static WebhookResponse text(String contentType, String body) {
        return new WebhookResponse(
                200, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8), List.of());
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A copy of the body bytes (empty for none). */
    public byte[] body() {
        return body.clone();
    }

    /** The change events the delivery carried. */
    public List<ChangeEvent> events() {
        return events;
    }

    public WebhookResponse withEvents(List<ChangeEvent> events) {
        return new WebhookResponse(status, headers, body, events);
    }

    @Override
    public String toString() {
        return "WebhookResponse[" + status + ", " + body.length + " bytes, " + events.size() + " events]";
    }
}
