package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.WebhookCall;
import dev.switchboard.core.connector.WebhookOutcome;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.WebhookRejectedException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.webhook.WebhookRequest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HubSpot's webhooks (CRM object subscriptions of the connection's app), verified with the v3 request
 * signature: {@code X-HubSpot-Signature-v3} is the base64 HMAC-SHA256, keyed with the app's client secret
 * (the connection's secret {@value #SECRET}), of the UTF-8 text method + URI + raw body +
 * {@code X-HubSpot-Request-Timestamp} (epoch milliseconds). The URI is the one HubSpot called, with the
 * URL-encoded characters HubSpot decodes before signing decoded ({@code ?} stays encoded). Core refuses a
 * delivery signed more than its tolerance (five minutes, HubSpot's rule) from now, and one its replay guard
 * has seen: the delivery's id is the set of its event ids, which HubSpot keeps across retries.
 *
 * <p>The body is a JSON array of events ({@code subscriptionType} {@code contact.creation},
 * {@code deal.propertyChange}, {@code ticket.deletion}, ...). Creations, property changes and restores
 * become UPSERT events, deletions and privacy deletions DELETE events, for the streams {@code contacts},
 * {@code companies}, {@code deals} and {@code tickets}; other events (associations, merges, other objects)
 * are left out. HubSpot's events carry the object's id (a property change its one new value): the records
 * named by upserts are fetched with {@code POST /crm/v3/objects/{object}/batch/read}, one request per
 * object type, so subscribers get the record as it is now. When the fetch fails (no service token, the
 * budget spent) or the record is gone already, the event goes out with the id only, and core's next poll
 * of the stream brings the record.
 */
final class HubSpotWebhooks {
    /** The name of the connection's secret that signs deliveries: the HubSpot app's client secret. */
    static final String SECRET = "client-secret";

    static final String SIGNATURE_HEADER = "X-HubSpot-Signature-v3";
    static final String TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp";

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotWebhooks.class);
    private static final Map<String, String> STREAMS =
            Map.of("contact", "contacts", "company", "companies", "deal", "deals", "ticket", "tickets");
    /** The URL-encoded characters HubSpot decodes in the URI before signing (never {@code %3F}, the '?'). */
    private static final Map<String, String> DECODED = Map.ofEntries(
            Map.entry("%3A", ":"),
            Map.entry("%2F", "/"),
            Map.entry("%40", "@"),
            Map.entry("%21", "!"),
            Map.entry("%24", "$"),
            Map.entry("%27", "'"),
            Map.entry("%28", "("),
            Map.entry("%29", ")"),
            Map.entry("%2A", "*"),
            Map.entry("%2C", ","),
            Map.entry("%3B", ";"));

    private HubSpotWebhooks() {}

    static WebhookOutcome verify(WebhookCall call, String connection, HubSpotRecords records, String budgetKey) {
        WebhookRequest request = call.request();
        String timestamp = request.header(TIMESTAMP_HEADER).orElse(null);
        String signature = request.header(SIGNATURE_HEADER).orElse(null);
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,15}")) {
            throw rejected(WebhookRejectedException.Reason.BAD_SIGNATURE, "the delivery has no v3 signature");
        }
        byte[] body = request.body();
        String expected = sign(
                call.secret(SECRET).accessToken(),
                request.method(),
                signedUri(request.uri().toString()),
                body,
                timestamp);
        // Constant time: a comparison that stops at the first difference tells an attacker how much matched.
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw rejected(
                    WebhookRejectedException.Reason.BAD_SIGNATURE, "the v3 signature does not match the request");
        }
        Instant signedAt = Instant.ofEpochMilli(Long.parseLong(timestamp));
        JsonArray events;
        try {
            events = Json.parse(new String(body, StandardCharsets.UTF_8)) instanceof JsonArray a ? a : null;
        } catch (IllegalArgumentException e) {
            events = null;
        }
        if (events == null) {
            throw rejected(WebhookRejectedException.Reason.MALFORMED, "the body is not a JSON array of events");
        }
        List<Parsed> parsed = new ArrayList<>();
        Set<String> eventIds = new TreeSet<>();
        for (JsonValue v : events) {
            if (!(v instanceof JsonObject e)) {
                throw rejected(WebhookRejectedException.Reason.MALFORMED, "an event is not an object");
            }
            String eventId = text(e, "eventId");
            if (eventId != null) {
                eventIds.add(eventId);
            }
            String type = String.valueOf(e.string("subscriptionType"));
            String objectId = text(e, "objectId");
            int dot = type.indexOf('.');
            String stream = dot < 0 ? null : STREAMS.get(type.substring(0, dot));
            if (stream == null || objectId == null) {
                continue; // an event about something the connector does not follow
            }
            ChangeEvent.Op op = switch (type.substring(dot + 1)) {
                case "creation", "propertyChange", "restore" -> ChangeEvent.Op.UPSERT;
                case "deletion", "privacyDeletion" -> ChangeEvent.Op.DELETE;
                default -> null; // merges and association changes: not changes of one record here
            };
            if (op == null) {
                continue;
            }
            String occurred = text(e, "occurredAt");
            Instant when = occurred != null && occurred.matches("[0-9]{1,15}")
                    ? Instant.ofEpochMilli(Long.parseLong(occurred))
                    : signedAt;
            parsed.add(new Parsed(stream, objectId, op, when));
        }
        Map<String, Record> fetched = fetch(call, records, budgetKey, parsed);
        List<ChangeEvent> out = new ArrayList<>();
        for (Parsed p : parsed) {
            Record record = p.op == ChangeEvent.Op.UPSERT ? fetched.get(p.stream + "/" + p.id) : null;
            out.add(
                    record != null
                            ? ChangeEvent.of(connection, record, null, ChangeEvent.Origin.WEBHOOK)
                            : ChangeEvent.of(
                                    connection, p.stream, p.id, p.op, null, p.when, ChangeEvent.Origin.WEBHOOK));
        }
        return WebhookOutcome.events(out, signedAt, deliveryId(eventIds));
    }

    private record Parsed(String stream, String id, ChangeEvent.Op op, Instant when) {}

    /** The records the upserts name, as they are now, by {@code stream/id}; empty when they cannot be fetched. */
    private static Map<String, Record> fetch(
            WebhookCall call, HubSpotRecords records, String budgetKey, List<Parsed> parsed) {
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        for (Parsed p : parsed) {
            if (p.op == ChangeEvent.Op.UPSERT) {
                wanted.computeIfAbsent(p.stream, s -> new LinkedHashSet<>()).add(p.id);
            }
        }
        Map<String, Record> out = new LinkedHashMap<>();
        VendorHttp http = call.http().orElse(null);
        if (http == null || wanted.isEmpty()) {
            return out;
        }
        try {
            for (Map.Entry<String, Set<String>> w : wanted.entrySet()) {
                String object = w.getKey();
                List<String> ids = new ArrayList<>(w.getValue());
                for (int from = 0; from < ids.size(); from += 100) {
                    List<JsonValue> inputs = new ArrayList<>();
                    for (String id : ids.subList(from, Math.min(from + 100, ids.size()))) {
                        inputs.add(JsonObject.builder().put("id", id).build());
                    }
                    List<JsonValue> props = new ArrayList<>();
                    HubSpotObjects.propertiesFor(
                                    object, HubSpotObjects.stream(object).schema(), List.of())
                            .forEach(p -> props.add(new JsonString(p)));
                    JsonObject answer = HubSpotErrors.send(
                            http,
                            VendorRequest.post("/crm/v3/objects/" + object + "/batch/read")
                                    .jsonBody(JsonObject.builder()
                                            .put("properties", JsonArray.of(props))
                                            .put("inputs", JsonArray.of(inputs))
                                            .build())
                                    .operation("webhook fetch " + object)
                                    .budgetKey(budgetKey)
                                    .retrySafe(true) // a batch read changes nothing
                                    .build());
                    JsonArray results = answer.array("results");
                    for (JsonValue v : results == null ? JsonArray.empty() : results) {
                        if (v instanceof JsonObject raw) {
                            Record r = records.crmObject(object, raw);
                            out.put(object + "/" + r.id(), r);
                        }
                    }
                }
            }
        } catch (SwitchboardException e) {
            // The events still go out, by id: core's next poll of the stream brings the records.
            LOG.warn(
                    "HubSpot webhook: could not fetch the changed records ({}); delivering their ids only",
                    e.getClass().getSimpleName());
        }
        return out;
    }

    /** The delivery's id: its event ids, which a retry of it keeps (its attemptNumber changes, its body too). */
    private static @Nullable String deliveryId(Set<String> eventIds) {
        if (eventIds.isEmpty()) {
            return null; // core uses a digest of the body
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(String.join(",", eventIds).getBytes(StandardCharsets.UTF_8));
            return "hubspot-events:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The URI as HubSpot signs it: its listed URL-encoded characters decoded (either case of hex digits). */
    static String signedUri(String uri) {
        StringBuilder out = new StringBuilder(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '%' && i + 2 < uri.length()) {
                String code = uri.substring(i, i + 3).toUpperCase(java.util.Locale.ROOT);
                String decoded = DECODED.get(code);
                if (decoded != null) {
                    out.append(decoded);
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Base64 of HMAC-SHA256(secret, method + uri + body + timestamp). */
    static String sign(String secret, String method, String uri, byte[] body, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((method + uri).getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** A field as text: HubSpot sends ids and times as JSON numbers. */
    private static @Nullable String text(JsonObject o, String name) {
        JsonValue v = o.get(name);
        if (v instanceof JsonString s) {
            return s.value();
        }
        BigDecimal n = o.number(name);
        return n == null ? null : n.toPlainString();
    }

    private static WebhookRejectedException rejected(WebhookRejectedException.Reason reason, String message) {
        return new WebhookRejectedException("hubspot", "webhook", reason, message);
    }
}
