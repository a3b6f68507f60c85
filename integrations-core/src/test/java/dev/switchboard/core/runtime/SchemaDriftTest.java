package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Schema drift in core's read loop, against a local server: each kind of drift under each policy,
 * the primary key and cursor rule, quarantine completeness, reporting, and the metadata check.
 */
class SchemaDriftTest {
    private final Random jitter = new Random(7);

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    /** The pinned contract of {@code tickets} on the test connection. */
    static final Schema CONTRACT = Schema.builder()
            .required("id", FieldType.STRING)
            .required("updated_at", FieldType.TIMESTAMP)
            .optional("subject", FieldType.STRING)
            .add(new Schema.Field("priority", FieldType.INTEGER, false, true))
            .optionalEnum("status", List.of("open", "pending", "closed"))
            .build();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final TokenStore store = TokenStore.inMemory(clock);
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger driftLogger = (Logger) LoggerFactory.getLogger("dev.switchboard.drift");
    private Switchboard switchboard;

    @BeforeEach
    void setUp() {
        store.compareAndSet("helpdesk-acme", 0, Credential.builder("access-1").build());
        logs.start();
        driftLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        driftLogger.detachAppender(logs);
        if (switchboard != null) {
            switchboard.close();
        }
    }

    // ---- fixtures ------------------------------------------------------------------------------

    /** Ticket {@code n}: id {@code t00n}, one minute apart, every contract field set. */
    static JsonObject ticket(int n) {
        return JsonObject.builder()
                .put("id", String.format("t%03d", n))
                .put(
                        "updated_at",
                        Instant.parse("2026-02-01T00:00:00Z")
                                .plus(Duration.ofMinutes(n))
                                .toString())
                .put("subject", "Subject " + n)
                .put("priority", n % 4)
                .put("status", n % 2 == 0 ? "open" : "pending")
                .build();
    }

    static List<JsonObject> tickets(int count) {
        return IntStream.range(0, count).mapToObj(SchemaDriftTest::ticket).toList();
    }

    static List<JsonObject> with(List<JsonObject> all, Set<Integer> at, UnaryOperator<JsonObject> change) {
        List<JsonObject> out = new ArrayList<>(all);
        at.forEach(i -> out.set(i, change.apply(out.get(i))));
        return out;
    }

    /**
     * Stubs the pages of {@code items} from index {@code start}, {@code pageSize} a page: the first
     * request of a read from the start, or a resume after item {@code start - 1}.
     */
    static void serve(List<JsonObject> items, int start, int pageSize) {
        serve("tickets", items, start, pageSize);
    }

    static void serve(String stream, List<JsonObject> items, int start, int pageSize) {
        for (int from = start, k = 0; from < items.size() || from == start; from += pageSize, k++) {
            int to = Math.min(items.size(), from + pageSize);
            String next = to < items.size() ? "s" + start + "-" + (k + 1) : null;
            JsonObject body = JsonObject.builder()
                    .put("items", JsonArray.of(new ArrayList<JsonValue>(items.subList(from, to))))
                    .put("next_page", next == null ? JsonNull.INSTANCE : new JsonString(next))
                    .build();
            var request = get(urlPathEqualTo("/" + stream));
            if (k > 0) {
                request = request.withQueryParam("page", equalTo("s" + start + "-" + k));
            } else if (start == 0) {
                request = request.withQueryParam("page", absent()).withQueryParam("after_id", absent());
            } else {
                request = request.withQueryParam("page", absent())
                        .withQueryParam("after_id", equalTo(String.valueOf(idOf(items.get(start - 1)))));
            }
            server.stubFor(request.willReturn(okJson(body.toJson())));
            if (to >= items.size()) {
                break;
            }
        }
    }

    private static String idOf(JsonObject item) {
        return item.get("id") instanceof JsonString s
                ? s.value()
                : String.valueOf(item.get("id").toJson());
    }

    private Switchboard build(DriftPolicy policy) {
        return build(policy, QuarantineStore.inMemory(), false);
    }

