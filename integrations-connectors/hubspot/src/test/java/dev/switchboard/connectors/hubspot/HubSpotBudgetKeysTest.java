package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.http.BudgetSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The portal's buckets are declared from the portalId setting, so connections to one portal agree on them at build. */
class HubSpotBudgetKeysTest {
    private static ConnectionConfig connection(String id, String portal, @Nullable BudgetSettings budget) {
        ConnectionConfig.Builder b = ConnectionConfig.builder(id)
                .connector("hubspot")
                .baseUrl("http://127.0.0.1:9")
                .settings(Map.of(HubSpotConnector.PORTAL_ID, portal));
        if (budget != null) {
            b.budget(budget);
        }
        return b.build();
    }

    private static Switchboard.Builder builder() {
        return Switchboard.builder().tokenStore(TokenStore.inMemory(Clock.systemUTC()));
    }

    @Test
    void twoConnectionsToOnePortalThatSizeItsWindowDifferentlyFailAtBuild() {
        assertThatThrownBy(() -> builder()
                        .connection(connection("hubspot-sales", "62515", null))
                        .connection(
                                connection("hubspot-support", "62515", BudgetSettings.of(10, Duration.ofSeconds(10))))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'hubspot-sales'")
                .hasMessageContaining("'hubspot-support'")
                .hasMessageContaining("'hubspot:62515:10s'")
                .hasMessageContaining(
                        "5 at once and 95 per PT10S") // the connector's own window: rollingWindow(100, 10 s)
                .hasMessageContaining("10 at once and 10 per PT10S");
    }

    @Test
    void connectionsThatAgreeOrUseOtherPortalsBuildWithThePortalsBucketsKnown() {
        try (Switchboard sb = builder()
                .connection(connection("hubspot-sales", "62515", null))
                .connection(connection("hubspot-support", "62515", null))
                .connection(connection("hubspot-emea", "77", BudgetSettings.of(10, Duration.ofSeconds(10))))
                .build()) {
            assertThat(sb.rateBudgetKeys())
                    .containsExactly(
                            "hubspot:62515:10s", "hubspot:62515:search", "hubspot:77:10s", "hubspot:77:search");
        }
    }
}
