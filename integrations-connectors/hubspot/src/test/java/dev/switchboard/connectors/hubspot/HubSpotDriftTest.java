package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HubSpot under core's drift check: property definitions ({@code /crm/v3/properties/{object}})
 * compared with the contract when a read opens, and records checked one by one.
 */
class HubSpotDriftTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    private FakeConnection hub;

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
    }

    private FakeConnection connect(DriftPolicy policy) {
        hub = FakeConnection.to(FAKE, "hubspot")
                .connectionId("hubspot-acme")
                .driftPolicy(policy)
                .setting(HubSpotConnector.PORTAL_ID, HubSpotHarness.PORTAL)
                .build();
        return hub;
    }

    private double drifts(String stream, String field, Drift.Kind kind, String action) {
        return hub.driftCount(stream, field, kind, action);
    }

    private int searches(String object) {
        return FAKE.requestCount("/crm/v3/objects/" + object + "/search");
    }

    @Test
    void thePropertiesApiDescribesEachCrmObjectWithTheOptionsOfItsEnumerations() {
        connect(DriftPolicy.FAIL);

        Schema tickets = hub.connection().describe(hub.context(), "tickets").orElseThrow();
        Schema contacts = hub.connection().describe(hub.context(), "contacts").orElseThrow();

        assertThat(tickets.field("hs_ticket_priority").orElseThrow().values())
                .containsExactly("LOW", "MEDIUM", "HIGH", "URGENT");
        assertThat(tickets.field("subject"))
                .get()
                .extracting(Schema.Field::enumerated)
                .isEqualTo(false);
        assertThat(contacts.field("lifecyclestage").orElseThrow().values()).contains("lead", "customer");
        assertThat(contacts.fields()).hasSize(4 + 283); // the envelope and the real sample's 283 properties
        assertThat(hub.connection().describe(hub.context(), "owners")).isEmpty();
        // The contract keeps what the properties say: nothing breaking, only properties it does not read.
        for (String object : List.of("contacts", "companies", "deals", "tickets")) {
            Schema described = hub.connection().describe(hub.context(), object).orElseThrow();
            assertThat(hub.connection().contract(object).diffMetadata(described).breaking())
                    .as(object)
                    .isEmpty();
        }
    }

    @Test
    void everyStreamReadsFromTheFakeWithoutBreakingOrRecordDrift() {
        connect(DriftPolicy.FAIL);
        // The fake seeds no notes: one on a ticket, as create_note would write it.
        String note = FAKE.put(
                "notes",
                java.util.Map.of("hs_note_body", "Called back", "hs_timestamp", "2026-05-31T16:00:00Z"),
                java.time.Instant.parse("2026-05-31T16:00:05Z"));
        FAKE.associate("notes", note, "tickets", "1075966440");
        for (var stream : hub.connection().descriptor().streams()) {
            assertThat(hub.readAll(ReadRequest.of(stream.name())))
                    .as(stream.name())
                    .isNotEmpty();
        }
        assertThat(hub.meters()
                        .find("switchboard.drift")
                        .tag("breaking", "true")
                        .counters())
                .isEmpty();
        // Properties the streams do not read are additive drift from metadata, once per object: never from records.
        assertThat(hub.audit().events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.DRIFT)
                .allSatisfy(e -> assertThat(e.detail()).startsWith("source=metadata kind=ADDED"));
    }

    @Test
    void aRemovedPropertyIsReportedUnderQuarantineAndStopsAFailReadBeforeAnySearch() {
        FAKE.removeProperty("tickets", "hs_ticket_category");
        connect(DriftPolicy.QUARANTINE);

        assertThat(hub.readAll(ReadRequest.of("tickets"))).hasSize(FAKE.count("tickets"));
        assertThat(drifts("tickets", "hs_ticket_category", Drift.Kind.REMOVED, "reported"))
                .isEqualTo(1);
        assertThat(hub.audit().events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.DRIFT)
                .filteredOn(e -> e.detail().contains("field=hs_ticket_category"))
                .singleElement()
                .satisfies(e -> assertThat(e.detail())
                        .contains(
                                "source=metadata",
                                "kind=REMOVED",
                                "expected=STRING?",
                                "observed=null",
                                "policy=QUARANTINE",
                                "action=reported"));
        close();

        int before = searches("tickets");
        connect(DriftPolicy.FAIL);
        SchemaDriftException e =
                catchThrowableOfType(SchemaDriftException.class, () -> hub.readAll(ReadRequest.of("tickets")));
        assertThat(e.drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(tuple("hs_ticket_category", Drift.Kind.REMOVED));
        assertThat(searches("tickets")).isEqualTo(before);
    }

    @Test
    void anAddedOptionIsReportedAndTheRecordsCarryingItAreQuarantined() {
        FAKE.addPropertyOption("tickets", "hs_ticket_priority", "CRITICAL");
        String critical = FAKE.put(
                "tickets",
                Map.of(
                        "subject",
                        "Outage",
                        "hs_ticket_priority",
                        "CRITICAL",
                        "hs_pipeline",
                        "0",
                        "hs_pipeline_stage",
                        "1"),
                Instant.parse("2026-05-20T10:00:00Z"));
        connect(DriftPolicy.QUARANTINE);

        List<Record> tickets = hub.readAll(ReadRequest.of("tickets"));

        assertThat(drifts("tickets", "hs_ticket_priority", Drift.Kind.UNKNOWN_VALUE, "reported"))
                .as("from metadata")
                .isEqualTo(1);
        assertThat(tickets).extracting(Record::id).doesNotContain(critical).hasSize(FAKE.count("tickets") - 1);
        assertThat(hub.switchboard().quarantine(hub.context()).list("hubspot-acme", "tickets"))
                .singleElement()
                .satisfies((QuarantinedRecord q) -> {
                    assertThat(q.id()).isEqualTo(critical);
                    assertThat(q.drifts())
                            .extracting(Drift::field, Drift::kind, Drift::observed)
                            .containsExactly(tuple("hs_ticket_priority", Drift.Kind.UNKNOWN_VALUE, "CRITICAL"));
                });
        assertThat(drifts("tickets", "hs_ticket_priority", Drift.Kind.UNKNOWN_VALUE, "quarantined"))
                .isEqualTo(1);
    }

    @Test
    void underFailAnAddedOptionStopsTheReadBeforeAnyRecord() {
        FAKE.addPropertyOption("contacts", "lifecyclestage", "partner");
        connect(DriftPolicy.FAIL);
        int before = searches("contacts");

        SchemaDriftException e =
                catchThrowableOfType(SchemaDriftException.class, () -> hub.readAll(ReadRequest.of("contacts")));

        assertThat(e.drifts())
                .extracting(Drift::field, Drift::kind, Drift::observed)
                .containsExactly(tuple("lifecyclestage", Drift.Kind.UNKNOWN_VALUE, "partner"));
        assertThat(searches("contacts")).isEqualTo(before);
    }
}
