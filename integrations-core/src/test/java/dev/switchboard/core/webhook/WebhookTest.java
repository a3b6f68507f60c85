package dev.switchboard.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.WebhookRejectedException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.support.H2Database;
import dev.switchboard.core.support.Helpdesk;
import dev.switchboard.core.support.HelpdeskFake;
import dev.switchboard.core.support.HelpdeskWebhooks;
import dev.switchboard.core.time.ManualClock;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook deliveries signed like Slack's, received by two instances of an application that remember
 * deliveries in one database (a {@link JdbcReplayGuard} each, over one H2 database): a verification challenge is answered; a delivery is accepted once, and refused as a
 * replay by the other instance; a bad signature, a stale or future timestamp, a malformed body and an
 * unknown connection are refused with their status; refusals are audited and counted, and no event of a
 * refused delivery reaches a subscriber.
 */
class WebhookTest {
    private static final String SIGNING_SECRET = "whsec-8f742231b10e";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final HelpdeskFake fake = new HelpdeskFake(clock);
    private final TokenStore store = Helpdesk.tokens(clock);
    /** The database both instances remember deliveries in, each through a JdbcReplayGuard of its own. */
    private final H2Database database = new H2Database();

    private final List<Instance> instances = new ArrayList<>();

    /** One application instance: its Switchboard, its audit, and a subscriber following tickets. */
    private record Instance(Switchboard switchboard, InMemoryAuditSink audit, List<ChangeEvent> heard) {
        WebhookResponse handle(WebhookRequest request) {
            return switchboard.webhooks().handle(request);
        }

        double count(String outcome) {
            Counter c = switchboard
                    .meterRegistry()
                    .find("switchboard.webhooks")
                    .tags("connection", Helpdesk.CONNECTION, "outcome", outcome)
                    .counter();
            return c == null ? 0 : c.count();
        }

        List<AuditEvent> webhookAudit() {
            return audit.events().stream()
                    .filter(e -> e.kind() == AuditEvent.Kind.WEBHOOK)
                    .toList();
        }
    }

    @BeforeEach
    void setUp() {
        fake.start().ticket("t1", "2026-02-01T00:00:00Z", "alice", "private");
        store.compareAndSet(
                Helpdesk.connection(fake.baseUrl()).secretKey(HelpdeskWebhooks.SECRET),
                0,
                Credential.builder(SIGNING_SECRET).build());
    }

    @AfterEach
    void tearDown() {
        instances.forEach(i -> i.switchboard().close());
        fake.close();
        database.close();
    }

    private Instance instance() {
        return instance(store);
    }

    private Instance instance(TokenStore tokens) {
        InMemoryAuditSink audit = AuditSink.inMemory();
        Switchboard sb = Helpdesk.switchboard(fake.baseUrl(), tokens, clock)
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(audit)
                .replayGuard(JdbcReplayGuard.builder(database.dataSource())
                        .clock(clock)
                        .build())
                .webhookTolerance(Duration.ofMinutes(5))
                .build();
        List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
        sb.subscribe(
                AgentContext.of(Principal.system("memory")),
                ChangeRequest.builder("memory", Helpdesk.CONNECTION)
                        .streams("tickets")
                        .manual()
                        .build(),
                heard::add);
        Instance instance = new Instance(sb, audit, heard);
        instances.add(instance);
        return instance;
    }

    // ---- the vendor's side: Slack's signing scheme, written here independently of the connector ----

