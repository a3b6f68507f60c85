package dev.switchboard.core.support;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.WebhookCall;
import dev.switchboard.core.connector.WebhookOutcome;
import dev.switchboard.core.error.WebhookRejectedException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.webhook.WebhookRequest;
import dev.switchboard.core.webhook.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the help desk signs its webhooks, after Slack's scheme: {@code X-Helpdesk-Request-Timestamp} is
 * the time of sending in epoch seconds, and {@code X-Helpdesk-Signature} is {@code v0=} and the hex
 * HMAC-SHA256, keyed with the connection's secret {@value #SECRET}, of {@code v0:{timestamp}:{raw body}}.
 * A body of type {@code url_verification} is a challenge whose {@code challenge} must be echoed; one of
 * type {@code event_callback} carries {@code event_id} and an {@code event} naming a ticket
 * ({@code ticket.created}, {@code ticket.updated}, {@code ticket.deleted}), or a batch of them in
 * {@code events}.
 */
public final class HelpdeskWebhooks {
    /** The name of the signing secret, stored under {@code ConnectionConfig.secretKey(SECRET)}. */
    public static final String SECRET = "signing-secret";

    public static final String TIMESTAMP_HEADER = "X-Helpdesk-Request-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Helpdesk-Signature";

    private HelpdeskWebhooks() {}

    static WebhookOutcome verify(WebhookCall call, String connection) {
        WebhookRequest request = call.request();
        String timestamp = request.header(TIMESTAMP_HEADER).orElse(null);
        String signature = request.header(SIGNATURE_HEADER).orElse(null);
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")) {
            throw rejected(WebhookRejectedException.Reason.BAD_SIGNATURE, "the delivery is not signed");
        }
        byte[] expected = ("v0=" + hmac(call.secret(SECRET).accessToken(), "v0:" + timestamp + ":", request.body()))
                .getBytes(StandardCharsets.US_ASCII);
        // Constant time: a comparison that stops at the first difference tells an attacker how much matched.
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw rejected(WebhookRejectedException.Reason.BAD_SIGNATURE, "the signature does not match the body");
        }
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        JsonObject body;
        try {
            body = Json.parseObject(request.body());
        } catch (IllegalArgumentException e) {
            throw rejected(WebhookRejectedException.Reason.MALFORMED, "the body is not a JSON object");
        }
        String type = String.valueOf(body.string("type"));
        if (type.equals("url_verification")) {
            String challenge = body.string("challenge");
            if (challenge == null) {
                throw rejected(WebhookRejectedException.Reason.MALFORMED, "a challenge without its value");
            }
            return WebhookOutcome.challenge(WebhookResponse.text("text/plain", challenge), signedAt);
        }
        String eventId = body.string("event_id");
        JsonObject single = body.object("event");
        JsonArray batch = body.array("events");
        if (!type.equals("event_callback") || eventId == null || (single == null && batch == null)) {
            throw rejected(WebhookRejectedException.Reason.MALFORMED, "not an event callback");
        }
        List<ChangeEvent> events = new ArrayList<>();
        for (JsonValue item : single != null ? List.<JsonValue>of(single) : batch.elements()) {
            if (!(item instanceof JsonObject event)) {
                throw rejected(WebhookRejectedException.Reason.MALFORMED, "an event is not an object");
            }
            String ticket = event.string("ticket_id");
            String kind = String.valueOf(event.string("type"));
            if (ticket == null || !kind.startsWith("ticket.")) {
                continue; // an event about something else
            }
            String updatedAt = event.string("updated_at");
            Instant when;
            try {
                when = updatedAt == null ? signedAt : Instant.parse(updatedAt);
            } catch (DateTimeParseException e) {
                throw rejected(WebhookRejectedException.Reason.MALFORMED, "updated_at is not a timestamp");
            }
            ChangeEvent.Op op = kind.equals("ticket.deleted") ? ChangeEvent.Op.DELETE : ChangeEvent.Op.UPSERT;
            events.add(ChangeEvent.of(connection, "tickets", ticket, op, updatedAt, when, ChangeEvent.Origin.WEBHOOK));
        }
        return WebhookOutcome.events(events, signedAt, eventId);
    }

    private static String hmac(String secret, String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static WebhookRejectedException rejected(WebhookRejectedException.Reason reason, String message) {
        return new WebhookRejectedException(HelpdeskConnector.ID, "webhook", reason, message);
    }
}
