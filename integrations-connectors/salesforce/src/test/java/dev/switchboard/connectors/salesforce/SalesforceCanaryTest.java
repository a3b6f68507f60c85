package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.VendorFake;
import dev.switchboard.testkit.secrets.Secrets;
import dev.switchboard.testkit.secrets.TwoTenants;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canaries: tenant B's org has a contact and a case carrying unique values; tenant A reads every stream,
 * updates a case and fails to update one, and none of B's canaries may reach A's records, exceptions, the
 * audit trail, the meters' tags or any log line.
 *
 * <p>FakeSalesforce is one org per instance (with one org id), so each tenant has its own fake; both
 * connections live in one Switchboard ({@link TwoTenants}: one token store, audit sink, meter registry and
 * log) and B is driven first, so its canaries pass through everything the two tenants share before A runs.
 */
class SalesforceCanaryTest {
    @RegisterExtension
    static final FakeSalesforce TENANT_A = new FakeSalesforce();

    @RegisterExtension
    static final FakeSalesforce TENANT_B = new FakeSalesforce();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    // The owner of the seeded records, so row-level access lets each tenant's user see its own.
    private final AgentContext user =
            AgentContext.of(Principal.user(FakeSalesforce.API_USER_ID, FakeSalesforce.ORG_ID));

    @Test
    void noCanaryOfTenantBReachesAnythingOfTenantA() {
        String contactCanary = Secrets.canary();
        String caseCanary = Secrets.canary();
        TENANT_B.put(
                "Contact",
                JsonObject.builder()
                        .put("LastName", contactCanary)
                        .put("Email", contactCanary.toLowerCase(java.util.Locale.ROOT) + "@example.com")
                        .build());
        String caseOfB = TENANT_B.put(
                "Case",
                JsonObject.builder()
                        .put("Subject", caseCanary)
                        .put("Description", caseCanary)
                        .build());

        try (TwoTenants both = new TwoTenants(
                clock,
                new TwoTenants.Tenant(config("sf-a"), user, credential(TENANT_A)),
                new TwoTenants.Tenant(config("sf-b"), user, credential(TENANT_B)))) {
            Connection tenantA = both.connection("sf-a");
            Connection tenantB = both.connection("sf-b");

            List<Record> readByB = TwoTenants.readEveryStream(tenantB, user);
            // Counted, not shown: a failure message holding a canary would itself be reported as a leak.
            assertThat(TwoTenants.recordsHolding(readByB, caseCanary))
                    .as("records of B with the canary")
                    .isPositive();
            assertThat(TwoTenants.recordsHolding(readByB, contactCanary))
                    .as("records of B with the canary")
                    .isPositive();
            tenantB.execute(user, "update_case_status", status(caseOfB, "Closed"));

            List<Record> readByA = TwoTenants.readEveryStream(tenantA, user);
            assertThat(readByA).as("row-level access lets A read its own").isNotEmpty();
            String caseOfA = TENANT_A.records("Case").get(0).string("Id");
            JsonObject updated = tenantA.execute(user, "update_case_status", status(caseOfA, "Closed"))
                    .output();
            assertThatThrownBy(() -> tenantA.execute(user, "update_case_status", status(caseOfA, "Bogus")))
                    .satisfies(Secrets::assertNoSecretIn);

            both.assertTenantSawNoCanary(readByA, updated);
        }
    }

    /** The configured base URL goes nowhere: only the credential's instance_url reaches the tenant's fake. */
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

    private static JsonObject status(String caseId, String status) {
        return JsonObject.builder().put("case_id", caseId).put("status", status).build();
    }
}