    private static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static WebhookRequest delivery(String connection, String body, Instant sentAt, String secret) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(sentAt.getEpochSecond());
        return new WebhookRequest(
                connection,
                "POST",
                URI.create("https://app.example.com/webhooks/" + connection),
                Map.of(
                        "Content-Type",
                        List.of("application/json"),
                        HelpdeskWebhooks.TIMESTAMP_HEADER,
                        List.of(timestamp),
                        HelpdeskWebhooks.SIGNATURE_HEADER,
                        List.of(sign(secret, timestamp, bytes))),
                bytes);
    }

    private WebhookRequest delivery(String body) {
        return delivery(Helpdesk.CONNECTION, body, clock.instant(), SIGNING_SECRET);
    }

    private static String updated(String eventId, String ticket) {
        return "{\"type\":\"event_callback\",\"event_id\":\"" + eventId + "\",\"event\":{\"type\":\"ticket.updated\","
                + "\"ticket_id\":\"" + ticket + "\",\"updated_at\":\"2026-03-01T11:59:58Z\"}}";
    }

    @Test
    void theSignerOfTheseTestsIsSlacksScheme() {
        // Slack's published example ("Verifying requests from Slack"): secret, timestamp, body and signature.
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        assertThat(sign("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    @Test
    void aVerificationChallengeIsAnswered() {
        Instance a = instance();
        WebhookResponse answer = a.handle(delivery("{\"type\":\"url_verification\",\"challenge\":\"3eZbrw1aBm2rZg\"}"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("3eZbrw1aBm2rZg");
        assertThat(answer.headers()).containsEntry("Content-Type", "text/plain");
        assertThat(answer.events()).isEmpty();
        assertThat(a.heard()).isEmpty();
        assertThat(a.count("challenge")).isEqualTo(1);
        assertThat(a.webhookAudit()).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCEEDED);
            assertThat(e.detail()).contains("challenge");
        });
    }

    @Test
    void aDeliveryIsAcceptedOnceAndRefusedAsAReplayByTheOtherInstance() {
        Instance a = instance();
        Instance b = instance();
        WebhookRequest request = delivery(updated("Ev-1", "t1"));

        WebhookResponse accepted = a.handle(request);

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.events()).extracting(Helpdesk::describe).containsExactly("WEBHOOK UPSERT t1");
        assertThat(a.heard()).extracting(Helpdesk::describe).containsExactly("WEBHOOK UPSERT t1");
        assertThat(a.heard().get(0).version()).isEqualTo("2026-03-01T11:59:58Z");
        assertThat(a.count("accepted")).isEqualTo(1);
        assertThat(a.webhookAudit()).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCEEDED);
            assertThat(e.recordIds()).containsExactly("tickets/t1");
            assertThat(e.userId()).isEqualTo("system:webhooks");
        });

        // The same delivery reaches the other instance (a load balancer, an attacker's copy, a retry).
        assertThatThrownBy(() -> b.handle(request)).isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
            assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.REPLAY);
            assertThat(e.status()).isEqualTo(200);
        });
        assertThat(b.heard()).isEmpty();
        assertThat(b.count("replay")).isEqualTo(1);
        assertThat(b.count("accepted")).isZero();
        assertThat(b.webhookAudit()).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
            assertThat(e.detail()).contains("REPLAY");
        });
        // ... and the first one again, later but within the tolerance.
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> a.handle(request))
                .isInstanceOfSatisfying(
                        WebhookRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.REPLAY));
        assertThat(a.heard()).hasSize(1);

        // Another delivery of the same ticket is a new event.
        assertThat(b.handle(delivery(updated("Ev-2", "t1"))).events()).hasSize(1);
        assertThat(b.heard()).extracting(Helpdesk::describe).containsExactly("WEBHOOK UPSERT t1");
    }

    @Test
    void aBadSignatureIsRefused() {
        Instance a = instance();
        WebhookRequest forged = delivery(Helpdesk.CONNECTION, updated("Ev-1", "t1"), clock.instant(), "guessed");
        WebhookRequest good = delivery(updated("Ev-1", "t1"));
        WebhookRequest tampered = new WebhookRequest(
                good.connection(),
                good.method(),
                good.uri(),
                good.headers(),
                updated("Ev-1", "t9").getBytes(StandardCharsets.UTF_8));
        WebhookRequest unsigned =
                new WebhookRequest(good.connection(), good.method(), good.uri(), Map.of(), good.body());

        for (WebhookRequest refused : List.of(forged, tampered, unsigned)) {
            assertThatThrownBy(() -> a.handle(refused)).isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.BAD_SIGNATURE);
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).doesNotContain(SIGNING_SECRET);
            });
        }
        assertThat(a.heard()).isEmpty();
        assertThat(a.count("bad_signature")).isEqualTo(3);
        assertThat(a.webhookAudit())
                .hasSize(3)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.DENIED));
        // A refused forgery does not burn the delivery id: the vendor's genuine delivery is accepted.
        assertThat(a.handle(good).events()).hasSize(1);
    }

    @Test
    void aStaleOrFutureTimestampIsRefused() {
        Instance a = instance();
        WebhookRequest stale = delivery(
                Helpdesk.CONNECTION,
                updated("Ev-1", "t1"),
                clock.instant().minus(Duration.ofMinutes(6)),
                SIGNING_SECRET);
        WebhookRequest future = delivery(
                Helpdesk.CONNECTION,
                updated("Ev-2", "t1"),
                clock.instant().plus(Duration.ofMinutes(6)),
                SIGNING_SECRET);
        WebhookRequest staleChallenge = delivery(
                Helpdesk.CONNECTION,
                "{\"type\":\"url_verification\",\"challenge\":\"x\"}",
                clock.instant().minus(Duration.ofMinutes(6)),
                SIGNING_SECRET);

        for (WebhookRequest refused : List.of(stale, future, staleChallenge)) {
            assertThatThrownBy(() -> a.handle(refused)).isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.STALE);
                assertThat(e.status()).isEqualTo(401);
            });
        }
        assertThat(a.heard()).isEmpty();
        assertThat(a.count("stale")).isEqualTo(3);
        // Four minutes old is within the tolerance.
        WebhookRequest late = delivery(
                Helpdesk.CONNECTION,
                updated("Ev-3", "t1"),
                clock.instant().minus(Duration.ofMinutes(4)),
                SIGNING_SECRET);
        assertThat(a.handle(late).events()).hasSize(1);
    }

    @Test
    void aMalformedBodyAnUnknownConnectionAndAMissingSecretAreRefused() {
        Instance a = instance();
        assertThatThrownBy(() -> a.handle(delivery("not json")))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.MALFORMED);
                    assertThat(e.status()).isEqualTo(400);
                });
        assertThatThrownBy(() -> a.handle(delivery("helpdesk-other", updated("Ev-1", "t1"), clock.instant(), "x")))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.UNKNOWN_CONNECTION);
                    assertThat(e.status()).isEqualTo(404);
                });
        assertThat(a.heard()).isEmpty();
        assertThat(a.count("malformed")).isEqualTo(1);

        // An instance whose store lacks the signing secret cannot verify: it says what to store, and counts it.
        Instance unconfigured = instance(Helpdesk.tokens(clock));
        assertThatThrownBy(() -> unconfigured.handle(delivery(updated("Ev-1", "t1"))))
                .isInstanceOf(ReauthorizationRequiredException.class);
        assertThat(unconfigured.heard()).isEmpty();
        assertThat(unconfigured.count("failed")).isEqualTo(1);
        assertThat(unconfigured.webhookAudit())
                .singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILED));
    }

    @Test
    void aDeliveryOfManyEventsIsAuditedWithBoundedIdsAndItsCount() {
        Instance a = instance();
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            events.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"ticket.updated\",\"ticket_id\":\"t")
                    .append(i)
                    .append("\"}");
        }
        WebhookResponse accepted = a.handle(
                delivery("{\"type\":\"event_callback\",\"event_id\":\"Ev-batch\",\"events\":[" + events + "]}"));

        assertThat(accepted.events()).hasSize(120);
        assertThat(a.heard()).hasSize(120);
        assertThat(a.webhookAudit()).singleElement().satisfies(e -> {
            assertThat(e.recordIds()).hasSize(AuditEvent.MAX_RECORD_IDS).startsWith("tickets/t0");
            assertThat(e.recordCount()).isEqualTo(120);
        });
    }
}
