package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.error.WebhookRejectedException;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.webhook.WebhookRequest;
import dev.switchboard.core.webhook.WebhookResponse;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HubSpot webhooks through {@code Switchboard.webhooks()}: the v3 signature (valid, invalid, stale,
 * replayed), and property changes, creations and deletions as change events, the changed records fetched.
 */
class HubSpotWebhookTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    private static final String SECRET = "app-client-secret-for-tests";
    private static final URI TARGET = URI.create("https://app.example.com/webhooks/hubspot-acme");
    /**
     * HubSpot's documented example of a webhook body (its request-validation guide, for the v1 signature):
     * one {@code contact.creation} event of portal 62515. HubSpot publishes worked signatures for v1 and v2
     * only, none for v3.
     */
    private static final String DOCUMENTED_BODY = "[{\"eventId\":1,\"subscriptionId\":12345,\"portalId\":62515,"
            + "\"occurredAt\":1564113600000,\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0,"
            + "\"objectId\":123,\"changeSource\":\"CRM\",\"changeFlag\":\"NEW\",\"appId\":54321}]";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final List<ChangeEvent> events = new ArrayList<>();
    private HubSpotHarness hub;
    private Subscription feed;

    @BeforeEach
    void open() {
        FAKE.subscribeWebhooks(TARGET, SECRET);
        hub = HubSpotHarness.virtual(FAKE, clock, Map.of());
        hub.tokenStore()
                .compareAndSet(
                        "hubspot-acme#" + HubSpotConnector.WEBHOOK_SECRET,
                        0,
                        Credential.builder(SECRET).build());
        feed = hub.switchboard.subscribe(
                HubSpotHarness.CONTEXT,
                ChangeRequest.builder("webhook-test", "hubspot-acme")
                        .streams("contacts", "tickets")
                        .manual()
                        .build(),
                events::add);
    }

    @AfterEach
    void close() {
        feed.close();
        hub.close();
    }

    private WebhookResponse deliver(WebhookRequest request) {
        return hub.switchboard.webhooks().handle(request);
    }

    /** The v3 signature computed here, apart from the connector's code: base64 HMAC-SHA256 of method+uri+body+ts. */
    private static String v3(String secret, String method, String uri, String body, String timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder()
                .encodeToString(mac.doFinal((method + uri + body + timestamp).getBytes(StandardCharsets.UTF_8)));
    }

    private static WebhookRequest request(String body, String timestamp, String signature) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("X-HubSpot-Request-Timestamp", List.of(timestamp));
        headers.put("X-HubSpot-Signature-v3", List.of(signature));
        return new WebhookRequest("hubspot-acme", "POST", TARGET, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDocumentedEventSignedWithV3IsAcceptedAsACreation() throws Exception {
        String timestamp = Long.toString(clock.instant().toEpochMilli());
        String signature = v3(SECRET, "POST", TARGET.toString(), DOCUMENTED_BODY, timestamp);

        WebhookResponse answer = deliver(request(DOCUMENTED_BODY, timestamp, signature));

        assertThat(answer.status()).isEqualTo(200);
        // Contact 123 is not in the portal: the event goes out with its id only (core runs the stream's next
        // poll early, which brings the record to subscribers, filtered; a user's listener hears no id-only upsert).
        assertThat(answer.events()).singleElement().satisfies(e -> {
            assertThat(e.stream()).isEqualTo("contacts");
            assertThat(e.recordId()).isEqualTo("123");
            assertThat(e.op()).isEqualTo(ChangeEvent.Op.UPSERT);
            assertThat(e.record()).isNull();
            assertThat(e.origin()).isEqualTo(ChangeEvent.Origin.WEBHOOK);
        });
    }

    @Test
    void aSignatureOverAnotherBodyIsRefused() throws Exception {
        String timestamp = Long.toString(clock.instant().toEpochMilli());
        String signature = v3(SECRET, "POST", TARGET.toString(), DOCUMENTED_BODY, timestamp);
        String tampered = DOCUMENTED_BODY.replace("\"objectId\":123", "\"objectId\":124");

        WebhookRejectedException e = catchThrowableOfType(
                WebhookRejectedException.class, () -> deliver(request(tampered, timestamp, signature)));

        assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.BAD_SIGNATURE);
        assertThat(events).isEmpty();
    }

    @Test
    void aSignatureWithAnotherSecretIsRefused() throws Exception {
        String timestamp = Long.toString(clock.instant().toEpochMilli());
        String signature = v3("another-apps-secret", "POST", TARGET.toString(), DOCUMENTED_BODY, timestamp);

        WebhookRejectedException e = catchThrowableOfType(
                WebhookRejectedException.class, () -> deliver(request(DOCUMENTED_BODY, timestamp, signature)));

        assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.BAD_SIGNATURE);
    }

    @Test
    void aDeliverySignedMoreThanFiveMinutesAgoIsRefusedAsStale() {
        byte[] body = DOCUMENTED_BODY.getBytes(StandardCharsets.UTF_8);
        WebhookRequest old =
                FAKE.signedDelivery("hubspot-acme", body, clock.instant().minus(Duration.ofMinutes(6)));
        WebhookRequest recent =
                FAKE.signedDelivery("hubspot-acme", body, clock.instant().minus(Duration.ofMinutes(4)));

        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, () -> deliver(old));

        assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.STALE);
        assertThat(deliver(recent).status()).as("within the five minutes").isEqualTo(200);
    }

    @Test
    void aReplayedDeliveryIsAppliedOnce() {
        String ticket = FAKE.liveIds("tickets").get(0);
        clock.advance(Duration.ofSeconds(1));
        FAKE.set("tickets", ticket, "hs_pipeline_stage", "3");
        WebhookRequest delivery = FAKE.takeWebhookDeliveries("hubspot-acme").get(0);
        deliver(delivery);
        clock.advance(Duration.ofSeconds(30));

        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, () -> deliver(delivery));

        assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.REPLAY);
        assertThat(events).hasSize(1);
    }

    @Test
    void hubSpotsRetryOfADeliveryIsAReplayThoughItsBodyAndSignatureChanged() {
        String ticket = FAKE.liveIds("tickets").get(0);
        clock.advance(Duration.ofSeconds(1));
        FAKE.set("tickets", ticket, "hs_pipeline_stage", "2");
        WebhookRequest first = FAKE.takeWebhookDeliveries("hubspot-acme").get(0);
        deliver(first);
        clock.advance(Duration.ofSeconds(60));
        // HubSpot retries the same events with the next attemptNumber, signed anew.
        byte[] retried = first.bodyText()
                .replace("\"attemptNumber\":0", "\"attemptNumber\":1")
                .getBytes(StandardCharsets.UTF_8);
        WebhookRequest retry = FAKE.signedDelivery("hubspot-acme", retried, clock.instant());

        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, () -> deliver(retry));

        assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.REPLAY);
        assertThat(events).hasSize(1);
    }

    @Test
    void propertyChangesCreationsAndDeletionsBecomeChangeEventsWithTheRecordsFetched() {
        String ticket = FAKE.liveIds("tickets").get(0);
        String gone = FAKE.liveIds("tickets").get(1);
        clock.advance(Duration.ofSeconds(1));
        FAKE.set("tickets", ticket, "hs_pipeline_stage", "4");
        String created = FAKE.put("contacts", Map.of("email", "new@example.com"), clock.instant());
        FAKE.archive("tickets", gone);
        clock.advance(Duration.ofSeconds(2)); // HubSpot posts a moment later

        List<WebhookRequest> deliveries = FAKE.takeWebhookDeliveries("hubspot-acme");
        assertThat(deliveries).hasSize(1);
        assertThat(deliver(deliveries.get(0)).status()).isEqualTo(200);

        assertThat(events)
                .extracting(ChangeEvent::stream, ChangeEvent::recordId, ChangeEvent::op)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tickets", ticket, ChangeEvent.Op.UPSERT),
                        org.assertj.core.groups.Tuple.tuple("contacts", created, ChangeEvent.Op.UPSERT),
                        org.assertj.core.groups.Tuple.tuple("tickets", gone, ChangeEvent.Op.DELETE));
        assertThat(events.get(0).record()).isNotNull();
        assertThat(events.get(0).record().data().string("hs_pipeline_stage")).isEqualTo("4");
        assertThat(events.get(1).record()).isNotNull();
        assertThat(events.get(1).record().data().string("email")).isEqualTo("new@example.com");
        assertThat(FAKE.requestCount("/crm/v3/objects/tickets/batch/read"))
                .as("one fetch per object type")
                .isEqualTo(1);
        assertThat(FAKE.requestCount("/crm/v3/objects/contacts/batch/read")).isEqualTo(1);
    }

    @Test
    void theFakeSignsV1AsHubSpotsDocumentedExampleDoes() {
        // HubSpot's published v1 example: secret yyyyyyyy-..., the documented body, and the hash it gives.
        FAKE.subscribeWebhooks(TARGET, "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy");
        WebhookRequest delivery =
                FAKE.signedDelivery("hubspot-acme", DOCUMENTED_BODY.getBytes(StandardCharsets.UTF_8), clock.instant());

        assertThat(delivery.header("X-HubSpot-Signature"))
                .contains("232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de");
    }
}
