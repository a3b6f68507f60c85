package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.VendorFake;
import dev.switchboard.testkit.secrets.Secrets;
import dev.switchboard.testkit.secrets.TwoTenants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The named attacks on the Salesforce connector, through the public {@code Switchboard} API: SOQL injection
 * through read filters and action input. Each test asserts on the SOQL the fake actually received (its
 * request journal) and on the records that came back; tenant B (its own org, in the same Switchboard) holds
 * a canary that must never come back to tenant A.
 */
class SalesforceAttacksTest {
    @RegisterExtension
    static final FakeSalesforce TENANT_A = new FakeSalesforce();

    @RegisterExtension
    static final FakeSalesforce TENANT_B = new FakeSalesforce();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    // The owner of the seeded records, so the row rule shows each tenant's user its own records.
    private final AgentContext user =
            AgentContext.of(Principal.user(FakeSalesforce.API_USER_ID, FakeSalesforce.ORG_ID));
    private TwoTenants both;
    private Connection tenantA;
    private String canary;

    @BeforeEach
    void open() {
        canary = Secrets.canary();
        TENANT_B.put("Contact", JsonObject.builder().put("LastName", canary).build());
        both = new TwoTenants(
                clock,
                new TwoTenants.Tenant(config("sf-a"), user, credential(TENANT_A)),
                new TwoTenants.Tenant(config("sf-b"), user, credential(TENANT_B)));
        tenantA = both.connection("sf-a");
    }

    @AfterEach
    void close() {
        both.close();
    }

    @Test
    void aQuoteAndAnOrInAFilterValueStayInsideTheStringLiteral() {
        List<Record> found = read(ReadRequest.of("Contact").where("LastName", "x' OR LastName != 'y"));

        assertThat(found).isEmpty();
        // Written by hand, from SOQL's escaping rules: every quote inside the value is backslash-escaped.
        assertThat(lastQuery()).contains(" WHERE LastName = 'x\\' OR LastName != \\'y' AND OwnerId IN (");
        assertThat(TENANT_A.records("Contact"))
                .as("the fake holds contacts the injection would have shown")
                .hasSizeGreaterThan(1);
        both.assertTenantSawNoCanary(found);
    }

    @Test
    void aBackslashBeforeAQuoteCannotUnescapeIt() {
        // The classic bypass of quote-only escaping: the value's own backslash would escape the added one.
        List<Record> found = read(ReadRequest.of("Contact").where("LastName", "x\\' OR LastName != \\'y"));

        assertThat(found).isEmpty();
        assertThat(lastQuery()).contains(" WHERE LastName = 'x\\\\\\' OR LastName != \\\\\\'y' AND OwnerId IN (");
        both.assertTenantSawNoCanary(found);
    }

    @Test
    void wildcardsNewlinesAndQuotesMatchOnlyTheRecordHoldingExactlyThatValue() {
        String hostile = "O'Brien \\ 100%_\n\"OR\" Id != null";
        String target = TENANT_A.put(
                "Contact", JsonObject.builder().put("LastName", hostile).build());
        // Would match the LIKE-style reading of % and _, and a newline-split second condition.
        TENANT_A.put(
                "Contact",
                JsonObject.builder().put("LastName", "O'Brien \\ 100XY").build());

        List<Record> found = read(ReadRequest.of("Contact").where("LastName", hostile));

        assertThat(found).extracting(Record::id).containsExactly(target);
        assertThat(lastQuery())
                .contains(" WHERE LastName = 'O\\'Brien \\\\ 100%_\\n\\\"OR\\\" Id != null' AND OwnerId IN (");
        both.assertTenantSawNoCanary(found);
    }

    @Test
    void aControlCharacterSoqlCannotEscapeIsRefusedWithATypedErrorBeforeAnyQuery() {
        int before = queries().size();

        InvalidInputException refused = catchThrowableOfType(
                InvalidInputException.class,
                () -> read(ReadRequest.of("Contact").where("LastName", "x\u0000' OR Id != null")));

        assertThat(refused).isNotNull();
        assertThat(refused.nextStep()).isEqualTo(NextStep.FIX_INPUT);
        assertThat(queries()).hasSize(before);
    }

    @Test
    void aFilterOnAFieldNameCarryingSoqlIsRefusedBeforeAnyQuery() {
        int before = queries().size();

        InvalidInputException refused = catchThrowableOfType(
                InvalidInputException.class,
                () -> read(ReadRequest.of("Contact").where("LastName = 'a' OR LastName", "b")));

        assertThat(refused).isNotNull();
        assertThat(queries()).hasSize(before);
    }

    @Test
    void anActionRecordIdCarryingSoqlIsRefusedBeforeAnyRequestReachesTheVendor() {
        int before = TENANT_A.requests().size();

        InvalidInputException refused = catchThrowableOfType(
                InvalidInputException.class,
                () -> tenantA.execute(
                        user,
                        "update_case_status",
                        JsonObject.builder()
                                .put("case_id", "500' OR Id != '")
                                .put("status", "Closed")
                                .build()));

        assertThat(refused).isNotNull();
        assertThat(refused.nextStep()).isEqualTo(NextStep.FIX_INPUT);
        assertThat(TENANT_A.requests()).hasSize(before);
    }

    @Test
    void soqlInActionTextIsStoredAsTextAndNeverQueried() {
        String caseId = TENANT_A.records("Case").get(0).string("Id");
        String body = "'); DELETE FROM Case WHERE Id != '";
        int queriesBefore = queries().size();

        tenantA.execute(
                user,
                "add_case_comment",
                JsonObject.builder().put("case_id", caseId).put("body", body).build());

        assertThat(TENANT_A.records("CaseComment"))
                .extracting(c -> c.string("CommentBody"))
                .contains(body);
        assertThat(queries().subList(queriesBefore, queries().size())).noneMatch(q -> q.contains("DELETE"));
        assertThat(TENANT_A.records("Case")).extracting(c -> c.string("Id")).contains(caseId);
    }

    private List<Record> read(ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = tenantA.read(user, request)) {
            stream.forEach(records::add);
        }
        return records;
    }

    private static List<String> queries() {
        return TENANT_A.requests().stream()
                .filter(r -> r.path().endsWith("/query") || r.path().endsWith("/queryAll"))
                .map(r -> r.query("q"))
                // The org's sharing defaults, read once per session, carry no input.
                .filter(q -> !q.contains(" FROM Organization"))
                .toList();
    }

    private static String lastQuery() {
        List<String> q = queries();
        assertThat(q).as("queries the fake received").isNotEmpty();
        return q.get(q.size() - 1);
    }

    private static ConnectionConfig config(String id) {
        return ConnectionConfig.builder(id)
                .connector(SalesforceConnector.ID)
                .baseUrl("http://127.0.0.1:9")
                .settings(Map.of(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID))
                .build();
    }

    private static Credential credential(FakeSalesforce fake) {
        return Credential.builder(VendorFake.ACCESS_TOKEN)
                .attributes(Map.of(SalesforceConnector.INSTANCE_URL, fake.baseUrl()))
                .build();
    }
}
