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
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.Replica;
import dev.switchboard.testkit.fake.FakeRequest;
import dev.switchboard.testkit.fake.FakeSalesforce;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each way a Salesforce read or write could lose or overwrite a change while the org keeps changing, one
 * named test each, end to end through Switchboard against {@link FakeSalesforce}.
 */
class SalesforceFreshnessTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    private static final DateTimeFormatter SOQL_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final AgentContext context = AgentContext.of(Principal.user("agent-user", "tenant-1"));
    /** Runs once, at the first wait of the pipeline (a retry's backoff), before the wait. */
    private final AtomicReference<Runnable> atFirstWait = new AtomicReference<>();

    private FakeConnection harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private Connection connect(Map<String, String> settings) {
        Sleeper sleeper = d -> {
            Runnable r = atFirstWait.getAndSet(null);
            if (r != null) {
                r.run();
            }
            clock.sleeper().sleep(d);
        };
        FakeConnection.Builder b = FakeConnection.to(FAKE, SalesforceConnector.ID)
                .connectionId("sf")
                .connector(new SalesforceConnector())
                .baseUrl("http://127.0.0.1:9")
                .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()))
                .http(HttpSettings.custom()
                        .backoff(Duration.ofMillis(100), Duration.ofSeconds(10))
                        .build())
                .clock(clock, sleeper)
                .context(context)
                .seed(7);
        settings.forEach(b::setting);
        harness = b.build();
        return harness.connection();
    }

    private Connection connect() {
        return connect(Map.of());
    }

    private List<Record> readAll(Connection connection, ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = connection.read(context, request)) {
            stream.forEach(records::add);
        }
        return records;
    }

    /** Reads to the end; returns the checkpoint, the records into {@code into}. */
    private Checkpoint read(Connection connection, ReadRequest request, List<Record> into) {
        try (RecordStream stream = connection.read(context, request)) {
            stream.forEach(into::add);
            return stream.checkpoint();
        }
    }

    private static List<String> queries() {
        return FAKE.requests().stream()
                .filter(r -> r.path().endsWith("/query") || r.path().endsWith("/queryAll"))
                .map(r -> r.query("q"))
                .filter(q -> !q.endsWith(" FROM Organization")) // the org\'s sharing defaults, read once
                .toList();
    }

    private static String caseId(int n) {
        return Objects.requireNonNull(FAKE.records("Case").get(n).string("Id"));
    }

    // ---- look-back -------------------------------------------------------------------------------------

    @Test
    void aRowALongTransactionCommitsBehindTheCheckpointIsReadByTheLookBack() {
        Connection connection = connect();
        String late = caseId(0);
        String other = caseId(1);
        FakeSalesforce.Transaction batchJob = FAKE.begin(); // stamped now; its rows show only when it commits
        batchJob.set("Case", late, "Status", new JsonString("Escalated"));
        FAKE.set("Case", other, "Status", new JsonString("Working")); // a later stamp, visible at once
        Replica replica = new Replica();
        List<Record> first = new ArrayList<>();
        Checkpoint checkpoint = read(connection, ReadRequest.of("Case"), first);
        replica.applyAll(first);
        assertThat(checkpoint.position().orElseThrow().id()).isEqualTo(other); // past the open transaction's stamp

        batchJob.commit();
        List<Record> next = new ArrayList<>();
        read(connection, ReadRequest.of("Case").since(checkpoint), next);
        replica.applyAll(next);

        assertThat(next).extracting(Record::id).contains(late);
        assertThat(replica.data("Case").get(late).string("Status")).isEqualTo("Escalated");
        Instant checkpointStamp =
                Instant.parse(Objects.requireNonNull(FAKE.record("Case", other).string("SystemModstamp"))
                        .replace("+0000", "Z"));
        assertThat(queries().get(queries().size() - 1))
                .contains("WHERE SystemModstamp >= " + SOQL_TIME.format(checkpointStamp.minus(Duration.ofMinutes(10)))
                        + " ORDER BY");
    }

    @Test
    void recordsReReadFromTheLookBackLeaveTheCheckpointWhereItWas() {
        Connection connection = connect();
        Checkpoint checkpoint = read(connection, ReadRequest.of("Case"), new ArrayList<>());

        List<Record> again = new ArrayList<>();
        Checkpoint after = read(connection, ReadRequest.of("Case").since(checkpoint), again);

        assertThat(again).isNotEmpty(); // the seeded cases are minutes apart: all inside the ten minutes
        assertThat(after.position()).isEqualTo(checkpoint.position());
    }

    @Test
    void theLookBackSettingMustBeADuration() {
        assertThatThrownBy(() -> readAll(
                        connect(Map.of(SalesforceConnector.LOOKBACK_SETTING, "ten minutes")), ReadRequest.of("Case")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("PT10M");
    }

    // ---- deletes ---------------------------------------------------------------------------------------

    @Test
    void aRecordDeletedSinceTheCheckpointComesAsATombstone() {
        Connection connection = connect();
        Replica replica = new Replica();
        List<Record> first = new ArrayList<>();
        Checkpoint checkpoint = read(connection, ReadRequest.of("Case"), first);
        replica.applyAll(first);
        String gone = caseId(2);

        FAKE.delete("Case", gone);
        List<Record> next = new ArrayList<>();
        Checkpoint after = read(connection, ReadRequest.of("Case").since(checkpoint), next);
        replica.applyAll(next);

        Record tombstone = next.stream().filter(Record::deleted).findFirst().orElseThrow();
        assertThat(tombstone.id()).isEqualTo(gone);
        assertThat(tombstone.deletedAt())
                .isEqualTo(Instant.parse(
                        Objects.requireNonNull(FAKE.recycleBin("Case").get(0).string("SystemModstamp"))
                                .replace("+0000", "Z")));
        assertThat(replica.ids("Case"))
                .doesNotContain(gone)
                .hasSize(FAKE.records("Case").size());
        assertThat(after.position().orElseThrow().id()).isEqualTo(gone);
        assertThat(FAKE.requests())
                .filteredOn(r -> r.path().endsWith("/queryAll"))
                .hasSize(1);
    }

    @Test
    void aReadFromTheBeginningLeavesTheRecycleBinOut() {
        FAKE.delete("Case", caseId(0));
        List<Record> all = readAll(connect(), ReadRequest.of("Case"));

        assertThat(all).noneMatch(Record::deleted).hasSize(FAKE.records("Case").size());
        assertThat(FAKE.requests()).noneMatch(r -> r.path().endsWith("/queryAll"));
    }

    @Test
    void theChangeFeedCarriesADeleteAsADeleteEvent() {
        connect();
        List<ChangeEvent> events = new ArrayList<>();
        try (Subscription feed = harness.switchboard()
                .subscribe(
                        context,
                        ChangeRequest.builder("replica", "sf")
                                .streams("Case")
                                .manual()
                                .build(),
                        events::add)) {
            feed.poll();
            String gone = caseId(3);
            FAKE.delete("Case", gone);
            events.clear();

            feed.poll();

            assertThat(events)
                    .filteredOn(e -> e.op() == ChangeEvent.Op.DELETE)
                    .singleElement()
                    .satisfies(e -> assertThat(e.recordId()).isEqualTo(gone));
            Replica replica = new Replica();
            events.forEach(replica::apply);
            assertThat(replica.ids("Case")).doesNotContain(gone);
        }
    }

    // ---- expiring locators and Salesforce's passing errors ----------------------------------------------

    @Test
    void anExpiredQueryLocatorRestartsTheQueryAfterTheLastRowReturned() {
        FAKE.seed("Case", 7);
        Connection connection = connect();
        List<String> delivered = new ArrayList<>();
        try (RecordStream stream =
                connection.read(context, ReadRequest.of("Case").pageSize(2))) {
            Iterator<Record> it = stream.iterator();
            delivered.add(it.next().id());
            delivered.add(it.next().id()); // the first page; the next one would come from a locator
            FAKE.expireQueryLocators(); // 15 minutes idle, or too many open queries
            it.forEachRemaining(r -> delivered.add(r.id()));
        }

        assertThat(delivered)
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(
                        FAKE.records("Case").stream().map(r -> r.string("Id")).toList());
        assertThat(FAKE.responseCount(400)).isEqualTo(1);
        assertThat(queries()).hasSize(2);
        assertThat(queries().get(1)).contains("Id > '" + delivered.get(1) + "'");
    }

    @Test
    void aQueryTimeoutIsRetried() {
        FAKE.timeOutNextQueries(1);

        List<Record> cases = readAll(connect(), ReadRequest.of("Case"));

        assertThat(cases).hasSize(FAKE.records("Case").size());
        assertThat(FAKE.responseCount(400)).isEqualTo(1);
        assertThat(queries()).hasSize(2);
    }

    @Test
    void aRowLockedByAnotherTransactionIsWaitedOutAndTheUpdateSentAgain() {
        Connection connection = connect();
        String caseId = caseId(0);
        FakeSalesforce.Transaction other = FAKE.begin();
        other.set("Case", caseId, "Priority", new JsonString("High"));
        atFirstWait.set(other::rollback); // the other transaction ends while the update waits to retry

        connection.execute(
                context,
                "update_case_status",
                JsonObject.builder()
                        .put("case_id", caseId)
                        .put("status", "Working")
                        .build());

        assertThat(FAKE.record("Case", caseId).string("Status")).isEqualTo("Working");
        assertThat(FAKE.requestCount(r -> r.method().equals("PATCH"))).isEqualTo(2);
        assertThat(FAKE.responseCount(400)).isEqualTo(1);
    }

    // ---- a resent status update --------------------------------------------------------------------------

    @Test
    void aResentStatusUpdateDoesNotOverwriteAnEditMadeAfterTheFirstSend() {
        Connection connection = connect();
        String caseId = caseId(0);
        // The PATCH's connection breaks; the pipeline sends it again after a backoff. Meanwhile (as when the
        // first send had landed and only its answer was lost) the Case took the new status, then a person
        // escalated it.
        FAKE.faults().onlyFor("/services/data/v62.0/sobjects/Case/").after(1).resets(1);
        atFirstWait.set(() -> {
            FAKE.set("Case", caseId, "Status", new JsonString("Working"));
            FAKE.set("Case", caseId, "Status", new JsonString("Escalated"));
        });

        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> connection.execute(
                        context,
                        "update_case_status",
                        JsonObject.builder()
                                .put("case_id", caseId)
                                .put("status", "Working")
                                .build()));

        assertThat(e).hasMessageContaining("Escalated").hasMessageContaining("nothing was overwritten");
        assertThat(FAKE.record("Case", caseId).string("Status")).isEqualTo("Escalated");
        assertThat(FAKE.responseCount(412)).isEqualTo(1);
    }

    @Test
    void aResentStatusUpdateWhoseFirstSendLandedSucceeds() {
        Connection connection = connect();
        String caseId = caseId(0);
        FAKE.faults().onlyFor("/services/data/v62.0/sobjects/Case/").after(1).resets(1);
        atFirstWait.set(() -> FAKE.set("Case", caseId, "Status", new JsonString("Working")));

        JsonObject out = connection
                .execute(
                        context,
                        "update_case_status",
                        JsonObject.builder()
                                .put("case_id", caseId)
                                .put("status", "Working")
                                .build())
                .output();

        assertThat(out.string("status")).isEqualTo("Working");
        assertThat(FAKE.record("Case", caseId).string("Status")).isEqualTo("Working");
        assertThat(FAKE.responseCount(412)).isEqualTo(1);
    }

    @Test
    void aStatusUpdateNamingAVersionSomeoneChangedSinceIsRefused() {
        Connection connection = connect();
        String caseId = caseId(0);
        String versionRead = FAKE.record("Case", caseId).string("SystemModstamp");
        FAKE.set("Case", caseId, "Status", new JsonString("Escalated"));

        assertThatThrownBy(() -> connection.execute(
                        context,
                        "update_case_status",
                        JsonObject.builder()
                                .put("case_id", caseId)
                                .put("status", "Closed")
                                .put("version", versionRead)
                                .build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Escalated");
        assertThat(FAKE.record("Case", caseId).string("Status")).isEqualTo("Escalated");
        List<FakeRequest> patches =
                FAKE.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
        assertThat(patches)
                .singleElement()
                .satisfies(p -> assertThat(p.header("If-Unmodified-Since")).isEqualTo("Fri, 01 May 2026 08:00:00 GMT"));
    }

    // ---- filters -----------------------------------------------------------------------------------------

    @Test
    void aCheckpointTakenWithOneWhereIsRefusedByAnother() {
        Connection connection = connect();
        Checkpoint newCases = read(connection, ReadRequest.of("Case").where("Status", "New"), new ArrayList<>());

        assertThatThrownBy(() -> readAll(
                        connection,
                        ReadRequest.of("Case").where("Status", "Closed").since(newCases)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> readAll(connection, ReadRequest.of("Case").since(newCases)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(readAll(
                        connection,
                        ReadRequest.of("Case").where("Status", "New").since(newCases)))
                .allSatisfy(r -> assertThat(r.data().string("Status")).isEqualTo("New"));
    }

    @Test
    void aFilterValueWithQuotesAndBackslashesIsEscapedAndMatchesExactly() {
        String subject = "O'Brien said \"hi\" \\ bye";
        String id =
                FAKE.put("Case", JsonObject.builder().put("Subject", subject).build());
        FAKE.put("Case", JsonObject.builder().put("Subject", "O'Brien said").build());

        List<Record> found = readAll(connect(), ReadRequest.of("Case").where("Subject", subject));

        assertThat(found).extracting(Record::id).containsExactly(id);
        assertThat(queries())
                .singleElement()
                .asString()
                .contains("WHERE Subject = 'O\\'Brien said \\\"hi\\\" \\\\ bye' ORDER BY");
    }

    @Test
    void aFilterOnABooleanFieldIsSentAsABooleanLiteral() {
        String closed = caseId(1);
        FAKE.set("Case", closed, "IsClosed", dev.switchboard.core.json.JsonBoolean.of(true));

        List<Record> found = readAll(connect(), ReadRequest.of("Case").where("IsClosed", "TRUE"));

        assertThat(found)
                .extracting(Record::id)
                .contains(closed)
                .containsExactlyInAnyOrderElementsOf(FAKE.records("Case").stream()
                        .filter(r -> Boolean.TRUE.equals(r.bool("IsClosed")))
                        .map(r -> r.string("Id"))
                        .toList());
        assertThat(queries()).singleElement().asString().contains("WHERE IsClosed = true ORDER BY");
    }

    @Test
    void aFilterValueThatIsNotOfItsFieldsTypeIsRefusedBeforeAnyRequest() {
        Connection connection = connect();

        assertThatThrownBy(() -> readAll(connection, ReadRequest.of("Case").where("IsClosed", "false OR Id != null")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("true or false");
        assertThatThrownBy(
                        () -> readAll(connection, ReadRequest.of("Opportunity").where("Amount", "1 OR Id != null")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(queries()).isEmpty();
    }
}
