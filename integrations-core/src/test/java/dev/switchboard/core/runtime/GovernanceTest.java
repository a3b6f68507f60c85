package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.audit.AuditChain;
import dev.switchboard.core.audit.AuditEntry;
import dev.switchboard.core.audit.AuditLog;
import dev.switchboard.core.audit.AuditMacKeys;
import dev.switchboard.core.audit.AuditVerifier;
import dev.switchboard.core.audit.JsonLinesAuditLog;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.error.AuditUnavailableException;
import dev.switchboard.core.error.ConsentDeniedException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.governance.AccessDecision;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentDecision;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.governance.Operation;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.support.Sha256;
import dev.switchboard.core.time.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Governance around each call, against a local server: the operation a policy decides on, the audit
 * event each call leaves, a failing audit sink (open and closed), the boolean consent adapter, and
 * previews. Requests are counted at the server.
 */
class GovernanceTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String CONNECTION = "helpdesk-acme";
    private static final String SINK_SECRET = "hunter2-sekrit-0c7e";
    private static final Map<String, String> COMMENT = Map.of("ticket_id", "t1", "body", "Refund approved");

    /** A contract that promises an {@code email} field, for a policy that decides by field. */
    private static final Schema WITH_EMAIL = Schema.builder()
            .required("id", FieldType.STRING)
            .required("updated_at", FieldType.TIMESTAMP)
            .optional("subject", FieldType.STRING)
            .optional("email", FieldType.STRING)
            .build();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final TokenStore store = TokenStore.inMemory(clock);
    private final AgentContext alice = new AgentContext(Principal.user("alice", "acme"), "session-7", "trace-7");
    private Switchboard switchboard;

    @BeforeEach
    void setUp() {
        store.compareAndSet(CONNECTION, 0, Credential.builder("access-1").build());
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .withQueryParam("page", absent())
                .willReturn(okJson("{\"items\":[{\"id\":\"t1\",\"updated_at\":\"2026-02-01T00:00:00Z\","
                        + "\"subject\":\"Printer\",\"email\":\"ann@example.com\"}],\"next_page\":null}")));
        server.stubFor(post(urlPathEqualTo("/comments")).willReturn(okJson("{\"id\":\"c9\"}")));
        server.stubFor(post(urlPathEqualTo("/refunds")).willReturn(okJson("{\"id\":\"r1\"}")));
    }

    @AfterEach
    void tearDown() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    private Switchboard.Builder builder() {
        return Switchboard.builder()
                .connection(ConnectionConfig.builder(CONNECTION)
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .contract("tickets", WITH_EMAIL)
                        .build())
                .tokenStore(store)
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper());
    }

    private int requests() {
        return server.findAll(anyRequestedFor(anyUrl())).size();
    }

    private int posts(String path) {
        return server.findAll(postRequestedFor(urlPathEqualTo(path))).size();
    }

    private static <E extends Throwable> E thrown(Class<E> type, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(type);
        return type.cast(t);
    }

    private static List<String> read(Switchboard sb, AgentContext context, ReadRequest request) {
        try (RecordStream stream = sb.connection(CONNECTION).read(context, request)) {
            return stream.stream().map(Record::id).toList();
        }
    }

    private static JsonObject refund(Object amount) {
        return Json.objectFrom(Map.of("ticket_id", "t1", "amount", amount));
    }

    /** Allows everything and records each operation it was asked about. */
    private static final class RecordingPolicy implements AccessPolicy {
        final List<Operation> asked = new CopyOnWriteArrayList<>();

        @Override
        public AccessDecision authorize(AgentContext context, Operation operation) {
            asked.add(operation);
            return AccessDecision.allow("recording");
        }

        @Override
        public Record filter(AgentContext context, Record record) {
            return record;
        }
    }

    // ---- the boolean consent adapter ---------------------------------------------------------------

    @Test
    void aYesNoGateStillWorksThroughTheAdapter() {
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.of((ctx, request) ->
                        !"Refund denied".equals(request.input().string("body"))))
                .build();

        ActionResult ran = switchboard.connection(CONNECTION).execute(alice, "add_comment", COMMENT);
        ConsentDeniedException refused = thrown(
                ConsentDeniedException.class,
                () -> switchboard
                        .connection(CONNECTION)
                        .execute(alice, "add_comment", Map.of("ticket_id", "t1", "body", "Refund denied")));

        assertThat(ran.output().string("id")).isEqualTo("c9");
        assertThat(refused.nextStep()).isEqualTo(NextStep.ASK_USER);
        assertThat(posts("/comments")).isEqualTo(1);
        assertThat(switchboard.consent().pending(alice.principal()))
                .as("a yes/no gate never leaves a request waiting")
                .isEmpty();
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.CONSENT)
                .extracting(AuditEvent::outcome)
                .containsExactly(AuditEvent.Outcome.ALLOWED, AuditEvent.Outcome.DENIED);
    }

    // ---- what a policy decides on ------------------------------------------------------------------

    @Test
    void aPolicyDecidesByTheFieldsAReadAsksForAndByAnActionsArguments() {
        AccessPolicy policy = new AccessPolicy() {
            @Override
            public AccessDecision authorize(AgentContext context, Operation op) {
                if (op.kind() == Operation.Kind.READ && op.fields().contains("email")) {
                    return AccessDecision.deny("email is personal data");
                }
                if (op.kind() == Operation.Kind.ACTION && op.name().equals("refund")) {
                    BigDecimal amount = op.input() == null ? null : op.input().number("amount");
                    return amount != null && amount.compareTo(BigDecimal.valueOf(100)) <= 0
                            ? AccessDecision.allow("a small refund")
                            : AccessDecision.deny("refunds over 100 need a manager");
                }
                return AccessDecision.allow("everything else");
            }

            @Override
            public Record filter(AgentContext context, Record record) {
                return record;
            }
        };
        switchboard = builder()
                .accessPolicy(policy)
                .consentGate(ConsentGate.approveAll())
                .build();

        assertThat(read(switchboard, alice, ReadRequest.of("tickets").fields("id", "subject")))
                .containsExactly("t1");
        assertThat(thrown(
                        PermissionDeniedException.class,
                        () -> read(switchboard, alice, ReadRequest.of("tickets").fields("id", "email"))))
                .hasMessageContaining("email is personal data");
        assertThat(requests()).as("only the allowed read was sent").isEqualTo(1);

        switchboard.connection(CONNECTION).execute(alice, "refund", refund(100));
        assertThat(thrown(
                        PermissionDeniedException.class,
                        () -> switchboard.connection(CONNECTION).execute(alice, "refund", refund(100.01))))
                .hasMessageContaining("need a manager");
        assertThat(posts("/refunds")).isEqualTo(1);
    }

    @Test
    void eachKindOfCallReachesThePolicyAsItsOwnKindOfOperation() {
        RecordingPolicy policy = new RecordingPolicy();
        switchboard = builder()
                .accessPolicy(policy)
                .consentGate(ConsentGate.approveAll())
                .build();
        var connection = switchboard.connection(CONNECTION);

        read(switchboard, alice, ReadRequest.of("tickets").fields("id", "subject"));
        connection.describe(alice, "tickets");
        try (Subscription feed = switchboard.subscribe(
                alice,
                ChangeRequest.builder("governance-test", CONNECTION)
                        .streams("tickets")
                        .manual()
                        .build(),
                event -> {})) {
            assertThat(feed.isOpen()).isTrue();
        }
        connection.preview(alice, "refund", refund(20));
        switchboard.quarantine(alice).list(CONNECTION, "tickets");
        connection.execute(alice, "refund", refund(20));

        assertThat(policy.asked)
                .extracting(Operation::kind, Operation::name, Operation::effect, Operation::fields, Operation::input)
                .containsExactly(
                        tuple(Operation.Kind.READ, "tickets", Effect.READ, List.of("id", "subject"), null),
                        tuple(Operation.Kind.DESCRIBE, "tickets", Effect.READ, List.of(), null),
                        tuple(Operation.Kind.SUBSCRIBE, "tickets", Effect.READ, List.of(), null),
                        tuple(Operation.Kind.PREVIEW, "refund", Effect.WRITE, List.of(), refund(20)),
                        tuple(Operation.Kind.QUARANTINE, "tickets", Effect.READ, List.of(), null),
                        tuple(Operation.Kind.ACTION, "refund", Effect.WRITE, List.of(), refund(20)));
        assertThat(policy.asked).allSatisfy(op -> {
            assertThat(op.connection()).isEqualTo(CONNECTION);
            assertThat(op.connector()).isEqualTo(HelpdeskConnector.ID);
        });
    }

    // ---- audit events ------------------------------------------------------------------------------

    @Test
    void aWriteIsAuditedWithItsSessionEffectRecordsAndTheCanonicalDigestOfItsInput() {
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .build();
        JsonObject amountFirst =
                JsonObject.builder().put("amount", 20).put("ticket_id", "t1").build();
        JsonObject ticketFirst =
                JsonObject.builder().put("ticket_id", "t1").put("amount", 20).build();

        switchboard.connection(CONNECTION).execute(alice, "refund", amountFirst);
        switchboard.connection(CONNECTION).execute(alice.withTraceId("trace-8"), "refund", ticketFirst);

        String digest = Sha256.hex("{\"amount\":20,\"ticket_id\":\"t1\"}");
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.WRITE)
                .extracting(
                        AuditEvent::outcome,
                        AuditEvent::effect,
                        AuditEvent::sessionId,
                        AuditEvent::traceId,
                        AuditEvent::inputDigest,
                        AuditEvent::recordIds,
                        AuditEvent::recordCount)
                .containsExactly(
                        tuple(
                                AuditEvent.Outcome.SUCCEEDED,
                                Effect.WRITE,
                                "session-7",
                                "trace-7",
                                digest,
                                List.of("tickets/t1"),
                                1L),
                        tuple(
                                AuditEvent.Outcome.SUCCEEDED,
                                Effect.WRITE,
                                "session-7",
                                "trace-8",
                                digest,
                                List.of("tickets/t1"),
                                1L));
    }

    @Test
    void everyAuditEventHasItsOwnId() {
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .build();
        for (int i = 0; i < 40; i++) {
            read(switchboard, alice, ReadRequest.of("tickets"));
            switchboard.connection(CONNECTION).execute(alice, "refund", refund(i));
        }

        List<AuditEvent> events = audit.events();
        assertThat(events).hasSizeGreaterThanOrEqualTo(40 * 5); // per round: access and read; access, consent, write
        assertThat(events.stream().map(AuditEvent::id).distinct().count()).isEqualTo(events.size());
    }

    // ---- a failing audit sink --------------------------------------------------------------------------

    /** A sink that fails on every WRITE event, with a secret in its message (a JDBC URL with a password). */
    private static final class FailingOnWrites implements AuditSink {
        final List<String> failedIds = new CopyOnWriteArrayList<>();
        final List<AuditEvent> recorded = new CopyOnWriteArrayList<>();

        @Override
        public void record(AuditEvent event) {
            if (event.kind() == AuditEvent.Kind.WRITE) {
                failedIds.add(event.id());
                throw new IllegalStateException(
                        "audit database unreachable: jdbc:postgresql://audit-db/log?user=sb&password=" + SINK_SECRET);
            }
            recorded.add(event);
        }
    }

    private double counted(String meter) {
        var counter = switchboard.meterRegistry().find(meter).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aWriteThatHappenedIsReportedDoneWhenTheSinkFailsAndTheFailureIsCountedAndLogged() {
        FailingOnWrites sink = new FailingOnWrites();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
        Level before = ours.getLevel();
        ours.setLevel(Level.TRACE);
        logs.start();
        ours.addAppender(logs);
        ActionResult result;
        try {
            switchboard = builder()
                    .accessPolicy(AccessPolicy.allowAll())
                    .consentGate(ConsentGate.approveAll())
                    .auditSink(sink)
                    .build();
            result = switchboard.connection(CONNECTION).execute(alice, "add_comment", COMMENT);
        } finally {
            ours.detachAppender(logs);
            ours.setLevel(before);
        }

        assertThat(result.output().string("id")).isEqualTo("c9");
        assertThat(result.affected()).containsExactly(RecordRef.changed("tickets", "t1"));
        assertThat(posts("/comments")).isEqualTo(1);
        assertThat(sink.failedIds).hasSize(1);
        assertThat(counted("switchboard.audit.failures")).isEqualTo(1);
        assertThat(logs.list)
                .filteredOn(
                        e -> e.getLevel() == Level.ERROR && e.getLoggerName().equals("dev.switchboard.audit"))
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains(sink.failedIds.get(0), "WRITE", "SUCCEEDED", CONNECTION + "/add_comment"));
        assertThat(logs.list).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).doesNotContain(SINK_SECRET);
            assertThat(
                            e.getThrowableProxy() == null
                                    ? ""
                                    : e.getThrowableProxy().getMessage())
                    .doesNotContain(SINK_SECRET);
        });
    }

    @Test
    void failClosedRefusesAWriteTheSinkCannotRecordBeforeSendingIt() {
        FailingOnWrites sink = new FailingOnWrites();
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .auditSink(sink)
                .auditFailClosed(true)
                .build();

        AuditUnavailableException refused = thrown(
                AuditUnavailableException.class,
                () -> switchboard.connection(CONNECTION).execute(alice, "add_comment", COMMENT));

        assertThat(refused.nextStep()).isEqualTo(NextStep.GIVE_UP);
        assertThat(refused).hasMessageContaining("nothing was sent").hasMessageNotContaining(SINK_SECRET);
        assertThat(posts("/comments")).isZero();
        assertThat(counted("switchboard.audit.failures")).isEqualTo(1);

        // Reads and read-only actions are not writes: they still run.
        assertThat(read(switchboard, alice, ReadRequest.of("tickets"))).containsExactly("t1");
    }

    @Test
    void failClosedRecordsTheIntentBeforeSendingWhenTheSinkWorks() {
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .auditFailClosed(true)
                .build();

        switchboard.connection(CONNECTION).execute(alice, "add_comment", COMMENT);

        assertThat(posts("/comments")).isEqualTo(1);
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.WRITE)
                .extracting(AuditEvent::outcome)
                .containsExactly(AuditEvent.Outcome.ALLOWED, AuditEvent.Outcome.SUCCEEDED);
    }

    // ---- previews -----------------------------------------------------------------------------------

    @Test
    void aPreviewIsAuthorizedAsSuchAsksNoConsentAndWritesNothing() {
        RecordingPolicy policy = new RecordingPolicy();
        AtomicInteger consentAsked = new AtomicInteger();
        switchboard = builder()
                .accessPolicy(policy)
                .consentGate((ctx, request) -> {
                    consentAsked.incrementAndGet();
                    return ConsentDecision.askUser(request.prompt());
                })
                .build();

        ActionPreview preview = switchboard.connection(CONNECTION).preview(alice, "refund", refund(20));

        assertThat(preview.wouldChange()).isEqualTo(Json.parse("{\"ticket_id\":\"t1\",\"refund\":20}"));
        assertThat(preview.affected()).containsExactly(RecordRef.changed("tickets", "t1"));
        assertThat(requests()).as("nothing written").isZero();
        assertThat(consentAsked).hasValue(0);
        assertThat(switchboard.consent().pending(alice.principal())).isEmpty();
        assertThat(policy.asked).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Operation.Kind.PREVIEW);
            assertThat(op.readOnly()).isTrue();
        });
    }

    @Test
    void aConnectorThatCannotPreviewAnActionSaysSoAndSendsNothing() {
        switchboard = builder().accessPolicy(AccessPolicy.allowAll()).build();

        PermanentException refused = thrown(
                PermanentException.class,
                () -> switchboard.connection(CONNECTION).preview(alice, "add_comment", Json.objectFrom(COMMENT)));

        assertThat(refused.nextStep()).isEqualTo(NextStep.GIVE_UP);
        assertThat(refused).hasMessageContaining("cannot preview").hasMessageContaining("add_comment");
        assertThat(requests()).isZero();
    }

    // ---- the audit chain, fail-closed and buffered ---------------------------------------------------

    private static final AuditMacKeys MAC_KEYS =
            AuditMacKeys.of("k1", "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    @Test
    void failClosedWithAnAuditChainRecordsTheIntentInTheVerifiedLogBeforeSending(@TempDir Path dir) {
        JsonLinesAuditLog log = AuditLog.jsonLines(dir).build();
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .auditSink(AuditChain.builder("api-1", log, MAC_KEYS).build())
                .auditFailClosed(true)
                .build();

        switchboard.connection(CONNECTION).execute(alice, "add_comment", COMMENT);

        assertThat(posts("/comments")).isEqualTo(1);
        List<AuditEntry> entries = log.entries("api-1");
        assertThat(entries)
                .filteredOn(e -> "WRITE".equals(e.event().string("kind")))
                .extracting(e -> e.event().string("outcome"))
                .containsExactly("ALLOWED", "SUCCEEDED");
        assertThat(AuditVerifier.builder(MAC_KEYS).build().verify(log).ok()).isTrue();
        log.close();
    }

    @Test
    void failClosedRefusesAWriteWhoseChainEntryCannotBeWrittenAndSendsNothing(@TempDir Path dir) throws Exception {
        Path logDir = dir.resolve("audit");
        JsonLinesAuditLog log = AuditLog.jsonLines(logDir).build();
        AuditChain chain = AuditChain.builder("api-1", log, MAC_KEYS).build();
        // The log's directory is gone and a file stands in its place: no entry can be appended.
        Files.delete(logDir);
        Files.writeString(logDir, "not a directory");
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .auditSink(chain)
                .auditFailClosed(true)
                .build();

        AuditUnavailableException refused = thrown(
                AuditUnavailableException.class,
                () -> switchboard.connection(CONNECTION).execute(alice, "add_comment", COMMENT));

        assertThat(refused.nextStep()).isEqualTo(NextStep.GIVE_UP);
        assertThat(refused).hasMessageContaining("nothing was sent");
        assertThat(posts("/comments")).isZero();
        assertThat(chain.headSeq()).isZero();
        // The policy's and the consent gate's decisions before it failed too, and were counted: no failure is silent.
        assertThat(counted("switchboard.audit.failures")).isEqualTo(3);
    }

    /** A sink that waits at a gate before recording, as a slow database does. */
    private static final class GatedSink implements AuditSink {
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        final List<AuditEvent> recorded = new CopyOnWriteArrayList<>();

        @Override
        public void record(AuditEvent event) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            recorded.add(event);
        }
    }

    @Test
    void bufferedAuditCountsAndLogsEveryEventItCouldNotQueueAndRecordsTheRest() {
        GatedSink sink = new GatedSink();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard.audit");
        logs.start();
        ours.addAppender(logs);
        try {
            switchboard = builder()
                    .accessPolicy(AccessPolicy.allowAll())
                    .auditSink(sink)
                    .auditBuffered(1, java.time.Duration.ZERO)
                    .build();
            for (int i = 0; i < 3; i++) {
                assertThat(read(switchboard, alice, ReadRequest.of("tickets"))).containsExactly("t1");
            }
            // Three reads, each audited as a policy decision (ACCESS) and a read (READ): six events.
            assertThat(counted("switchboard.audit.dropped")).isGreaterThanOrEqualTo(1);
        } finally {
            sink.gate.countDown();
            switchboard.close();
            ours.detachAppender(logs);
        }

        double dropped = counted("switchboard.audit.dropped");
        assertThat(sink.recorded.size() + dropped).isEqualTo(6);
        assertThat(logs.list)
                .filteredOn(e -> e.getLevel() == Level.ERROR)
                .hasSize((int) dropped)
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("was not recorded", CONNECTION));
    }

    @Test
    void bufferedAuditMakesACallerWaitForRoomInsteadOfDropping() throws Exception {
        GatedSink sink = new GatedSink();
        switchboard = builder()
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(sink)
                .auditBuffered(1, java.time.Duration.ofMinutes(5))
                .build();
        // Two reads, four events: the drain thread holds the first at the gate, the buffer the second, the third waits.
        Thread reader = new Thread(() -> {
            read(switchboard, alice, ReadRequest.of("tickets"));
            read(switchboard, alice, ReadRequest.of("tickets"));
        });
        try {
            reader.start();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!waitsForRoom(reader) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(waitsForRoom(reader))
                    .as("the reader waits in the audit buffer")
                    .isTrue();
        } finally {
            sink.gate.countDown();
        }
        reader.join(30_000);
        assertThat(reader.isAlive()).isFalse();
        switchboard.close();

        assertThat(counted("switchboard.audit.dropped")).isZero();
        assertThat(sink.recorded)
                .extracting(AuditEvent::kind)
                .containsExactly(
                        AuditEvent.Kind.ACCESS, AuditEvent.Kind.READ, AuditEvent.Kind.ACCESS, AuditEvent.Kind.READ);
    }

    /** Whether {@code t} is blocked offering an event to the full audit buffer. */
    private static boolean waitsForRoom(Thread t) {
        return t.getState() == Thread.State.TIMED_WAITING
                && java.util.Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getMethodName().equals("offer")
                                && f.getClassName().equals("java.util.concurrent.ArrayBlockingQueue"));
    }

    @Test
    void aSwitchboardIsNotBothFailClosedAndBuffered() {
        assertThat(catchThrowable(() -> builder()
                        .auditFailClosed(true)
                        .auditBuffered(10, java.time.Duration.ofSeconds(1))
                        .build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not both");
    }
}
