package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.TokenMode;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.ConsentDeniedException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** The whole path of a read and of an action through a Switchboard, against a local server. */
class SwitchboardTest {
    private final Random jitter = new Random(7);

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final TokenStore store = TokenStore.inMemory(clock);
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private Switchboard switchboard;

    private static String ticket(String id, String updated, String owner, String visibility) {
        return "{\"id\":\"" + id + "\",\"updated_at\":\"" + updated + "\",\"subject\":\"S " + id + "\",\"owner\":\""
                + owner + "\",\"visibility\":\"" + visibility + "\"}";
    }

    private static final String T1 = ticket("t1", "2026-02-01T00:00:00Z", "alice", "private");
    private static final String T2 = ticket("t2", "2026-02-02T00:00:00Z", "bob", "private");
    private static final String T3 = ticket("t3", "2026-02-02T00:00:00Z", "bob", "team");
    private static final String T4 = ticket("t4", "2026-02-03T00:00:00Z", "alice", "private");
    private static final String T5 = ticket("t5", "2026-02-04T00:00:00Z", "carol", "team");
    private static final String T6 = ticket("t6", "2026-02-05T00:00:00Z", "alice", "private");

    private static String page(String next, String... items) {
        return "{\"items\":[" + String.join(",", items) + "],\"next_page\":"
                + (next == null ? "null" : "\"" + next + "\"") + "}";
    }

