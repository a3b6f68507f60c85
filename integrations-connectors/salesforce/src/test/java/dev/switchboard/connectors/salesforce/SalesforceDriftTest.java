package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeSalesforce;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Salesforce under core's drift check: rows the org retypes mid-read, under QUARANTINE and FAIL,
 * a field removed after the metadata check (INVALID_FIELD, reported like the rest), and describe showing a field removed, retyped, or a picklist value the contract never listed.
 */
class SalesforceDriftTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    private FakeConnection harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private FakeConnection connect(DriftPolicy policy) {
        harness = FakeConnection.to(FAKE, SalesforceConnector.ID)
                .connectionId("sf")
                .driftPolicy(policy)
                .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()))
                .build();
        return harness;
    }

    private double drifts(String stream, String field, Drift.Kind kind, String action) {
        return harness.driftCount(stream, field, kind, action);
    }

    private List<String> queries() {
        return FAKE.requests().stream()
                .filter(r -> r.path().endsWith("/query"))
                .map(r -> r.query("q"))
                .filter(q -> !q.endsWith(" FROM Organization")) // the org\'s sharing defaults, read once
                .toList();
    }

    /** Reads two Opportunities (the first page of two), then the org retypes Amount, then the rest. */
    private record MidRead(List<Record> delivered, SchemaDriftException failure, Checkpoint checkpoint) {}

    private MidRead readWhileAmountIsRetyped() {
        List<Record> delivered = new ArrayList<>();
        SchemaDriftException failure = null;
        Checkpoint checkpoint;
        try (RecordStream stream = harness.connection()
                .read(harness.context(), ReadRequest.of("Opportunity").pageSize(2))) {
            Iterator<Record> it = stream.iterator();
            delivered.add(it.next());
            delivered.add(it.next());
            FAKE.faults().retype("Amount", new JsonString("lots"));
            try {
                it.forEachRemaining(delivered::add);
            } catch (SchemaDriftException e) {
                failure = e;
            }
            checkpoint = stream.checkpoint();
        }
        return new MidRead(delivered, failure, checkpoint);
    }

    private List<String> opportunityIdsInCursorOrder() {
        return FAKE.records("Opportunity").stream()
                .sorted(java.util.Comparator.comparing((JsonObject o) -> o.string("SystemModstamp"))
                        .thenComparing(o -> o.string("Id")))
                .map(o -> o.string("Id"))
                .toList();
    }

    @Test
    void rowsRetypedMidReadAreQuarantinedWithTheirDriftAndTheRestDelivered() {
        connect(DriftPolicy.QUARANTINE);
        List<String> ids = opportunityIdsInCursorOrder();

        MidRead read = readWhileAmountIsRetyped();

        assertThat(read.failure()).isNull();
        assertThat(read.delivered()).extracting(Record::id).containsExactlyElementsOf(ids.subList(0, 2));
        List<QuarantinedRecord> kept =
                harness.switchboard().quarantine(harness.context()).list("sf", "Opportunity");
        assertThat(kept).extracting(QuarantinedRecord::id).containsExactlyElementsOf(ids.subList(2, ids.size()));
        assertThat(kept).allSatisfy(q -> {
            assertThat(q.drifts()).containsExactly(new Drift("Amount", Drift.Kind.TYPE_CHANGED, "NUMBER?", "STRING"));
            assertThat(q.record().data().string("Amount")).isEqualTo("lots"); // as read, not coerced
            assertThat(q.connector()).isEqualTo("salesforce");
        });
        assertThat(read.checkpoint().position()).get().extracting(Position::id).isEqualTo(ids.get(ids.size() - 1));
        assertThat(drifts("Opportunity", "Amount", Drift.Kind.TYPE_CHANGED, "quarantined"))
                .isEqualTo(ids.size() - 2);
        assertThat(harness.audit().events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.DRIFT)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.recordIds()).containsExactlyElementsOf(ids.subList(2, ids.size()));
                    assertThat(e.detail())
                            .contains("field=Amount", "expected=NUMBER?", "observed=STRING", "action=quarantined");
                });
    }

    @Test
    void rowsRetypedMidReadStopAFailReadAndTheResumeReadsTheRest() {
        connect(DriftPolicy.FAIL);
        List<String> ids = opportunityIdsInCursorOrder();

        MidRead read = readWhileAmountIsRetyped();

        assertThat(read.failure()).isNotNull();
        assertThat(read.failure().drifts())
                .containsExactly(new Drift("Amount", Drift.Kind.TYPE_CHANGED, "NUMBER?", "STRING"));
        assertThat(read.delivered()).extracting(Record::id).containsExactlyElementsOf(ids.subList(0, 2));
        assertThat(read.checkpoint().position()).get().extracting(Position::id).isEqualTo(ids.get(1));
        assertThat(harness.switchboard()
                        .quarantine(harness.context())
                        .list("sf", "Opportunity")
                        .size())
                .isZero();

        FAKE.faults().clear(); // the org's admin reverted the change
        List<Record> rest = harness.readAll(ReadRequest.of("Opportunity").since(read.checkpoint()));
        // The ten-minute look-back re-reads the two delivered before the stop (their stamps are minutes
        // apart), then the rest, in cursor order.
        assertThat(rest).extracting(Record::id).containsExactlyElementsOf(ids);
    }

    @Test
    void aDroppedFieldIsMissingAndARetypedCursorStopsEvenAQuarantineRead() {
        connect(DriftPolicy.FAIL);
        FAKE.faults().drop("Subject");
        SchemaDriftException dropped =
                catchThrowableOfType(SchemaDriftException.class, () -> harness.readAll(ReadRequest.of("Case")));
        assertThat(dropped.drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(tuple("Subject", Drift.Kind.MISSING));
        close();

        FAKE.faults().clear();
        connect(DriftPolicy.QUARANTINE);
        FAKE.faults().retype("SystemModstamp", new JsonNumber(BigDecimal.valueOf(1767225600L)));
        SchemaDriftException cursor =
                catchThrowableOfType(SchemaDriftException.class, () -> harness.readAll(ReadRequest.of("Case")));
        assertThat(cursor.drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(tuple("SystemModstamp", Drift.Kind.TYPE_CHANGED));
        assertThat(harness.switchboard().quarantine(harness.context()).list("sf", "Case"))
                .isEmpty();
    }

    @Test
    void describeShowingARemovedFieldStopsAFailReadBeforeAnyQuery() {
        FAKE.removeField("Opportunity", "Amount");
        connect(DriftPolicy.FAIL);

        SchemaDriftException e =
                catchThrowableOfType(SchemaDriftException.class, () -> harness.readAll(ReadRequest.of("Opportunity")));

        assertThat(e.drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(tuple("Amount", Drift.Kind.REMOVED));
        assertThat(queries()).isEmpty();
        assertThat(drifts("Opportunity", "Amount", Drift.Kind.REMOVED, "failed"))
                .isEqualTo(1);
    }

    @Test
    void underQuarantineARemovedFieldIsReportedThenTheQueryNamingItIsBreakingDrift() {
        FAKE.removeField("Opportunity", "Amount");
        connect(DriftPolicy.QUARANTINE);

        SchemaDriftException e =
                catchThrowableOfType(SchemaDriftException.class, () -> harness.readAll(ReadRequest.of("Opportunity")));

        assertThat(drifts("Opportunity", "Amount", Drift.Kind.REMOVED, "reported"))
                .isEqualTo(1);
        assertThat(queries()).hasSize(1); // the query named Amount: 400 INVALID_FIELD "No such column"
        assertThat(e.drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(tuple("Amount", Drift.Kind.REMOVED));
        assertThat(drifts("Opportunity", "Amount", Drift.Kind.REMOVED, "failed"))
                .as("then the query's")
                .isEqualTo(1);
    }

    @Test
    void aFieldRemovedAfterTheMetadataCheckIsInvalidFieldWhichIsCountedLoggedAndAudited() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger driftLog = (Logger) LoggerFactory.getLogger("dev.switchboard.drift");
        logs.start();
        driftLog.addAppender(logs);
        try {
            connect(DriftPolicy.QUARANTINE);
            assertThat(harness.readAll(ReadRequest.of("Opportunity")))
                    .isNotEmpty(); // describe matched: not asked again for an hour
            FAKE.removeField("Opportunity", "Amount");

            SchemaDriftException e = catchThrowableOfType(
                    SchemaDriftException.class, () -> harness.readAll(ReadRequest.of("Opportunity")));

            assertThat(e.drifts())
                    .extracting(Drift::field, Drift::kind)
                    .containsExactly(tuple("Amount", Drift.Kind.REMOVED));
            assertThat(queries()).hasSize(2); // the second query named Amount: 400 INVALID_FIELD
            assertThat(drifts("Opportunity", "Amount", Drift.Kind.REMOVED, "failed"))
                    .isEqualTo(1);
            assertThat(harness.audit().events())
                    .filteredOn(ev -> ev.kind() == AuditEvent.Kind.DRIFT)
                    .singleElement()
                    .satisfies(ev -> {
                        assertThat(ev.outcome()).isEqualTo(AuditEvent.Outcome.FAILED);
                        assertThat(ev.operation()).isEqualTo("Opportunity");
                        assertThat(ev.detail())
                                .contains(
                                        "source=connector",
                                        "field=Amount",
                                        "kind=REMOVED",
                                        "breaking=true",
                                        "policy=QUARANTINE",
                                        "action=failed");
                    });
            assertThat(logs.list).singleElement().satisfies(line -> {
                assertThat(line.getLevel()).isEqualTo(Level.WARN);
                assertThat(line.getFormattedMessage())
                        .contains("connector", "'sf'", "'Opportunity'", "REMOVED", "Amount", "failed");
            });
            // The read's own audit event says it failed, and why.
            assertThat(harness.audit().events())
                    .filteredOn(ev -> ev.kind() == AuditEvent.Kind.READ)
                    .last()
                    .satisfies(ev -> assertThat(ev.detail()).contains("failed: SchemaDriftException"));
        } finally {
            driftLog.detachAppender(logs);
        }
    }

    @Test
    void describeShowingARetypedFieldIsReportedUnderQuarantineAndStopsFail() {
        FAKE.retypeField("Case", "Subject", "int");
        connect(DriftPolicy.QUARANTINE);
        List<Record> cases = harness.readAll(ReadRequest.of("Case"));
        assertThat(cases).hasSize(FAKE.records("Case").size()); // the values themselves are still text
        assertThat(drifts("Case", "Subject", Drift.Kind.TYPE_CHANGED, "reported"))
                .isEqualTo(1);
        assertThat(harness.audit().events())
                .filteredOn(ev -> ev.kind() == AuditEvent.Kind.DRIFT)
                .singleElement()
                .satisfies(ev -> assertThat(ev.detail())
                        .contains("source=metadata", "field=Subject", "expected=STRING?", "observed=INTEGER"));
        close();

        connect(DriftPolicy.FAIL);
        SchemaDriftException e =
                catchThrowableOfType(SchemaDriftException.class, () -> harness.readAll(ReadRequest.of("Case")));
        assertThat(e.drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(tuple("Subject", Drift.Kind.TYPE_CHANGED));
    }

    @Test
    void aNewPicklistValueIsReportedFromDescribeAndItsRecordsAreQuarantined() {
        FAKE.addPicklistValue("Case", "Status", "Waiting on Customer");
        connect(DriftPolicy.QUARANTINE);
        String caseId = FAKE.records("Case").get(1).string("Id");
        harness.connection()
                .execute(
                        harness.context(),
                        "update_case_status",
                        JsonObject.builder()
                                .put("case_id", caseId)
                                .put("status", "Waiting on Customer")
                                .build());

        List<Record> cases = harness.readAll(ReadRequest.of("Case"));

        assertThat(drifts("Case", "Status", Drift.Kind.UNKNOWN_VALUE, "reported"))
                .as("from describe")
                .isEqualTo(1);
        assertThat(cases)
                .extracting(Record::id)
                .hasSize(FAKE.records("Case").size() - 1)
                .doesNotContain(caseId);
        assertThat(harness.switchboard().quarantine(harness.context()).list("sf", "Case"))
                .singleElement()
                .satisfies(q -> {
                    assertThat(q.id()).isEqualTo(caseId);
                    assertThat(q.drifts())
                            .extracting(Drift::field, Drift::kind, Drift::observed)
                            .containsExactly(tuple("Status", Drift.Kind.UNKNOWN_VALUE, "Waiting on Customer"));
                });
    }

    @Test
    void everyStreamReadsFromTheFakeWithoutDrift() {
        connect(DriftPolicy.FAIL);
        for (var stream : harness.connection().descriptor().streams()) {
            assertThat(harness.readAll(ReadRequest.of(stream.name())))
                    .as(stream.name())
                    .isNotEmpty();
        }
        assertThat(harness.meters().find("switchboard.drift").counters()).isEmpty();
        assertThat(harness.audit().events()).noneMatch(e -> e.kind() == AuditEvent.Kind.DRIFT);
    }
}
