package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.VendorFake;
import dev.switchboard.testkit.secrets.LeakChecks;
import dev.switchboard.testkit.secrets.Secrets;
import dev.switchboard.testkit.secrets.TwoTenants;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canaries: tenant B's portal holds unique values in a contact, a ticket and a property's options; tenant A
 * reads every stream, runs an action and a failing one, and none of B's canaries may reach A's records,
 * exceptions, the audit trail, the meters' tags or any log line.
 *
 * <p>FakeHubSpot is one portal per instance, so each tenant has its own fake; both connections live in one
 * Switchboard ({@link TwoTenants}: one token store, audit sink, meter registry and log) and B is driven
 * first, so its canaries pass through everything the two tenants share before A runs.
 */
class HubSpotCanaryTest {
    @RegisterExtension
    static final FakeHubSpot TENANT_A = new FakeHubSpot();

    @RegisterExtension
    static final FakeHubSpot TENANT_B = new FakeHubSpot();

    private static final String PORTAL_A = "62515";
    private static final String PORTAL_B = "77001";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    // The owner of the seeded tickets, so row-level access lets each tenant's user see its own records.
    private final AgentContext userOfA = AgentContext.of(Principal.user("41629779", PORTAL_A));
    private final AgentContext userOfB = AgentContext.of(Principal.user("41629779", PORTAL_B));

    @Test
    void noCanaryOfTenantBReachesAnythingOfTenantA() {
        TENANT_B.portalId(PORTAL_B);
        String contactCanary = Secrets.canary();
        String ticketCanary = Secrets.canary();
        String optionCanary = Secrets.canary();
        Instant before = clock.instant().minusSeconds(60);
        TENANT_B.put("contacts", Map.of("email", contactCanary + "@example.com", "firstname", contactCanary), before);
        String ticketOfB = TENANT_B.put(
                "tickets",
                Map.of("subject", ticketCanary, "content", ticketCanary, "hubspot_owner_id", "41629779"),
                before);
        TENANT_B.defineProperty("contacts", "hs_custom_tier", "enumeration", "gold", optionCanary);

        try (TwoTenants both = new TwoTenants(
                clock,
                new TwoTenants.Tenant(config("hubspot-a", TENANT_A, PORTAL_A), userOfA, credential()),
                new TwoTenants.Tenant(config("hubspot-b", TENANT_B, PORTAL_B), userOfB, credential()))) {
            Connection tenantA = both.connection("hubspot-a");
            Connection tenantB = both.connection("hubspot-b");

            List<Record> readByB = TwoTenants.readEveryStream(tenantB, userOfB);
            // Counted, not shown: a failure message holding a canary would itself be reported as a leak.
            assertThat(TwoTenants.recordsHolding(readByB, ticketCanary))
                    .as("records of B with the canary")
                    .isPositive();
            assertThat(TwoTenants.recordsHolding(readByB, optionCanary))
                    .as("records of B with the canary")
                    .isPositive();
            tenantB.execute(userOfB, "update_ticket", json(ticketOfB));

            List<Record> readByA = TwoTenants.readEveryStream(tenantA, userOfA);
            assertThat(readByA).as("row-level access lets A read its own").isNotEmpty();
            LeakChecks.assertNoSecretInRecords("tenant A's reads", readByA);
            JsonObject note = tenantA.execute(
                            userOfA, "create_note", (JsonObject) Json.parse("{\"body\":\"Called back\","
                                    + "\"associations\":[{\"objectType\":\"contacts\",\"id\":\"1\"}]}"))
                    .output();
            // A names B's ticket, which A's portal does not have.
            assertThatThrownBy(() -> tenantA.execute(userOfA, "update_ticket", json(ticketOfB)))
                    .satisfies(Secrets::assertNoSecretIn);

            both.assertTenantSawNoCanary(readByA, note);
        }
    }

    private static ConnectionConfig config(String id, FakeHubSpot fake, String portal) {
        return ConnectionConfig.builder(id)
                .connector("hubspot")
                .baseUrl(fake.baseUrl())
                .settings(Map.of(HubSpotConnector.PORTAL_ID, portal))
                .build();
    }

    private static Credential credential() {
        return Credential.builder(VendorFake.ACCESS_TOKEN).build();
    }

    private static JsonObject json(String ticketId) {
        return (JsonObject)
                Json.parse("{\"ticketId\":\"" + ticketId + "\",\"properties\":{\"hs_ticket_priority\":\"LOW\"}}");
    }
}
