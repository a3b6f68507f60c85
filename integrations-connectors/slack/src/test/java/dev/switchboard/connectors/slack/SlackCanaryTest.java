package dev.switchboard.connectors.slack;

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
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.VendorFake;
import dev.switchboard.testkit.secrets.Secrets;
import dev.switchboard.testkit.secrets.TwoTenants;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canaries: tenant B's workspace has a user and messages (a channel message and a thread reply) carrying
 * unique values; tenant A reads every stream, posts a message and fails to post one, and none of B's
 * canaries may reach A's records, exceptions, the audit trail, the meters' tags or any log line.
 *
 * <p>FakeSlack is one workspace per instance, so each tenant has its own fake; both connections live in one
 * Switchboard ({@link TwoTenants}: one token store, audit sink, meter registry and log) and B is driven
 * first, so its canaries pass through everything the two tenants share before A runs.
 */
class SlackCanaryTest {
    @RegisterExtension
    static final FakeSlack TENANT_A = new FakeSlack();

    @RegisterExtension
    static final FakeSlack TENANT_B = new FakeSlack();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final AgentContext userOfA = AgentContext.of(Principal.user("U0ALICE01", FakeSlack.TEAM_ID));
    private final AgentContext userOfB = AgentContext.of(Principal.user("U0ALICE01", FakeSlack.TEAM_ID));

    @Test
    void noCanaryOfTenantBReachesAnythingOfTenantA() {
        TENANT_A.useClock(clock);
        TENANT_B.useClock(clock);
        String userCanary = Secrets.canary();
        String messageCanary = Secrets.canary();
        String replyCanary = Secrets.canary();
        TENANT_B.addUser("U0CANARY1", "canary", userCanary, userCanary + "@example.com");
        TENANT_B.addMessage(FakeSlack.GENERAL, "1700000300.000100", "U0CANARY1", "hello " + messageCanary);
        TENANT_B.addReply(FakeSlack.GENERAL, "1700000300.000100", "1700000360.000100", "U0CANARY1", replyCanary);

        try (TwoTenants both = new TwoTenants(
                clock,
                new TwoTenants.Tenant(config("slack-a", TENANT_A), userOfA, credential()),
                new TwoTenants.Tenant(config("slack-b", TENANT_B), userOfB, credential()))) {
            Connection tenantA = both.connection("slack-a");
            Connection tenantB = both.connection("slack-b");

            List<Record> readByB = TwoTenants.readEveryStream(tenantB, userOfB);
            // Counted, not shown: a failure message holding a canary would itself be reported as a leak.
            assertThat(TwoTenants.recordsHolding(readByB, messageCanary))
                    .as("records of B with the canary")
                    .isPositive();
            assertThat(TwoTenants.recordsHolding(readByB, userCanary))
                    .as("records of B with the canary")
                    .isPositive();
            tenantB.execute(userOfB, "post_message", post(FakeSlack.GENERAL, "seen " + messageCanary));

            List<Record> readByA = TwoTenants.readEveryStream(tenantA, userOfA);
            assertThat(readByA).as("row-level access lets A read its own").isNotEmpty();
            JsonObject posted = tenantA.execute(userOfA, "post_message", post(FakeSlack.GENERAL, "Deploy finished"))
                    .output();
            assertThatThrownBy(() -> tenantA.execute(userOfA, "post_message", post("C0NOSUCH1", "Lost")))
                    .satisfies(Secrets::assertNoSecretIn);

            both.assertTenantSawNoCanary(readByA, posted);
        }
    }

    private static ConnectionConfig config(String id, FakeSlack fake) {
        return ConnectionConfig.builder(id)
                .connector(SlackConnector.ID)
                .baseUrl(fake.baseUrl())
                .settings(Map.of(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID))
                .build();
    }

    private static Credential credential() {
        return Credential.builder(VendorFake.ACCESS_TOKEN).build();
    }

    private static JsonObject post(String channel, String text) {
        return JsonObject.builder().put("channel", channel).put("text", text).build();
    }
}
