package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.DriftPolicy;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract harness on recorded Salesforce answers: the real captured describe and query answer
 * (recordings/salesforce, which presents them as Account), then altered copies of them.
 */
class SalesforceRecordedContractTest {
    @RegisterExtension
    static final RecordedVendor SALESFORCE = new RecordedVendor(Recording.fromClasspath("recordings/salesforce"));

    private static final String DESCRIBE = "/services/data/v62.0/sobjects/Account/describe";
    private static final String QUERY = "/services/data/v62.0/query";

    private static FakeConnection.Builder connection() {
        // Requests follow the credential's instance_url, as they do live; the configured base URL goes nowhere.
        return FakeConnection.to(SALESFORCE, SalesforceConnector.ID)
                .connectionId("sf")
                .baseUrl("http://127.0.0.1:9")
                .setting(SalesforceConnector.ORG_ID_SETTING, "00DKA000000fakeAAA")
                .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, SALESFORCE.baseUrl()))
                .driftPolicy(DriftPolicy.REPORT);
    }

    private static ContractReport check(FakeConnection sf) {
        return ContractCheck.on(sf.connection(), sf.context())
                .streams("Account")
                .build()
                .run();
    }

    @Test
    void theCapturedRowKeepsTheContractAndShowsTheOrgsCustomFieldsAsAdditive() {
        try (FakeConnection sf = connection().build()) {
            ContractReport report = check(sf);

            report.assertNoBreakingDrift();
            StreamResult account = report.stream("Account").orElseThrow();
            assertThat(account.recordsRead()).isEqualTo(1);
            // The real custom fields of the captured row, which the connector's contract does not declare;
            // JSON carries the date, the datetime (with Salesforce's +0000) and the time as strings.
            assertThat(account.seenIn(Difference.Seen.RECORDS))
                    .containsExactly(
                            new Difference(
                                    "id__c",
                                    Drift.Kind.ADDED,
                                    null,
                                    "STRING",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("a01KA000000MRoRYAW")),
                            new Difference(
                                    "date__c",
                                    Drift.Kind.ADDED,
                                    null,
                                    "STRING",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("a01KA000000MRoRYAW")),
                            new Difference(
                                    "datetime__c",
                                    Drift.Kind.ADDED,
                                    null,
                                    "STRING",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("a01KA000000MRoRYAW")),
                            new Difference(
                                    "time__c",
                                    Drift.Kind.ADDED,
                                    null,
                                    "STRING",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("a01KA000000MRoRYAW")));
            assertThat(SALESFORCE.requests()).extracting(r -> r.path()).startsWith(DESCRIBE, QUERY);
            assertThat(SALESFORCE.unmatched()).isEmpty();
        }
    }

    @Test
    void aRetypedValueIsReportedAsBreakingWithTheRecordsItWasSeenIn() {
        SALESFORCE.replay(SALESFORCE.recording().set("GET", QUERY, "/records/0/AnnualRevenue", new JsonString("2.5M")));
        try (FakeConnection sf = connection().build()) {
            ContractReport report = check(sf);

            StreamResult account = report.stream("Account").orElseThrow();
            // The harness reads under DriftPolicy.REPORT, so the row comes back as read and is checked here.
            assertThat(account.breaking())
                    .containsExactly(new Difference(
                            "AnnualRevenue",
                            Drift.Kind.TYPE_CHANGED,
                            "NUMBER?",
                            "STRING",
                            Difference.Seen.RECORDS,
                            1,
                            List.of("a01KA000000MRoRYAW")));
            assertThat(account.errors()).isEmpty();
            assertThat(report.status()).isEqualTo(ContractReport.Status.BREAKING);
        }
    }

    @Test
    void aFieldDescribeNoLongerListsIsBreaking() {
        // Industry is the 4th field appended after the sample's own 4: index 7.
        Recording withoutIndustry = SALESFORCE.recording().remove("GET", DESCRIBE, "/fields/7");
        SALESFORCE.replay(withoutIndustry);
        try (FakeConnection sf = connection().build()) {
            ContractReport report = check(sf);

            assertThat(report.breaking())
                    .containsExactly(new Difference(
                            "Industry", Drift.Kind.REMOVED, "STRING?", null, Difference.Seen.METADATA, 0, List.of()));
            assertThat(report.toText())
                    .contains("BREAKING REMOVED Industry: expected STRING?, observed (absent) [metadata]");
        }
    }

    @Test
    void anAccountTypeThePinnedContractNeverListedIsBreaking() {
        Schema declared = new SalesforceConnector()
                .descriptor().stream("Account").orElseThrow().schema();
        Schema.Builder pinned = Schema.builder();
        declared.fields()
                .forEach(f -> pinned.add(
                        f.name().equals("Type")
                                ? f.withValues(List.of("Customer - Direct", "Customer - Channel", "Prospect"))
                                : f));
        SALESFORCE.replay(SALESFORCE.recording().set("GET", QUERY, "/records/0/Type", new JsonString("Reseller")));
        try (FakeConnection sf =
                connection().contract("Account", pinned.build()).build()) {
            ContractReport report = check(sf);

            assertThat(report.breaking())
                    .containsExactly(new Difference(
                            "Type",
                            Drift.Kind.UNKNOWN_VALUE,
                            "one of [Customer - Direct, Customer - Channel, Prospect]",
                            "Reseller",
                            Difference.Seen.RECORDS,
                            1,
                            List.of("a01KA000000MRoRYAW")));
            assertThat(report.stream("Account").orElseThrow().errors()).isEmpty();
        }
    }
}
