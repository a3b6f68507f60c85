package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.WebhookCall;
import dev.switchboard.core.connector.WebhookOutcome;
import dev.switchboard.core.error.WebhookRejectedException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.webhook.WebhookRequest;
import dev.switchboard.core.webhook.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's Events API deliveries, verified as Slack signs them: {@code X-Slack-Signature} is {@code v0=}
 * and the hex HMAC-SHA256, keyed with the app's signing secret (the connection's secret
 * {@value #SECRET}), of {@code v0:{X-Slack-Request-Timestamp}:{raw body}}, compared in constant time.
 * Core refuses a delivery signed more than its tolerance (five minutes by default) from now, and one
 * whose {@code event_id} its replay guard has seen: Slack's retries ({@code X-Slack-Retry-Num}) carry
 * the event id of the first attempt, so a retry is delivered once.
 *
 * <p>A {@code url_verification} body is answered with its {@code challenge}. Of {@code event_callback}
 * bodies, {@code message} events become change events of the {@code messages} stream: a new message or
 * thread reply (any subtype that is not hidden) and {@code message_changed} an upsert carrying the
 * message as Slack sends it, {@code message_deleted} a delete. Other events carry no change of a stream
 * this connector reads and are accepted with none.
 */
public final class SlackWebhooks {
    /** The name of the signing secret, stored under {@code ConnectionConfig.secretKey("signing-secret")}. */
    public static final String SECRET = "signing-secret";

    static final String TIMESTAMP = "X-Slack-Request-Timestamp";
    static final String SIGNATURE = "X-Slack-Signature";

    private final String connection;
    private final SlackRecords records;

    SlackWebhooks(String connection, SlackRecords records) {
        this.connection = connection;
        this.records = records;
    }

    WebhookOutcome handle(WebhookCall call) {
        WebhookRequest request = call.request();
        String timestamp = request.header(TIMESTAMP).orElse(null);
        String signature = request.header(SIGNATURE).orElse(null);
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")) {
            throw rejected(WebhookRejectedException.Reason.BAD_SIGNATURE, "the delivery carries no Slack signature");
        }
        byte[] expected = signature(call.secret(SECRET).accessToken(), timestamp, request.body())
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
                throw rejected(WebhookRejectedException.Reason.MALFORMED, "a url_verification without its challenge");
            }
            return WebhookOutcome.challenge(WebhookResponse.text("text/plain", challenge), signedAt);
        }
        String eventId = body.string("event_id");
        JsonObject event = body.object("event");
        if (!type.equals("event_callback") || eventId == null || event == null) {
            throw rejected(WebhookRejectedException.Reason.MALFORMED, "not an Events API event_callback");
        }
        return WebhookOutcome.events(events(event), signedAt, eventId);
    }

    /** The change events of one Slack event: none, or one of a message. */
    private List<ChangeEvent> events(JsonObject event) {
        String channel = event.string("channel");
        if (!"message".equals(event.string("type")) || channel == null) {
            return List.of();
        }
        // Only "channel" is a public channel; "group" (private), "im", "mpim", and any type Slack adds later
        // are private to the conversation's members.
        boolean privateChannel = !"channel".equals(event.string("channel_type"));
        String subtype = event.string("subtype");
        if ("message_deleted".equals(subtype)) {
            String deleted = event.string("deleted_ts");
            if (deleted == null) {
                throw rejected(WebhookRejectedException.Reason.MALFORMED, "a message_deleted without deleted_ts");
            }
            String at = event.string("ts");
            return List.of(ChangeEvent.of(
                    connection,
                    SlackDescriptors.MESSAGES,
                    SlackRecords.messageId(channel, deleted),
                    ChangeEvent.Op.DELETE,
                    at,
                    SlackRecords.instant(at),
                    ChangeEvent.Origin.WEBHOOK));
        }
        JsonObject message;
        if ("message_changed".equals(subtype)) {
            message = event.object("message");
            if (message == null || message.string("ts") == null) {
                throw rejected(WebhookRejectedException.Reason.MALFORMED, "a message_changed without its message");
            }
        } else if (Boolean.TRUE.equals(event.bool("hidden")) || event.string("ts") == null) {
            return List.of(); // message_replied and other notices: the reply itself comes as its own event
        } else {
            // A new message or thread reply: the event is the message, with the envelope's fields added.
            message = event.without("channel")
                    .without("channel_type")
                    .without("event_ts")
                    .without("hidden");
        }
        Record r = records.message(channel, privateChannel, message.without("channel"));
        return List.of(ChangeEvent.of(connection, r, null, ChangeEvent.Origin.WEBHOOK));
    }

    /** Slack's signature of a body: {@code v0=} and the hex HMAC-SHA256 of {@code v0:timestamp:body}. */
    static String signature(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static WebhookRejectedException rejected(WebhookRejectedException.Reason reason, String message) {
        return new WebhookRejectedException(SlackApi.CONNECTOR, "webhook", reason, message);
    }

    @Override
    public String toString() {
        return "SlackWebhooks[" + connection + "]";
    }
}