    @BeforeEach
    void setUp() {
        store.compareAndSet(
                "helpdesk-acme",
                0,
                Credential.builder(Secrets.register(SecretKind.ACCESS_TOKEN, "access-1"))
                        .build());
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .withQueryParam("page", absent())
                .withQueryParam("after_id", absent())
                .willReturn(okJson(page("p2", T1, T2, T3))));
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .withQueryParam("page", equalTo("p2"))
                .willReturn(okJson(page("p3", T4, T5))));
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .withQueryParam("page", equalTo("p3"))
                .willReturn(okJson(page(null, T6))));
    }

    @AfterEach
    void tearDown() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    private Switchboard.Builder builder() {
        return Switchboard.builder()
                .connection(ConnectionConfig.builder("helpdesk-acme")
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .http(HttpSettings.custom()
                                .maxAttempts(2)
                                .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                                .build())
                        .build())
                .tokenStore(store)
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .random(() -> jitter);
    }

    private static List<String> ids(RecordStream stream) {
        List<String> ids = new ArrayList<>();
        stream.forEach(r -> ids.add(r.id()));
        return ids;
    }

    private int requests() {
        return server.findAll(anyRequestedFor(anyUrl())).size();
    }

    @Test
    void connectorsAreFoundOnTheClassPath() {
        switchboard = builder().accessPolicy(AccessPolicy.allowAll()).build();
        assertThat(switchboard.connection("helpdesk-acme").descriptor().id()).isEqualTo("helpdesk");
    }

    @Test
    void withoutAPolicyEveryReadIsDeniedAndNothingIsSent() {
        switchboard = builder().build();

        assertThatThrownBy(() -> switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets")))
                .isInstanceOfSatisfying(
                        PermissionDeniedException.class, e -> assertThat(e).hasMessageContaining("deny by default"));
        assertThat(requests()).isZero();
        assertThat(audit.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.Kind.ACCESS);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
            assertThat(e.userId()).isEqualTo("alice");
        });
    }

    @Test
    void readsEveryPageLazilyAndSendsTheStoredCredential() {
        switchboard = builder().accessPolicy(AccessPolicy.allowAll()).build();

        try (RecordStream tickets = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
            assertThat(requests())
                    .as("nothing is sent before the first record is asked for")
                    .isZero();
            assertThat(ids(tickets)).containsExactly("t1", "t2", "t3", "t4", "t5", "t6");
            assertThat(tickets.checkpoint().position().orElseThrow().id()).isEqualTo("t6");
        }
        assertThat(server.findAll(anyRequestedFor(anyUrl())))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer access-1"));
    }

    @Test
    void rowLevelPolicyWithholdsRecordsAndTheCheckpointStillCoversThem() {
        switchboard = builder().accessPolicy(AccessPolicy.rowLevel()).build();

        List<String> seen;
        Checkpoint checkpoint;
        try (RecordStream tickets = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
            seen = ids(tickets);
            checkpoint = tickets.checkpoint();
        }

        assertThat(seen).containsExactly("t1", "t3", "t4", "t5", "t6"); // bob's private t2 withheld
        assertThat(checkpoint.position().orElseThrow().id()).isEqualTo("t6");
        AuditEvent read = audit.events().stream()
                .filter(e -> e.kind() == AuditEvent.Kind.READ)
                .findFirst()
                .orElseThrow();
        assertThat(read.recordIds()).containsExactly("t1", "t3", "t4", "t5", "t6");
        assertThat(read.detail()).contains("1 withheld");
    }

    @Test
    void aWithheldRecordAtTheEndOfAPageAdvancesTheCheckpoint() {
        AgentContext bob = AgentContext.of(Principal.user("bob", "acme"));
        switchboard = builder().accessPolicy(AccessPolicy.rowLevel()).build();
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .withQueryParam("page", equalTo("p3"))
                .willReturn(okJson(page(null)))); // t6 gone: alice's t4 is the last record bob cannot see

        try (RecordStream tickets = switchboard.connection("helpdesk-acme").read(bob, ReadRequest.of("tickets"))) {
            assertThat(ids(tickets)).containsExactly("t2", "t3", "t5");
            assertThat(tickets.checkpoint().position().orElseThrow().id()).isEqualTo("t5");
        }
    }

    @Test
    void theCheckpointFollowsTheRecordAsReadEvenWhenThePolicyHidesTheCursorField() {
        AccessPolicy redacting = new AccessPolicy() {
            @Override
            public dev.switchboard.core.governance.AccessDecision authorize(
                    AgentContext ctx, dev.switchboard.core.governance.Operation operation) {
                return dev.switchboard.core.governance.AccessDecision.allow("test");
            }

            @Override
            public Record filter(AgentContext ctx, Record record) {
                return record.newBuilder()
                        .data(record.data().newBuilder().remove("updated_at").build())
                        .build();
            }
        };
        switchboard = builder().accessPolicy(redacting).build();

        try (RecordStream tickets = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
            tickets.forEach(r -> assertThat(r.data().has("updated_at")).isFalse());
            assertThat(tickets.checkpoint().position().orElseThrow())
                    .isEqualTo(dev.switchboard.core.connector.Position.of("2026-02-05T00:00:00Z", "t6"));
        }
    }

    @Test
    void perPrincipalKeysCannotCollide() {
        ConnectionConfig config = ConnectionConfig.builder("c")
                .connector("x")
                .baseUrl("https://h")
                .tokenMode(TokenMode.PER_PRINCIPAL)
                .build();
        assertThat(config.credentialKey(Principal.user("c", "a/b")))
                .isNotEqualTo(config.credentialKey(Principal.user("b/c", "a")));
        assertThat(config.credentialKey(Principal.user("alice", "acme"))).isEqualTo("c/acme/alice");
    }

    @Test
    void aReadThatFailsMidwayResumesFromItsCheckpointWithoutLossOrDuplicates() {
        switchboard = builder().accessPolicy(AccessPolicy.allowAll()).build();
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .withQueryParam("page", equalTo("p2"))
                .willReturn(aResponse().withStatus(500)));
        List<String> delivered = new ArrayList<>();
        Checkpoint checkpoint;

        try (RecordStream tickets = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
            assertThatThrownBy(() -> tickets.forEach(r -> delivered.add(r.id())))
                    .isInstanceOfSatisfying(
                            dev.switchboard.core.error.TransientException.class,
                            e -> assertThat(e.nextStep()).isEqualTo(NextStep.RETRY_AFTER));
            checkpoint = tickets.checkpoint();
        }
        assertThat(delivered).containsExactly("t1", "t2", "t3");
        String saved = checkpoint.value(); // what an app persists

        server.stubFor(get(urlPathEqualTo("/tickets"))
                .withQueryParam("after_updated", equalTo("2026-02-02T00:00:00Z"))
                .withQueryParam("after_id", equalTo("t3"))
                .withQueryParam("page", absent())
                .willReturn(okJson(page(null, T4, T5, T6))));
        try (RecordStream rest = switchboard
                .connection("helpdesk-acme")
                .read(alice, ReadRequest.of("tickets").since(Checkpoint.parse(saved)))) {
            rest.forEach(r -> delivered.add(r.id()));
        }

        assertThat(delivered).containsExactly("t1", "t2", "t3", "t4", "t5", "t6");
        AuditEvent failed = audit.events().stream()
                .filter(e -> e.kind() == AuditEvent.Kind.READ)
                .findFirst()
                .orElseThrow();
        assertThat(failed.outcome()).isEqualTo(AuditEvent.Outcome.FAILED);
        assertThat(failed.recordIds()).containsExactly("t1", "t2", "t3");
    }

    @Test
    void aMalformedPageDeliversNoRecordOfThatPage() {
        switchboard = builder().accessPolicy(AccessPolicy.allowAll()).build();
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .withQueryParam("page", equalTo("p2"))
                .willReturn(okJson("{\"items\":[" + T4 + "," + T5.substring(0, 20) + "}], \"next_page\": null}")));
        List<String> delivered = new ArrayList<>();

        try (RecordStream tickets = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
            assertThatThrownBy(() -> tickets.forEach(r -> delivered.add(r.id())))
                    .isInstanceOf(PermanentException.class);
            assertThat(tickets.checkpoint().position().orElseThrow().id()).isEqualTo("t3");
            assertThatThrownBy(() -> tickets.iterator().hasNext())
                    .as("the stream stays failed")
                    .isInstanceOf(PermanentException.class);
        }
        assertThat(delivered).containsExactly("t1", "t2", "t3");
    }

    @Test
    void badRequestsAreTypedInputErrors() {
        switchboard = builder().accessPolicy(AccessPolicy.allowAll()).build();
        var connection = switchboard.connection("helpdesk-acme");

        assertThatThrownBy(() -> connection.read(alice, ReadRequest.of("tikets")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.nextStep()).isEqualTo(NextStep.FIX_INPUT);
                    assertThat(e).hasMessageContaining("tickets");
                });
        assertThatThrownBy(() -> connection.read(
                        alice,
                        ReadRequest.of("tickets")
                                .since(Checkpoint.at("agents", dev.switchboard.core.connector.Position.of("x", "y")))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("belongs to stream 'agents'");
        assertThatThrownBy(() -> switchboard.connection("nope"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("helpdesk-acme");
        assertThatThrownBy(() -> Checkpoint.parse("garbage")).isInstanceOf(IllegalArgumentException.class);
        assertThat(requests()).isZero();
    }

    @Test
    void actionInputIsValidatedAgainstItsSchemaBeforeAnythingIsSent() {
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .build();

        assertThatThrownBy(() -> switchboard
                        .connection("helpdesk-acme")
                        .execute(alice, "add_comment", Map.of("ticket_id", 42, "extra", true)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.nextStep()).isEqualTo(NextStep.FIX_INPUT);
                    assertThat(e.violations())
                            .hasSize(3)
                            .anyMatch(v -> v.contains("body"))
                            .anyMatch(v -> v.contains("ticket_id"))
                            .anyMatch(v -> v.contains("extra"));
                });
        assertThat(requests()).isZero();
    }

    @Test
    void aWriteWithoutConsentIsRefusedAndAudited() {
        switchboard = builder().accessPolicy(AccessPolicy.allowAll()).build();

        assertThatThrownBy(() -> switchboard
                        .connection("helpdesk-acme")
                        .execute(alice, "add_comment", Map.of("ticket_id", "t1", "body", "Refund approved")))
                .isInstanceOfSatisfying(
                        ConsentDeniedException.class,
                        e -> assertThat(e.nextStep()).isEqualTo(NextStep.ASK_USER));
        assertThat(requests()).isZero();
        assertThat(audit.events()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.Kind.CONSENT);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
        });
    }

    @Test
    void aConsentedWriteRunsOnceAndIsAudited() {
        List<String> asked = new ArrayList<>();
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.of(
                        (ctx, request) -> asked.add(ctx.principal().userId() + ":" + request.action())))
                .build();
        server.stubFor(post(urlPathEqualTo("/comments")).willReturn(okJson("{\"id\":\"c9\"}")));

        ActionResult result = switchboard
                .connection("helpdesk-acme")
                .execute(alice, "add_comment", Map.of("ticket_id", "t1", "body", "Refund approved"));

        assertThat(result.output().string("id")).isEqualTo("c9");
        assertThat(asked).containsExactly("alice:add_comment");
        server.verify(
                1,
                postRequestedFor(urlPathEqualTo("/comments"))
                        .withRequestBody(equalToJson("{\"ticket_id\":\"t1\",\"body\":\"Refund approved\"}")));
        assertThat(audit.events()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.Kind.WRITE);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCEEDED);
        });
    }

    @Test
    void aWriteWhoseAnswerIsLostIsNotRepeated() {
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .build();
        server.stubFor(post(urlPathEqualTo("/comments")).willReturn(aResponse().withStatus(502)));

        assertThatThrownBy(() -> switchboard
                        .connection("helpdesk-acme")
                        .execute(alice, "add_comment", Map.of("ticket_id", "t1", "body", "hi")))
                .isInstanceOf(dev.switchboard.core.error.OutcomeUnknownException.class);
        server.verify(1, postRequestedFor(urlPathEqualTo("/comments")));
        assertThat(audit.events()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.Kind.WRITE);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILED);
        });
    }

    @Test
    void perPrincipalConnectionsUseEachUsersOwnGrant() {
        switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder("helpdesk-users")
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .tokenMode(TokenMode.PER_PRINCIPAL)
                        .build())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        store.compareAndSet(
                "helpdesk-users/acme/alice",
                0,
                Credential.builder("alice-token").build());
        AgentContext bob = AgentContext.of(Principal.user("bob", "acme"));

        try (RecordStream tickets = switchboard.connection("helpdesk-users").read(alice, ReadRequest.of("tickets"))) {
            assertThat(ids(tickets)).hasSize(6);
        }
        assertThat(server.findAll(anyRequestedFor(anyUrl())))
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer alice-token"));
        try (RecordStream tickets = switchboard.connection("helpdesk-users").read(bob, ReadRequest.of("tickets"))) {
            assertThatThrownBy(() -> ids(tickets))
                    .isInstanceOfSatisfying(
                            ReauthorizationRequiredException.class,
                            e -> assertThat(e).hasMessageContaining("helpdesk-users/acme/bob"));
        }
    }

    @Test
    void connectorLogsCarryTheTraceIdOfTheCall() {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
        captured.start();
        ours.addAppender(captured);
        try {
            switchboard = builder().accessPolicy(AccessPolicy.allowAll()).build();
            AgentContext traced = alice.withTraceId("trace-abc");
            try (RecordStream tickets =
                    switchboard.connection("helpdesk-acme").read(traced, ReadRequest.of("tickets"))) {
                tickets.forEach(r -> {});
            }
        } finally {
            ours.detachAppender(captured);
        }
        assertThat(captured.list)
                .filteredOn(e -> e.getLoggerName().contains("ConnectionHttp"))
                .isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.getMDCPropertyMap())
                            .containsEntry("traceId", "trace-abc")
                            .containsEntry("connection", "helpdesk-acme")
                            .containsEntry("connector", "helpdesk");
                });
    }

    @Test
    void misconfigurationFailsAtBuild() {
        assertThatThrownBy(() -> Switchboard.builder()
                        .connection(ConnectionConfig.builder("x")
                                .connector("nonexistent")
                                .baseUrl("http://localhost")
                                .build())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nonexistent");
        assertThatThrownBy(() -> Switchboard.builder()
                        .connection(ConnectionConfig.builder("x")
                                .connector(HelpdeskConnector.ID)
                                .baseUrl("http://localhost")
                                .build())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs credentials");
    }

    @Test
    void recordsAreImmutableAndPrintNoData() {
        switchboard = builder().accessPolicy(AccessPolicy.allowAll()).build();
        Record first;
        try (RecordStream tickets = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
            first = tickets.iterator().next();
        }
        assertThat(first.toString()).doesNotContain("S t1").contains("helpdesk-acme/tickets/t1");
        assertThatThrownBy(() -> first.data().fields().put("subject", null))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
