package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.QuotaExhaustedException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeRequest;
import dev.switchboard.testkit.fake.FakeSalesforce;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Salesforce's own behaviour, end to end through Switchboard against {@link FakeSalesforce}. */
class SalesforceConnectorTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final AgentContext context = AgentContext.of(Principal.user("agent-user", "tenant-1"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private FakeConnection harness;
    private String lookback;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A connection whose configured base URL goes nowhere: only the credential's instance_url reaches the fake. */
    private Connection connect(Connector connector) {
        return connect(connector, null);
    }

    /**
     * A connection whose resumed reads start exactly after the checkpoint: for the tests of the resume
     * condition itself (the look-back re-reads are tested in SalesforceFreshnessTest).
     */
    private Connection connectWithoutLookback() {
        lookback = "PT0S";
        return connect();
    }

    private Connection connect(Connector connector, BudgetSettings budget) {
        FakeConnection.Builder b = FakeConnection.to(FAKE, SalesforceConnector.ID)
                .connectionId("sf")
                .connector(connector)
                .baseUrl("http://127.0.0.1:9")
                .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()))
                .http(HttpSettings.custom()
                        .backoff(Duration.ofMillis(100), Duration.ofSeconds(10))
                        .build())
                .clock(clock)
                .meters(meters)
                .context(context)
                .seed(7);
        if (budget != null) {
            b.budget(budget);
        }
        if (lookback != null) {
            b.setting(SalesforceConnector.LOOKBACK_SETTING, lookback);
        }
        harness = b.build();
        return harness.connection();
    }

    private Connection connect() {
        return connect(new SalesforceConnector());
    }

    private List<Record> readAll(Connection connection, ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = connection.read(context, request)) {
            stream.forEach(records::add);
        }
        return records;
    }

    private static List<String> queries() {
        return FAKE.requests().stream()
                .filter(r -> r.path().endsWith("/query") || r.path().endsWith("/queryAll"))
                .map(r -> r.query("q"))
                .filter(q -> !q.endsWith(" FROM Organization")) // the org\'s sharing defaults, read once
                .toList();
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(Connector.class).stream()
                        .map(p -> p.type().getName()))
                .contains(SalesforceConnector.class.getName());
    }

    @Test
    void declaresTheSixStreamsAndThreeActions() {
        var descriptor = new SalesforceConnector().descriptor();
        assertThat(descriptor.streams())
                .extracting(s -> s.name())
                .containsExactly("Account", "Case", "Contact", "Opportunity", "Task", "User");
        assertThat(descriptor.streams()).allSatisfy(s -> {
            assertThat(s.primaryKey()).isEqualTo("Id");
            assertThat(s.cursorField()).isEqualTo("SystemModstamp");
        });
        assertThat(descriptor.actions())
                .extracting(a -> a.name() + ":" + a.effect() + ":" + a.retrySafe())
                .containsExactly(
                        "add_case_comment:WRITE:false", "create_task:WRITE:false", "update_case_status:WRITE:true");
        assertThat(descriptor.actions()).allSatisfy(a -> {
            assertThat(a.effect()).isEqualTo(Effect.WRITE);
            assertThat(a.inputSchema().bool("additionalProperties")).isFalse();
            assertThat(a.inputSchema().array("required")).isNotEmpty();
        });
    }

    @Test
    void requestsGoToTheCredentialsInstanceUrlWithTheLimitHeaderOnEveryAnswer() {
        List<Record> accounts = readAll(connect(), ReadRequest.of("Account"));

        assertThat(accounts).hasSize(5);
        assertThat(FAKE.requests())
                .extracting(FakeRequest::path)
                .containsExactly(
                        "/services/data/v62.0/sobjects/Account/describe",
                        "/services/data/v62.0/query",
                        "/services/data/v62.0/query"); // the records, then the org's sharing defaults
        assertThat(FAKE.apiUsed()).isEqualTo(3);
    }

    @Test
    void queriesSelectTheDeclaredFieldsOrderedBySystemModstampThenId() {
        readAll(connect(), ReadRequest.of("Case"));

        assertThat(queries())
                .containsExactly("SELECT Id, CaseNumber, Subject, Description, Status, Priority, Origin,"
                        + " AccountId, ContactId, IsClosed, ClosedDate, OwnerId, IsDeleted, CreatedDate, LastModifiedDate,"
                        + " SystemModstamp FROM Case ORDER BY SystemModstamp ASC, Id ASC");
    }

    @Test
    void pagesThroughQueryMoreLocators() {
        FAKE.seed("Case", 7);

        List<Record> cases = readAll(connect(), ReadRequest.of("Case").pageSize(2));

        assertThat(cases).hasSize(7);
        List<String> paths = FAKE.requests().stream().map(FakeRequest::path).toList();
        assertThat(paths)
                .filteredOn(p -> p.matches("/services/data/v62.0/query/01gRO\\d{13}-\\d+"))
                .hasSize(3);
        assertThat(FAKE.requests())
                .filteredOn(r -> r.path().startsWith("/services/data/v62.0/query")
                        && !String.valueOf(r.query("q")).endsWith(" FROM Organization"))
                .allSatisfy(r -> assertThat(r.header("Sforce-Query-Options")).isEqualTo("batchSize=2"));
    }

    @Test
    void resumesAfterTheCheckpointWithTheIdTieBreakOnEqualModstamps() {
        FAKE.seed("Case", 7); // modstamps in pairs: the 3rd and 4th records share one
        Connection connection = connectWithoutLookback();
        List<String> all = readAll(connection, ReadRequest.of("Case")).stream()
                .map(Record::id)
                .toList();
        List<String> delivered = new ArrayList<>();
        Checkpoint checkpoint;
        try (RecordStream stream =
                connection.read(context, ReadRequest.of("Case").pageSize(2))) {
            Iterator<Record> it = stream.iterator();
            for (int i = 0; i < 3; i++) {
                delivered.add(it.next().id());
            }
            checkpoint = stream.checkpoint();
        }
        List<JsonObject> stored = FAKE.records("Case");
        assertThat(stored.get(2).string("SystemModstamp"))
                .isEqualTo(stored.get(3).string("SystemModstamp"));

        readAll(connection, ReadRequest.of("Case").pageSize(2).since(Checkpoint.parse(checkpoint.value())))
                .forEach(r -> delivered.add(r.id()));

        assertThat(delivered).containsExactlyElementsOf(all).hasSize(7);
        assertThat(queries().get(queries().size() - 1))
                .contains("WHERE (SystemModstamp > 2026-05-01T08:01:00.000Z OR"
                        + " (SystemModstamp = 2026-05-01T08:01:00.000Z AND Id > '" + all.get(2) + "'))");
    }

    @Test
    void aReadThatFailsInTheMiddleOfQueryMoreResumesWithoutLossOrDuplicates() {
        FAKE.seed("Case", 7);
        Connection connection = connectWithoutLookback();
        // describe, query, the org's sharing defaults, one queryMore pass; then Salesforce fails
        FAKE.faults().after(4).serverErrors(100, 500);
        List<String> delivered = new ArrayList<>();
        Checkpoint checkpoint;
        try (RecordStream stream =
                connection.read(context, ReadRequest.of("Case").pageSize(2))) {
            assertThatThrownBy(() -> stream.forEach(r -> delivered.add(r.id())))
                    .isInstanceOf(dev.switchboard.core.error.TransientException.class);
            checkpoint = stream.checkpoint();
        }
        assertThat(delivered).hasSize(4);
        FAKE.faults().clear();

        readAll(connection, ReadRequest.of("Case").pageSize(2).since(Checkpoint.parse(checkpoint.value())))
                .forEach(r -> delivered.add(r.id()));

        assertThat(delivered)
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(
                        FAKE.records("Case").stream().map(r -> r.string("Id")).toList());
    }

    @Test
    void writesChangeWhatLaterIncrementalReadsReturn() {
        Connection connection = connectWithoutLookback();
        Checkpoint cases;
        try (RecordStream stream = connection.read(context, ReadRequest.of("Case"))) {
            stream.forEach(r -> {});
            cases = stream.checkpoint();
        }
        Checkpoint tasks;
        try (RecordStream stream = connection.read(context, ReadRequest.of("Task"))) {
            stream.forEach(r -> {});
            tasks = stream.checkpoint();
        }
        JsonObject before = FAKE.records("Case").get(1);
        String caseId = before.string("Id");

        connection.execute(
                context,
                "update_case_status",
                JsonObject.builder()
                        .put("case_id", caseId)
                        .put("status", "Closed")
                        .build());
        JsonObject created = connection
                .execute(
                        context,
                        "create_task",
                        JsonObject.builder()
                                .put("subject", "Follow up")
                                .put("what_id", caseId)
                                .build())
                .output();

        List<Record> changedCases = readAll(connection, ReadRequest.of("Case").since(cases));
        assertThat(changedCases).extracting(Record::id).containsExactly(caseId);
        Record changed = changedCases.get(0);
        assertThat(changed.data().string("Status")).isEqualTo("Closed");
        assertThat(changed.data().bool("IsClosed")).isTrue();
        assertThat(changed.version()).isNotEqualTo(before.string("SystemModstamp"));
        assertThat(changed.updatedAt()).isAfter(Instant.parse("2026-05-01T08:02:00Z"));

        List<Record> newTasks = readAll(connection, ReadRequest.of("Task").since(tasks));
        assertThat(newTasks).extracting(Record::id).containsExactly(created.string("id"));
        assertThat(newTasks.get(0).data().string("WhatId")).isEqualTo(caseId);
        assertThat(newTasks.get(0).data().string("Status")).isEqualTo("Not Started");

        connection.execute(
                context,
                "add_case_comment",
                JsonObject.builder()
                        .put("case_id", caseId)
                        .put("body", "Fixed.")
                        .build());
        assertThat(FAKE.records("CaseComment")).singleElement().satisfies(c -> {
            assertThat(c.string("ParentId")).isEqualTo(caseId);
            assertThat(c.string("CommentBody")).isEqualTo("Fixed.");
        });
        assertThat(FAKE.requestCount(r -> r.method().equals("PATCH"))).isEqualTo(1);
        assertThat(FAKE.requestCount(r -> r.method().equals("POST"))).isEqualTo(2);
    }

    @Test
    void recordsCarryProvenanceVersionAndAnAclOwnedInTheOrg() {
        Connection connection = connect();
        Record account = readAll(connection, ReadRequest.of("Account")).get(0);
        assertThat(account.source().connector()).isEqualTo("salesforce");
        assertThat(account.source().connection()).isEqualTo("sf");
        assertThat(account.source().object()).isEqualTo("Account");
        assertThat(account.data().has("attributes")).isFalse();
        assertThat(account.version()).isEqualTo("2026-05-01T08:00:00.000+0000");
        assertThat(account.updatedAt()).isEqualTo(Instant.parse("2026-05-01T08:00:00Z"));
        assertThat(account.acl())
                .isEqualTo(new Acl(
                        FakeSalesforce.API_USER_ID, FakeSalesforce.ORG_ID, Visibility.PRIVATE, java.util.Set.of()));

        Record user = readAll(connection, ReadRequest.of("User")).get(0);
        assertThat(user.acl()).isEqualTo(Acl.tenant(FakeSalesforce.ORG_ID));
    }

    @Test
    void aFieldRemovedBetweenDescribeChecksComesBackAsInvalidFieldAndIsBreakingDrift() {
        Connection connection = connect();
        readAll(connection, ReadRequest.of("Case")); // describe checked and remembered
        FAKE.removeField("Case", "Priority");

        SchemaDriftException e =
                catchThrowableOfType(SchemaDriftException.class, () -> readAll(connection, ReadRequest.of("Case")));

        assertThat(e.drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Priority", Drift.Kind.REMOVED));
        assertThat(FAKE.responseCount(400)).isEqualTo(1);
        assertThat(FAKE.requestCount("/services/data/v62.0/sobjects/Case/describe"))
                .isEqualTo(1);
    }

    @Test
    void hostileFilterValuesStayInsideTheirLiteral() {
        String hostile = "x' OR Subject != 'y";

        List<Record> found = readAll(connect(), ReadRequest.of("Case").where("Subject", hostile));

        assertThat(found).isEmpty();
        assertThat(queries()).singleElement().asString().contains("WHERE Subject = 'x\\' OR Subject != \\'y' ORDER BY");
    }

    @Test
    void filterValuesMatchExactlyAfterEscaping() {
        String subject = FAKE.records("Case").get(2).string("Subject");

        List<Record> found = readAll(connect(), ReadRequest.of("Case").where("Subject", subject));

        assertThat(found)
                .extracting(r -> r.data().string("Subject"))
                .containsOnly(subject)
                .isNotEmpty();
    }

    @Test
    void hostileFieldNamesAreRefusedBeforeAnyRequest() {
        Connection connection = connect();
        assertThatThrownBy(() -> readAll(connection, ReadRequest.of("Case").where("Subject = 'a' OR Id", "b")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> readAll(connection, ReadRequest.of("Case").fields("Id, (SELECT Id FROM Contacts)")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> readAll(
                        connection,
                        ReadRequest.of("Case")
                                .since(Checkpoint.at(
                                        "Case",
                                        dev.switchboard.core.connector.Position.of(
                                                "2026-01-01T00:00:00Z OR Id != null", "500RO0000000001AAA")))))
                .isInstanceOf(InvalidInputException.class);
        assertThat(queries()).isEmpty();
    }

    @Test
    void selectedFieldsKeepTheIdCursorAndOwner() {
        List<Record> cases = readAll(connect(), ReadRequest.of("Case").fields("Status"));

        assertThat(queries())
                .singleElement()
                .asString()
                .startsWith("SELECT Id, SystemModstamp, OwnerId, Status FROM Case");
        assertThat(cases)
                .allSatisfy(
                        r -> assertThat(r.data().names()).containsExactly("Id", "SystemModstamp", "OwnerId", "Status"));
    }

    @Test
    void nearTheDailyLimitRequestsAreSpreadOverTheRestOfTheDay() {
        FAKE.seed("Case", 7);
        FAKE.apiUsage(96_000, 100_000); // 4,000 left: under the 5% line, one request per 24h / 4,000 = 21.6 s

        List<Record> cases = readAll(connect(), ReadRequest.of("Case").pageSize(2));

        assertThat(cases).hasSize(7);
        assertThat(FAKE.requests()).hasSize(6); // describe, query, the sharing defaults, 3 queryMore
        assertThat(FAKE.responseCount(403)).isZero();
        assertThat(clock.totalSlept())
                .isGreaterThanOrEqualTo(Duration.ofMillis(21_580).multipliedBy(5));
    }

    @Test
    void farFromTheDailyLimitNothingWaits() {
        FAKE.seed("Case", 7);
        FAKE.apiUsage(50_000, 100_000);

        assertThat(readAll(connect(), ReadRequest.of("Case").pageSize(2))).hasSize(7);

        assertThat(clock.totalSlept()).isZero();
    }

    @Test
    void atTheDailyLimitTheBudgetStopsCallsBeforeSalesforceRefusesOne() {
        FAKE.seed("Case", 7);
        FAKE.apiUsage(99_990, 100_000); // 10 left

        RateLimitedException e = catchThrowableOfType(
                RateLimitedException.class,
                () -> readAll(connect(), ReadRequest.of("Case").pageSize(2)));

        assertThat(FAKE.requests()).hasSize(1); // the describe; its Sforce-Limit-Info said 9 left
        assertThat(FAKE.responseCount(403)).isZero();
        assertThat(e.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isGreaterThan(Duration.ofHours(2)));
    }

    @Test
    void withoutASlowDownLineTheLastRequestsAreSpentAndThenTheBudgetHolds() {
        FAKE.seed("Case", 7);
        FAKE.apiUsage(99_997, 100_000);

        RateLimitedException e = catchThrowableOfType(
                RateLimitedException.class,
                () -> readAll(
                        connect(new SalesforceConnector(0)),
                        ReadRequest.of("Case").pageSize(2)));

        assertThat(FAKE.requests()).hasSize(3);
        assertThat(FAKE.responseCount(403)).isZero();
        assertThat(e.retryAfter()).contains(Duration.ofHours(1));
    }

    @Test
    void aConcurrentRequestLimitIsWaitedOut() {
        FAKE.faults().throttles(3);

        assertThat(readAll(connect(), ReadRequest.of("Account"))).hasSize(5);

        assertThat(FAKE.responseCount(403)).isEqualTo(3);
    }

    @Test
    void aRetrySafeStatusUpdateIsRepeatedAfterALostAnswer() {
        Connection connection = connect();
        String caseId = FAKE.records("Case").get(0).string("Id");
        // The read of the Case's version goes through; the PATCH's connection is reset before it arrives.
        FAKE.faults().onlyFor("/services/data/v62.0/sobjects/Case/").after(1).resets(1);

        connection.execute(
                context,
                "update_case_status",
                JsonObject.builder()
                        .put("case_id", caseId)
                        .put("status", "Working")
                        .build());

        assertThat(FAKE.requestCount(r -> r.method().equals("PATCH"))).isEqualTo(2);
        assertThat(FAKE.record("Case", caseId).string("Status")).isEqualTo("Working");
    }

    @Test
    void anObjectHiddenFromTheUserIsAPermanentErrorNotAMissingRecord() {
        FAKE.failNext(1, 404, "NOT_FOUND", "The requested resource does not exist");

        assertThatThrownBy(() -> readAll(connect(), ReadRequest.of("Opportunity")))
                .isInstanceOf(dev.switchboard.core.error.PermanentException.class)
                .hasMessageContaining("does not make Opportunity available");
        assertThat(queries()).isEmpty();
    }

    @Test
    void aRefusedValueNamesTheField() {
        Connection connection = connect();
        String caseId = FAKE.records("Case").get(0).string("Id");

        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> connection.execute(
                        context,
                        "update_case_status",
                        JsonObject.builder()
                                .put("case_id", caseId)
                                .put("status", "Bogus")
                                .build()));

        // Salesforce's message with the fields it names becomes the violation an agent can act on.
        assertThat(e.getMessage())
                .contains("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
                .endsWith("[Status]");
        assertThat(e.violations()).singleElement().asString().endsWith("[Status]");
    }

    /** How many requests the pipeline timed with this status and response class. */
    private long requestsMetered(String status, String outcome) {
        return meters
                .find("switchboard.http.requests")
                .tags("connector", SalesforceConnector.ID, "status", status, "outcome", outcome)
                .timers()
                .stream()
                .mapToLong(Timer::count)
                .sum();
    }

    @Test
    void errorAnswersAreMeteredWithSalesforcesStatusAndTheirClassNotAsOk() {
        Connection connection = connect();
        String caseId = FAKE.records("Case").get(0).string("Id");
        readAll(connection, ReadRequest.of("Case")); // describe checked and remembered
        FAKE.removeField("Case", "Priority");

        assertThatThrownBy(() -> connection.execute(
                        context,
                        "update_case_status",
                        JsonObject.builder()
                                .put("case_id", caseId)
                                .put("status", "Bogus")
                                .build()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> connection.execute(
                        context,
                        "update_case_status",
                        JsonObject.builder()
                                .put("case_id", "500RO9999999999AAA")
                                .put("status", "Closed")
                                .build()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> readAll(connection, ReadRequest.of("Case"))).isInstanceOf(SchemaDriftException.class);

        assertThat(requestsMetered("400", "INVALID_INPUT")).isEqualTo(1); // the picklist value
        assertThat(requestsMetered("404", "INVALID_INPUT")).isEqualTo(1); // the missing Case
        assertThat(requestsMetered("400", "PERMANENT")).isEqualTo(1); // the removed column
        assertThat(meters.find("switchboard.http.requests").tag("outcome", "OK").timers())
                .isNotEmpty()
                .allSatisfy(t ->
                        assertThat(Integer.parseInt(t.getId().getTag("status"))).isLessThan(400));
    }

    @Test
    void aSpentDailyAllowanceStaysAQuotaForLaterCallsWithoutSendingThem() {
        FAKE.apiUsage(100_000, 100_000);
        Connection connection = connect();

        QuotaExhaustedException first =
                catchThrowableOfType(QuotaExhaustedException.class, () -> readAll(connection, ReadRequest.of("Case")));
        QuotaExhaustedException later = catchThrowableOfType(
                QuotaExhaustedException.class, () -> readAll(connection, ReadRequest.of("Account")));

        assertThat(FAKE.responseCount(403)).isEqualTo(1);
        assertThat(FAKE.requests()).hasSize(1);
        assertThat(first.retryAfter()).contains(Duration.ofHours(1));
        assertThat(later.retryAfter()).contains(Duration.ofHours(1));
    }

    @Test
    void theOrgsBucketIsSizedByBudgetForAndOnlyIt() {
        SalesforceConnector connector = new SalesforceConnector();

        assertThat(connector.budgetFor("salesforce:" + FakeSalesforce.ORG_ID + ":daily"))
                .isEqualTo(new BudgetSettings(25, 10, Duration.ofSeconds(1)));
        assertThat(connector.budgetFor("salesforce:connection:sf:daily")).isNotNull();
        assertThat(connector.budgetFor("hubspot:123:10s")).isNull();
        assertThat(connector.defaultBudget()).isNull();
    }

    @Test
    void aBurstBeyondTheOrgsBucketWaitsForItsRefill() {
        Connection connection = connect();
        String caseId = FAKE.records("Case").get(0).string("Id");

        for (int i = 0; i < 30; i++) {
            connection.execute(
                    context,
                    "create_task",
                    JsonObject.builder()
                            .put("subject", "Call back " + i)
                            .put("what_id", caseId)
                            .build());
        }

        assertThat(FAKE.requests()).hasSize(30);
        // 25 at once, then one every 100 ms
        assertThat(clock.totalSlept()).isBetween(Duration.ofMillis(450), Duration.ofMillis(550));
    }

    @Test
    void aBudgetConfiguredOnTheConnectionReplacesTheOrgsBucket() {
        Connection connection = connect(new SalesforceConnector(), BudgetSettings.of(1, Duration.ofSeconds(1)));
        String caseId = FAKE.records("Case").get(0).string("Id");

        for (int i = 0; i < 3; i++) {
            connection.execute(
                    context,
                    "create_task",
                    JsonObject.builder()
                            .put("subject", "Call back " + i)
                            .put("what_id", caseId)
                            .build());
        }

        assertThat(clock.totalSlept()).isBetween(Duration.ofMillis(1_950), Duration.ofMillis(2_050));
    }
}
