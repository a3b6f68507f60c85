package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Schema;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.contract.ContractCheck;
import dev.switchboard.testkit.contract.ContractReport;
import dev.switchboard.testkit.contract.Difference;
import dev.switchboard.testkit.contract.StreamResult;
import dev.switchboard.testkit.fake.RecordedVendor;
import dev.switchboard.testkit.fake.Recording;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract harness on recorded HubSpot answers: the real list pages of the vendor samples
 * (recordings/hubspot), then altered copies of them.
 */
class HubSpotRecordedContractTest {
    @RegisterExtension
    static final RecordedVendor HUBSPOT = new RecordedVendor(Recording.fromClasspath("recordings/hubspot"));

    private static final List<String> CRM = List.of("contacts", "companies", "deals", "tickets");

    private static FakeConnection.Builder connection() {
        return FakeConnection.to(HUBSPOT, "hubspot")
                .setting(HubSpotConnector.PORTAL_ID, "62515")
                .driftPolicy(DriftPolicy.REPORT);
    }

    private static ContractReport check(FakeConnection hub) {
        return ContractCheck.on(hub.connection(), hub.context())
                .streams("contacts", "companies", "deals", "tickets", "properties")
                .request(ReadRequest.of("properties").where("objectType", "contacts"))
                .build()
                .run();
    }

    @Test
    void theRealPagesKeepEveryPromiseOfTheContracts() {
        try (FakeConnection hub = connection().build()) {
            ContractReport report = check(hub);

            report.assertNoBreakingDrift();
            // Each sample page holds two objects; the properties page lists 283 contact properties.
            assertThat(report.streams())
                    .extracting(StreamResult::stream, StreamResult::recordsRead)
                    .containsExactly(
                            tuple("contacts", 2),
                            tuple("companies", 2),
                            tuple("deals", 2),
                            tuple("tickets", 2),
                            tuple("properties", 283));
            // The list pages carry exactly the properties the connector asks for, all declared: nothing to add.
            assertThat(report.streams())
                    .allSatisfy(
                            s -> assertThat(s.seenIn(Difference.Seen.RECORDS)).isEmpty());
            assertThat(HUBSPOT.unmatched()).isEmpty();
        }
    }

    @Test
    void contactsReadWithEveryPropertyShowTheUndeclaredOnesAsAdditive() {
        HUBSPOT.replay(Recording.fromClasspath("recordings/hubspot-contacts-with-history"));
        try (FakeConnection hub = connection().build()) {
            ContractReport report = ContractCheck.on(hub.connection(), hub.context())
                    .streams("contacts")
                    .build()
                    .run();

            StreamResult contacts = report.stream("contacts").orElseThrow();
            List<Difference> seen = contacts.seenIn(Difference.Seen.RECORDS);
            assertThat(report.hasBreaking()).isFalse();
            // 171 properties on contact 1 and 36 on contact 51 (a truncated copy); 165 of them are not in the
            // contract (associatedcompanyid, null on both, is declared); 30 on both contacts.
            // propertiesWithHistory and associations never reach the record.
            assertThat(seen).hasSize(165).allMatch(d -> d.kind() == Drift.Kind.ADDED && !d.breaking());
            assertThat(seen).filteredOn(d -> d.records() == 2).hasSize(30);
            assertThat(seen).filteredOn(d -> "STRING".equals(d.observed())).hasSize(28);
            assertThat(seen).filteredOn(d -> "null".equals(d.observed())).hasSize(137);
            assertThat(seen)
                    .extracting(Difference::field)
                    .doesNotContain("propertiesWithHistory", "associations", "email");
            assertThat(seen)
                    .contains(
                            new Difference(
                                    "city",
                                    Drift.Kind.ADDED,
                                    null,
                                    "STRING",
                                    Difference.Seen.RECORDS,
                                    2,
                                    List.of("1", "51")),
                            new Difference(
                                    "address",
                                    Drift.Kind.ADDED,
                                    null,
                                    "null",
                                    Difference.Seen.RECORDS,
                                    2,
                                    List.of("1", "51")),
                            new Difference(
                                    "hs_marketable_until_renewal",
                                    Drift.Kind.ADDED,
                                    null,
                                    "STRING",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("1")));
        }
    }

    @Test
    void aRetypedPropertyAndAMissingEnvelopeFieldAreBreaking() {
        HUBSPOT.replay(HUBSPOT.recording()
                .set(
                        "POST",
                        "/crm/v3/objects/tickets/search",
                        "/results/1/properties/hs_ticket_priority",
                        JsonNumber.of(3))
                .remove("POST", "/crm/v3/objects/companies/search", "/results/0/archived"));
        try (FakeConnection hub = connection().build()) {
            ContractReport report = check(hub);

            assertThat(report.status()).isEqualTo(ContractReport.Status.BREAKING);
            assertThat(report.breaking())
                    .containsExactlyInAnyOrder(
                            new Difference(
                                    "hs_ticket_priority",
                                    Drift.Kind.TYPE_CHANGED,
                                    "STRING?",
                                    "INTEGER",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("1075966441")),
                            new Difference(
                                    "archived",
                                    Drift.Kind.MISSING,
                                    "BOOLEAN",
                                    null,
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("7086461639")));
            // REPORT: every record still came back and was checked.
            assertThat(report.stream("tickets").orElseThrow().recordsRead()).isEqualTo(2);
        }
    }

    @Test
    void aDealStageThePinnedContractNeverListedIsBreaking() {
        // A team pins its pipeline's stages: dealstage is then enumerated on the connection.
        Schema declared = new HubSpotConnector()
                .descriptor().stream("deals").orElseThrow().schema();
        Schema.Builder pinned = Schema.builder();
        declared.fields()
                .forEach(f -> pinned.add(
                        f.name().equals("dealstage")
                                ? f.withValues(
                                        List.of("appointmentscheduled", "qualifiedtobuy", "closedwon", "closedlost"))
                                : f));
        HUBSPOT.replay(HUBSPOT.recording()
                .set(
                        "POST",
                        "/crm/v3/objects/deals/search",
                        "/results/1/properties/dealstage",
                        new JsonString("negotiation")));
        try (FakeConnection hub = connection().contract("deals", pinned.build()).build()) {
            ContractReport report = ContractCheck.on(hub.connection(), hub.context())
                    .streams(CRM)
                    .build()
                    .run();

            assertThat(report.breaking())
                    .containsExactly(new Difference(
                            "dealstage",
                            Drift.Kind.UNKNOWN_VALUE,
                            "one of [appointmentscheduled, qualifiedtobuy, closedwon, closedlost]",
                            "negotiation",
                            Difference.Seen.RECORDS,
                            1,
                            List.of("6744457152")));
            assertThat(report.toText()).contains("BREAKING UNKNOWN_VALUE dealstage");
        }
    }
}
