package dev.switchboard.connectors.salesforce;

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

/** The org's daily bucket is declared from the org_id setting, so connections to one org agree on it at build. */
class SalesforceBudgetKeysTest {
    private static final String ORG = "00D5g000004ABCDEAZ";

    private static ConnectionConfig connection(String id, @Nullable BudgetSettings budget) {
        ConnectionConfig.Builder b = ConnectionConfig.builder(id)
                .connector(SalesforceConnector.ID)
                .baseUrl("http://127.0.0.1:9")
                .settings(Map.of(SalesforceConnector.ORG_ID_SETTING, ORG));
        if (budget != null) {
            b.budget(budget);
        }
        return b.build();
    }

    @Test
    void twoConnectionsToOneOrgThatSizeItsBucketDifferentlyFailAtBuild() {
        assertThatThrownBy(() -> Switchboard.builder()
                        .tokenStore(TokenStore.inMemory(Clock.systemUTC()))
                        .connection(connection("sf-sales", null))
                        .connection(connection("sf-service", BudgetSettings.of(5, Duration.ofSeconds(1))))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sf-sales'")
                .hasMessageContaining("'sf-service'")
                .hasMessageContaining("'salesforce:" + ORG + ":daily'")
                .hasMessageContaining("25 at once and 10 per PT1S") // the connector's own burst
                .hasMessageContaining("5 at once and 5 per PT1S");
    }

    @Test
    void connectionsThatAgreeShareTheOrgsBucket() {
        try (Switchboard sb = Switchboard.builder()
                .tokenStore(TokenStore.inMemory(Clock.systemUTC()))
                .connection(connection("sf-sales", null))
                .connection(connection("sf-service", null))
                .build()) {
            assertThat(sb.rateBudgetKeys()).containsExactly("salesforce:" + ORG + ":daily");
        }
    }
}