    private Switchboard build(DriftPolicy policy, QuarantineStore quarantine, boolean describe) {
        switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder("helpdesk-acme")
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .driftPolicy(policy)
                        .contract("tickets", CONTRACT)
                        .settings(describe ? Map.of("describe", "true") : Map.of())
                        .build())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(audit)
                .quarantineStore(quarantine)
                .clock(clock)
                .sleeper(clock.sleeper())
                .random(() -> jitter)
                .build();
        return switchboard;
    }

    /** What one read did: the ids delivered, the failure if any, and the checkpoint at the end. */
    record Outcome(List<String> delivered, SchemaDriftException failure, Checkpoint checkpoint) {}

    private Outcome read(ReadRequest request) {
        List<String> delivered = new ArrayList<>();
        SchemaDriftException failure = null;
        Checkpoint checkpoint;
        try (RecordStream stream = switchboard.connection("helpdesk-acme").read(alice, request)) {
            try {
                stream.forEach(r -> delivered.add(r.id()));
            } catch (SchemaDriftException e) {
                failure = e;
            }
            checkpoint = stream.checkpoint();
        }
        return new Outcome(delivered, failure, checkpoint);
    }

    private List<Record> readRecords() {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
            stream.forEach(records::add);
        }
        return records;
    }

    private double driftCount(String field, Drift.Kind kind, String action) {
        return driftCount("tickets", field, kind, action);
    }

    private double driftCount(String stream, String field, Drift.Kind kind, String action) {
        var counter = switchboard
                .meterRegistry()
                .find("switchboard.drift")
                .tags(
                        "connector",
                        "helpdesk",
                        "connection",
                        "helpdesk-acme",
                        "stream",
                        stream,
                        "field",
                        field,
                        "kind",
                        kind.name(),
                        "action",
                        action)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private List<AuditEvent> driftEvents() {
        return audit.events().stream()
                .filter(e -> e.kind() == AuditEvent.Kind.DRIFT)
                .toList();
    }

    private static List<String> ids(int... ns) {
        return IntStream.of(ns).mapToObj(n -> String.format("t%03d", n)).toList();
    }

    private static List<String> range(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(n -> String.format("t%03d", n))
                .toList();
    }

    // ---- each kind under each policy ----------------------------------------------------------

    /** One kind of drift, made on a record, with the field, shapes and whether it breaks the contract. */
    enum Change {
        ADDED(
                "sla_tier",
                false,
                null,
                "STRING",
                t -> t.newBuilder().put("sla_tier", "gold").build()),
        MISSING(
                "priority",
                true,
                "INTEGER",
                null,
                t -> t.newBuilder().remove("priority").build()),
        TYPE_CHANGED(
                "priority",
                true,
                "INTEGER",
                "STRING",
                t -> t.newBuilder().put("priority", "urgent-ish").build()),
        NOW_NULLABLE(
                "priority",
                true,
                "INTEGER",
                "null",
                t -> t.newBuilder().put("priority", JsonNull.INSTANCE).build()),
        UNKNOWN_VALUE(
                "status",
                true,
                "one of [open, pending, closed]",
                "escalated",
                t -> t.newBuilder().put("status", "escalated").build());

        final String field;
        final boolean breaking;
        final String expected;
        final String observed;
        final UnaryOperator<JsonObject> apply;

        Change(String field, boolean breaking, String expected, String observed, UnaryOperator<JsonObject> apply) {
            this.field = field;
            this.breaking = breaking;
            this.expected = expected;
            this.observed = observed;
            this.apply = apply;
        }

        Drift.Kind kind() {
            return Drift.Kind.valueOf(name());
        }
    }

    /** Each change under each policy. */
    static Stream<Arguments> underEachPolicy(Object[] changes) {
        return Stream.of(changes).flatMap(c -> Stream.of(DriftPolicy.values()).map(p -> Arguments.of(c, p)));
    }

    static Stream<Arguments> kindsAndPolicies() {
        return underEachPolicy(Change.values());
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("kindsAndPolicies")
    void eachKindOfDriftIsDetectedClassifiedAndHandledByThePolicy(Change change, DriftPolicy policy) {
        // Two pages of three; ticket 3 (first of page two) drifts.
        List<JsonObject> items = with(tickets(6), Set.of(3), change.apply);
        serve(items, 0, 3);
        QuarantineStore quarantine = QuarantineStore.inMemory();
        build(policy, quarantine, false);

        Outcome out = read(ReadRequest.of("tickets"));

        String action;
        if (!change.breaking || policy == DriftPolicy.REPORT) {
            action = "reported";
            assertThat(out.failure()).isNull();
            assertThat(out.delivered()).isEqualTo(range(0, 6));
            assertThat(quarantine.count("helpdesk-acme", "tickets")).isZero();
            assertThat(out.checkpoint().position())
                    .get()
                    .extracting(Position::id)
                    .isEqualTo("t005");
        } else if (policy == DriftPolicy.QUARANTINE) {
            action = "quarantined";
            assertThat(out.failure()).isNull();
            assertThat(out.delivered()).isEqualTo(ids(0, 1, 2, 4, 5));
            QuarantinedRecord kept = quarantine.list("helpdesk-acme", "tickets").get(0);
            assertThat(quarantine.list("helpdesk-acme", "tickets")).hasSize(1);
            assertThat(kept.id()).isEqualTo("t003");
            assertThat(kept.record().data()).isEqualTo(items.get(3)); // kept as read, never coerced
            assertThat(kept.drifts())
                    .containsExactly(new Drift(change.field, change.kind(), change.expected, change.observed));
            assertThat(kept.policy()).isEqualTo(DriftPolicy.QUARANTINE);
            assertThat(kept.quarantinedAt()).isEqualTo(clock.instant());
            assertThat(kept.connector()).isEqualTo("helpdesk");
            assertThat(kept.reason()).contains(change.kind().name()).contains(change.field);
            assertThat(out.checkpoint().position())
                    .get()
                    .extracting(Position::id)
                    .isEqualTo("t005");
        } else {
            action = "failed";
            assertThat(out.delivered()).isEqualTo(range(0, 3));
            assertThat(out.failure()).isNotNull();
            assertThat(out.failure().drifts())
                    .containsExactly(new Drift(change.field, change.kind(), change.expected, change.observed));
            assertThat(out.failure().getMessage()).contains("t003");
            assertThat(out.failure().recordId()).contains("t003");
            assertThat(out.checkpoint().position())
                    .get()
                    .extracting(Position::id)
                    .isEqualTo("t002");
        }
        if (change.breaking && policy == DriftPolicy.REPORT) {
            // Delivered as read: the string stays a string, the null stays null.
            Record drifted = readRecords().get(3);
            assertThat(drifted.data()).isEqualTo(items.get(3));
        }

        assertThat(driftCount(change.field, change.kind(), action))
                .isEqualTo(
                        change.breaking && policy == DriftPolicy.REPORT ? 2 : 1); // REPORT read the stream twice above
        assertThat(driftEvents()).first().satisfies(e -> {
            assertThat(e.operation()).isEqualTo("tickets");
            assertThat(e.connection()).isEqualTo("helpdesk-acme");
            assertThat(e.recordIds()).containsExactly("t003");
            assertThat(e.detail())
                    .contains(
                            "field=" + change.field,
                            "kind=" + change.kind(),
                            "breaking=" + change.breaking,
                            "expected=" + change.expected,
                            "observed=" + change.observed,
                            "policy=" + policy,
                            "action=" + action,
                            "count=1");
            assertThat(e.outcome())
                    .isEqualTo(
                            switch (action) {
                                case "reported" -> AuditEvent.Outcome.ALLOWED;
                                case "quarantined" -> AuditEvent.Outcome.DENIED;
                                default -> AuditEvent.Outcome.FAILED;
                            });
        });
        assertThat(logs.list).first().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(change.breaking ? Level.WARN : Level.INFO);
            assertThat(line.getFormattedMessage())
                    .contains(
                            "helpdesk-acme",
                            "'tickets'",
                            change.kind().name(),
                            change.field,
                            "expected " + (change.expected == null ? "nothing" : change.expected));
            // No record values in the log: not the drifting value, not the subject.
            assertThat(line.getFormattedMessage()).doesNotContain("urgent-ish", "gold", "Subject 3");
        });
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.READ)
                .first()
                .extracting(AuditEvent::detail)
                .asString()
                .contains((policy == DriftPolicy.QUARANTINE && change.breaking ? 1 : 0) + " quarantined");
    }

    @Test
    void driftIsLoggedAndAuditedOncePerFieldAndKindPerReadWithEveryAffectedId() {
        List<JsonObject> items = with(tickets(12), Set.of(1, 4, 7, 10), Change.TYPE_CHANGED.apply);
        items = with(items, Set.of(2, 7), Change.ADDED.apply);
        serve(items, 0, 5);
        build(DriftPolicy.QUARANTINE);

        Outcome out = read(ReadRequest.of("tickets"));

        assertThat(out.delivered()).hasSize(8);
        assertThat(driftEvents()).hasSize(2);
        assertThat(driftEvents())
                .filteredOn(e -> e.detail().contains("kind=TYPE_CHANGED"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.recordIds()).containsExactly("t001", "t004", "t007", "t010");
                    assertThat(e.detail()).contains("count=4", "action=quarantined");
                });
        // Ticket 7 was quarantined, but its added field is only reported: it alone would not have held it back.
        assertThat(driftEvents())
                .filteredOn(e -> e.detail().contains("kind=ADDED"))
                .singleElement()
                .satisfies(e -> assertThat(e.recordIds()).containsExactly("t002", "t007"));
        assertThat(logs.list).hasSize(2);
        assertThat(driftCount("priority", Drift.Kind.TYPE_CHANGED, "quarantined"))
                .isEqualTo(4);
        assertThat(driftCount("sla_tier", Drift.Kind.ADDED, "reported")).isEqualTo(2);
        assertThat(switchboard
                        .meterRegistry()
                        .find("switchboard.records.quarantined")
                        .tag("stream", "tickets")
                        .counter()
                        .count())
                .isEqualTo(4);
        // The READ event comes after the drift events and counts all three outcomes.
        assertThat(audit.events().get(audit.events().size() - 1)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.Kind.READ);
            assertThat(e.detail()).startsWith("8 delivered, 0 withheld, 4 quarantined");
        });
    }

    @Test
    void aFieldTheCallerDidNotAskForIsNotMissing() {
        // A source that returns only the fields asked for (SOQL, HubSpot properties=) leaves the rest out.
        List<JsonObject> items = tickets(4).stream()
                .map(t -> t.newBuilder().remove("priority").remove("subject").build())
                .toList();
        serve(items, 0, 10);
        build(DriftPolicy.FAIL);

        assertThat(read(ReadRequest.of("tickets").fields("status")).delivered()).hasSize(4);
        Outcome all = read(ReadRequest.of("tickets"));
        assertThat(all.failure()).isNotNull();
        assertThat(all.failure().drifts()).extracting(Drift::kind).containsExactly(Drift.Kind.MISSING);
    }

    // ---- the primary key and the cursor -----------------------------------------------------

    /** A drift of the primary key or the cursor field. */
    enum KeyChange {
        CURSOR_REMOVED(t -> t.newBuilder().remove("updated_at").build(), Drift.Kind.MISSING, "updated_at"),
        CURSOR_RETYPED(
                t -> t.newBuilder().put("updated_at", 1770000000L).build(), Drift.Kind.TYPE_CHANGED, "updated_at"),
        CURSOR_NULL(
                t -> t.newBuilder().put("updated_at", JsonNull.INSTANCE).build(),
                Drift.Kind.NOW_NULLABLE,
                "updated_at"),
        KEY_RETYPED(
                t -> t.newBuilder()
                        .put("id", new JsonNumber(java.math.BigDecimal.valueOf(4242)))
                        .build(),
                Drift.Kind.TYPE_CHANGED,
                "id");

        final UnaryOperator<JsonObject> apply;
        final Drift.Kind kind;
        final String field;

        KeyChange(UnaryOperator<JsonObject> apply, Drift.Kind kind, String field) {
            this.apply = apply;
            this.kind = kind;
            this.field = field;
        }
    }

    static Stream<Arguments> keyChangesAndPolicies() {
        return underEachPolicy(KeyChange.values());
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("keyChangesAndPolicies")
    void driftOnThePrimaryKeyOrCursorStopsTheReadUnderEveryPolicyAndAResumeLosesNothing(
            KeyChange change, DriftPolicy policy) {
        List<JsonObject> clean = tickets(10);
        // From ticket 6 on the vendor changed the field; ticket 8 also breaks a non-key field.
        List<JsonObject> drifted =
                with(with(clean, Set.of(6, 7, 8, 9), change.apply), Set.of(8), Change.TYPE_CHANGED.apply);
        serve(drifted, 0, 4);
        QuarantineStore quarantine = QuarantineStore.inMemory();
        build(policy, quarantine, false);

        Outcome first = read(ReadRequest.of("tickets"));

        assertThat(first.failure()).isNotNull();
        assertThat(first.failure().drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(change.field, change.kind));
        assertThat(first.delivered()).isEqualTo(range(0, 6));
        assertThat(first.checkpoint().position())
                .get()
                .isEqualTo(Position.of(clean.get(5).string("updated_at"), "t005"));
        assertThat(quarantine.count("helpdesk-acme", "tickets")).isZero(); // nothing was passed, nothing kept aside
        assertThat(driftCount(change.field, change.kind, "failed")).isEqualTo(1);

        // The vendor reverts (or the contract is fixed): the resume reads exactly the rest.
        List<JsonObject> fixed = with(clean, Set.of(8), Change.TYPE_CHANGED.apply);
        serve(fixed, 6, 4);
        Outcome resumed = read(ReadRequest.of("tickets").since(first.checkpoint()));

        assertThat(server.findAll(
                        getRequestedFor(urlPathEqualTo("/tickets")).withQueryParam("after_id", equalTo("t005"))))
                .hasSize(1);
        List<String> all = new ArrayList<>(first.delivered());
        all.addAll(resumed.delivered());
        quarantine.list("helpdesk-acme", "tickets").forEach(q -> all.add(q.id()));
        if (policy == DriftPolicy.FAIL) {
            assertThat(resumed.failure()).isNotNull(); // ticket 8's non-key drift stops FAIL reads
            assertThat(resumed.delivered()).isEqualTo(ids(6, 7));
        } else {
            assertThat(resumed.failure()).isNull();
            assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(range(0, 10));
            assertThat(resumed.checkpoint().position())
                    .get()
                    .extracting(Position::id)
                    .isEqualTo("t009");
        }
    }

    /** A key or cursor that no contract can excuse: absent, null, or not a string or number. */
    enum LaxKeyChange {
        CURSOR_ABSENT(
                "updated_at",
                Drift.Kind.MISSING,
                "TIMESTAMP",
                null,
                t -> t.newBuilder().remove("updated_at").build()),
        CURSOR_NULL(
                "updated_at",
                Drift.Kind.NOW_NULLABLE,
                "TIMESTAMP",
                "null",
                t -> t.newBuilder().put("updated_at", JsonNull.INSTANCE).build()),
        // The contract itself sees this one (its shape, nullable, stands); the rule adds nothing.
        CURSOR_OBJECT(
                "updated_at",
                Drift.Kind.TYPE_CHANGED,
                "TIMESTAMP?",
                "OBJECT",
                t -> t.newBuilder()
                        .put("updated_at", JsonObject.builder().put("at", 1).build())
                        .build()),
        KEY_NULL(
                "id",
                Drift.Kind.NOW_NULLABLE,
                "STRING | NUMBER",
                "null",
                t -> t.newBuilder().put("id", JsonNull.INSTANCE).build()),
        KEY_BOOLEAN(
                "id",
                Drift.Kind.TYPE_CHANGED,
                "STRING | NUMBER",
                "BOOLEAN",
                t -> t.newBuilder().put("id", true).build()),
        KEY_ARRAY(
                "id",
                Drift.Kind.TYPE_CHANGED,
                "STRING | NUMBER",
                "ARRAY",
                t -> t.newBuilder()
                        .put("id", JsonArray.of(List.of(new JsonString("t006"))))
                        .build());

        final String field;
        final Drift.Kind kind;
        final String expected;
        final String observed;
        final UnaryOperator<JsonObject> apply;

        LaxKeyChange(String field, Drift.Kind kind, String expected, String observed, UnaryOperator<JsonObject> apply) {
            this.field = field;
            this.kind = kind;
            this.expected = expected;
            this.observed = observed;
            this.apply = apply;
        }
    }

    static Stream<Arguments> laxKeyChangesAndPolicies() {
        return underEachPolicy(LaxKeyChange.values());
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("laxKeyChangesAndPolicies")
    void theKeyAndCursorRuleHoldsWhateverTheContractDeclares(LaxKeyChange change, DriftPolicy policy) {
        // Stream "events" declares its cursor optional and its primary key not at all; ticket 6 breaks one of them.
        List<JsonObject> items = with(tickets(9), Set.of(6), change.apply);
        serve("events", items, 0, 4);
        QuarantineStore quarantine = QuarantineStore.inMemory();
        build(policy, quarantine, false);

        Outcome out = read(ReadRequest.of("events"));
        SchemaDriftException failure = out.failure();

        assertThat(failure).as("the read stops on the record").isNotNull();
        assertThat(failure.drifts())
                .containsExactly(new Drift(change.field, change.kind, change.expected, change.observed));
        String stoppedOn = change.field.equals("id") ? idOf(items.get(6)) : "t006";
        assertThat(failure.recordId()).contains(stoppedOn);
        assertThat(failure.getMessage())
                .contains(
                        "'" + stoppedOn + "'",
                        change.field.equals("id") ? "on its primary key" : "primary key or cursor field");
        assertThat(out.delivered()).isEqualTo(range(0, 6));
        assertThat(out.checkpoint().position())
                .get()
                .isEqualTo(Position.of(items.get(5).string("updated_at"), "t005"));
        assertThat(quarantine.count("helpdesk-acme", "events")).isZero();
        assertThat(driftCount("events", change.field, change.kind, "failed")).isEqualTo(1);
        assertThat(driftEvents())
                .filteredOn(e -> e.detail().contains("field=" + change.field + " ")
                        && e.detail().contains("action=failed"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILED);
                    assertThat(e.recordIds()).containsExactly(stoppedOn);
                });
    }

    @Test
    void aPinnedContractOfAnIncrementalStreamMustPromiseItsKeyAndCursor() {
        record Case(Schema contract, String message) {}
        List<Case> cases = List.of(
                new Case(contractWith("updated_at", null), "omits its cursor field 'updated_at'"),
                new Case(contractWith("id", null), "omits its primary key 'id'"),
                new Case(
                        contractWith("updated_at", new Schema.Field("updated_at", FieldType.TIMESTAMP, true, true)),
                        "declares its cursor field 'updated_at' optional or nullable"),
                new Case(
                        contractWith("id", new Schema.Field("id", FieldType.STRING, false, false)),
                        "declares its primary key 'id' optional or nullable"),
                new Case(
                        contractWith("updated_at", new Schema.Field("updated_at", FieldType.BOOLEAN, false, true)),
                        "declares its cursor field 'updated_at' as BOOLEAN"));
        for (Case c : cases) {
            var builder = Switchboard.builder()
                    .connection(ConnectionConfig.builder("helpdesk-acme")
                            .connector(HelpdeskConnector.ID)
                            .baseUrl(server.baseUrl())
                            .contract("tickets", c.contract())
                            .build())
                    .tokenStore(store)
                    .clock(clock);
            assertThatThrownBy(builder::build)
                    .as(c.message())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("connection 'helpdesk-acme'")
                    .hasMessageContaining("incremental stream 'tickets' " + c.message())
                    .hasMessageContaining("declare it always present and never null");
        }
        // A stream read in full has no cursor to protect at build time: its pinned contract may be lax (the
        // read still checks the primary key of every record).
        switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder("helpdesk-acme")
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .contract(
                                "agents",
                                Schema.builder()
                                        .optional("id", FieldType.STRING)
                                        .build())
                        .contract("tickets", CONTRACT)
                        .build())
                .tokenStore(store)
                .clock(clock)
                .build();
        assertThat(switchboard.connection("helpdesk-acme").contract("agents").field("id"))
                .get()
                .extracting(Schema.Field::required)
                .isEqualTo(false);
    }

    // ---- quarantine keeps every record ------------------------------------------------------

    /** A store that keeps every put, to show no record is quarantined twice or lost. */
    static final class Recording implements QuarantineStore {
        final QuarantineStore delegate = QuarantineStore.inMemory();
        final List<String> puts = new CopyOnWriteArrayList<>();
        volatile String failOn;

        @Override
        public void put(QuarantinedRecord record) {
            if (record.id().equals(failOn)) {
                throw new IllegalStateException("disk full");
            }
            puts.add(record.id());
            delegate.put(record);
        }

        @Override
        public List<QuarantinedRecord> list(String connectionId, String stream) {
            return delegate.list(connectionId, stream);
        }

        @Override
        public Optional<QuarantinedRecord> release(String connectionId, String stream, String recordId) {
            return delegate.release(connectionId, stream, recordId);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void quarantineKeepsEveryRecordAndTheCheckpointResumesExactly(long seed) {
        Random random = new Random(seed);
        int n = 40 + random.nextInt(40);
        Set<Integer> drifting = new TreeSet<>();
        int k = 1 + random.nextInt(n / 4);
        while (drifting.size() < k) {
            drifting.add(random.nextInt(n));
        }
        Change[] breaking = {Change.MISSING, Change.TYPE_CHANGED, Change.NOW_NULLABLE, Change.UNKNOWN_VALUE};
        List<JsonObject> items = tickets(n);
        for (int i : drifting) {
            items = with(items, Set.of(i), breaking[random.nextInt(breaking.length)].apply);
        }
        int pageSize = 3 + random.nextInt(8);
        serve(items, 0, pageSize);
        Recording quarantine = new Recording();
        build(DriftPolicy.QUARANTINE, quarantine, false);

        // The agent stops midway, then resumes from the checkpoint.
        int stopAfter = 1 + random.nextInt(n - k - 1);
        List<String> delivered = new ArrayList<>();
        Checkpoint checkpoint;
        try (RecordStream stream = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
            var it = stream.iterator();
            while (delivered.size() < stopAfter && it.hasNext()) {
                delivered.add(it.next().id());
            }
            checkpoint = stream.checkpoint();
        }
        String last = checkpoint.position().orElseThrow().id();
        int resumeAt = Integer.parseInt(last.substring(1)) + 1;
        serve(items, resumeAt, pageSize);
        try (RecordStream stream = switchboard
                .connection("helpdesk-acme")
                .read(alice, ReadRequest.of("tickets").since(checkpoint))) {
            stream.forEach(r -> delivered.add(r.id()));
        }

        Set<String> quarantined = new HashSet<>(quarantine.puts);
        assertThat(quarantine.puts).as("each drifting record quarantined once").doesNotHaveDuplicates();
        assertThat(quarantined)
                .isEqualTo(new HashSet<>(
                        drifting.stream().map(i -> String.format("t%03d", i)).toList()));
        assertThat(delivered).doesNotHaveDuplicates().doesNotContainAnyElementsOf(quarantined);
        assertThat(delivered.size() + quarantined.size()).isEqualTo(n);
        List<String> everything = new ArrayList<>(delivered);
        everything.addAll(quarantined);
        assertThat(everything).containsExactlyInAnyOrderElementsOf(range(0, n));
    }

    @Test
    void aRecordTheStoreCannotKeepStopsTheReadBeforeIt() {
        serve(with(tickets(6), Set.of(2, 4), Change.TYPE_CHANGED.apply), 0, 10);
        Recording quarantine = new Recording();
        quarantine.failOn = "t004";
        build(DriftPolicy.QUARANTINE, quarantine, false);

        List<String> delivered = new ArrayList<>();
        Checkpoint checkpoint;
        try (RecordStream stream = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
            assertThatThrownBy(() -> stream.forEach(r -> delivered.add(r.id())))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("t004")
                    .hasMessageContaining("quarantine store");
            checkpoint = stream.checkpoint();
        }
        assertThat(delivered).isEqualTo(ids(0, 1, 3));
        assertThat(quarantine.puts).containsExactly("t002");
        assertThat(checkpoint.position()).get().extracting(Position::id).isEqualTo("t003");
    }

    @Test
    void aQuarantinedLastRecordMovesTheCheckpointAndCanBeReleased() {
        serve(with(tickets(3), Set.of(2), Change.UNKNOWN_VALUE.apply), 0, 10);
        build(DriftPolicy.QUARANTINE);
        Outcome out = read(ReadRequest.of("tickets"));

        assertThat(out.delivered()).isEqualTo(ids(0, 1));
        assertThat(out.checkpoint().position()).get().extracting(Position::id).isEqualTo("t002");
        assertThat(switchboard.quarantine(alice).release("helpdesk-acme", "tickets", "t002"))
                .get()
                .extracting(QuarantinedRecord::id)
                .isEqualTo("t002");
        assertThat(switchboard.quarantine(alice).list("helpdesk-acme", "tickets"))
                .isEmpty();
        assertThat(switchboard.quarantine(alice).release("helpdesk-acme", "tickets", "t002"))
                .isEmpty();
    }

    // ---- the source's metadata ---------------------------------------------------------------

    private static void describeAs(Schema schema) {
        List<JsonValue> fields = new ArrayList<>();
        for (Schema.Field f : schema.fields()) {
            fields.add(JsonObject.builder()
                    .put("name", f.name())
                    .put("type", f.type().name())
                    .put("nullable", f.nullable())
                    .put("required", f.required())
                    .put(
                            "values",
                            JsonArray.of(f.values().stream()
                                    .map(v -> (JsonValue) new JsonString(v))
                                    .toList()))
                    .build());
        }
        server.stubFor(get(urlPathEqualTo("/schema/tickets"))
                .willReturn(okJson(JsonObject.builder()
                        .put("fields", JsonArray.of(fields))
                        .build()
                        .toJson())));
    }

    /** The contract with one field replaced (or removed, when {@code field} is null). */
    private static Schema contractWith(String name, Schema.Field field) {
        Schema.Builder b = Schema.builder();
        for (Schema.Field f : CONTRACT.fields()) {
            if (!f.name().equals(name)) {
                b.add(f);
            } else if (field != null) {
                b.add(field);
            }
        }
        return b.build();
    }

    private int describes() {
        return server.findAll(getRequestedFor(urlPathEqualTo("/schema/tickets")))
                .size();
    }

    private int listRequests() {
        return server.findAll(getRequestedFor(urlPathEqualTo("/tickets"))).size();
    }

    @ParameterizedTest
    @EnumSource(DriftPolicy.class)
    void metadataShowingARemovedOrRetypedFieldFailsOnlyUnderFail(DriftPolicy policy) {
        serve(tickets(3), 0, 10);
        describeAs(contractWith("subject", new Schema.Field("subject", FieldType.INTEGER, true, false)));
        build(policy, QuarantineStore.inMemory(), true);

        Outcome out = read(ReadRequest.of("tickets"));

        String action = policy == DriftPolicy.FAIL ? "failed" : "reported";
        assertThat(driftCount("subject", Drift.Kind.TYPE_CHANGED, action)).isEqualTo(1);
        assertThat(driftEvents())
                .singleElement()
                .satisfies(e -> assertThat(e.detail())
                        .contains(
                                "source=metadata",
                                "field=subject",
                                "kind=TYPE_CHANGED",
                                "expected=STRING?",
                                "observed=INTEGER",
                                "policy=" + policy,
                                "action=" + action));
        if (policy == DriftPolicy.FAIL) {
            assertThat(out.failure()).isNotNull();
            assertThat(out.failure().drifts()).extracting(Drift::field).containsExactly("subject");
            assertThat(out.failure().recordId())
                    .as("the metadata stopped it, no record")
                    .isEmpty();
            assertThat(out.delivered()).isEmpty();
            assertThat(listRequests()).as("no page asked for").isZero();
            assertThat(out.checkpoint().position()).isEmpty();
        } else {
            assertThat(out.failure()).isNull();
            assertThat(out.delivered()).isEqualTo(range(0, 3));
        }

        // A removed field is caught the same way.
        server.resetRequests();
        describeAs(contractWith("subject", null));
        clock.advance(Duration.ofHours(1));
        Outcome again = read(ReadRequest.of("tickets"));
        assertThat(driftCount("subject", Drift.Kind.REMOVED, action)).isEqualTo(1);
        assertThat(again.failure() != null).isEqualTo(policy == DriftPolicy.FAIL);
    }

    @ParameterizedTest
    @EnumSource(DriftPolicy.class)
    void metadataRetypingTheCursorAlwaysStopsTheRead(DriftPolicy policy) {
        serve(tickets(3), 0, 10);
        describeAs(contractWith("updated_at", new Schema.Field("updated_at", FieldType.INTEGER, false, true)));
        build(policy, QuarantineStore.inMemory(), true);

        Outcome out = read(ReadRequest.of("tickets"));

        assertThat(out.failure()).isNotNull();
        assertThat(out.failure().drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("updated_at", Drift.Kind.TYPE_CHANGED));
        assertThat(listRequests()).isZero();
        // A failed check is not a check: the next read asks again.
        read(ReadRequest.of("tickets"));
        assertThat(describes()).isEqualTo(2);
    }

    @Test
    void metadataAdditionsAndNewValuesAreReportedAndNullabilityIsLeftToTheRecords() {
        serve(tickets(3), 0, 10);
        Schema described = Schema.builder()
                .required("id", FieldType.STRING)
                .required("updated_at", FieldType.TIMESTAMP)
                .optional("subject", FieldType.STRING)
                .add(new Schema.Field("priority", FieldType.INTEGER, true, true)) // nillable in metadata: ignored
                .optionalEnum("status", List.of("open", "pending", "closed", "escalated"))
                .optional("sla_tier", FieldType.STRING)
                .optional("region", FieldType.STRING)
                .build();
        describeAs(described);
        build(DriftPolicy.QUARANTINE, QuarantineStore.inMemory(), true);

        Outcome out = read(ReadRequest.of("tickets"));

        assertThat(out.failure()).isNull();
        assertThat(out.delivered()).hasSize(3);
        assertThat(driftCount("status", Drift.Kind.UNKNOWN_VALUE, "reported")).isEqualTo(1);
        // Fields the metadata adds share one series (field="*"), counted per field: no series per property.
        assertThat(driftCount("*", Drift.Kind.ADDED, "reported")).isEqualTo(2);
        assertThat(driftCount("sla_tier", Drift.Kind.ADDED, "reported")).isZero();
        assertThat(switchboard
                        .meterRegistry()
                        .find("switchboard.drift")
                        .tag("kind", "ADDED")
                        .counters())
                .hasSize(1);
        assertThat(driftCount("priority", Drift.Kind.NOW_NULLABLE, "reported")).isZero();
        assertThat(driftEvents())
                .extracting(AuditEvent::detail)
                .satisfiesExactlyInAnyOrder(
                        d -> assertThat(d).contains("field=status", "kind=UNKNOWN_VALUE", "observed=escalated"),
                        d -> assertThat(d).contains("kind=ADDED", "fields=2", "sla_tier", "region"));
    }

    @Test
    void metadataIsCheckedAtMostOncePerRecheckInterval() {
        serve(tickets(2), 0, 10);
        describeAs(CONTRACT);
        build(DriftPolicy.QUARANTINE, QuarantineStore.inMemory(), true);

        read(ReadRequest.of("tickets"));
        clock.advance(Duration.ofMinutes(59));
        read(ReadRequest.of("tickets"));
        assertThat(describes()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        read(ReadRequest.of("tickets"));
        assertThat(describes()).isEqualTo(2);
        assertThat(driftEvents()).isEmpty();
    }

    @Test
    void theRecheckIntervalIsASwitchboardSetting() {
        assertThatThrownBy(() -> Switchboard.builder().driftRecheckInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duration.ZERO");
        serve(tickets(2), 0, 10);
        describeAs(CONTRACT);
        switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder("helpdesk-acme")
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .contract("tickets", CONTRACT)
                        .settings(Map.of("describe", "true"))
                        .build())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .driftRecheckInterval(Duration.ZERO)
                .build();
        read(ReadRequest.of("tickets"));
        read(ReadRequest.of("tickets"));
        assertThat(describes()).isEqualTo(2);
    }
}
