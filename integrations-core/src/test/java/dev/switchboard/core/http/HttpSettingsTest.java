package dev.switchboard.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {
    @Test
    void idleConnectionsCloseBeforeNodesKeepAliveAndSpentQuotasAreProbedQuarterHourly() {
        assertThat(HttpSettings.defaults().idleConnectionTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(HttpSettings.defaults().quotaProbeInterval()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void theRetryDefaultsAreFiveAttemptsWithBackoffFrom250MillisTo20SecondsWithinOneMinute() {
        // Literal values (docs/architecture.md: "two calls that each exhaust five attempts"): tests that need a
        // retry count set it themselves instead of reading it from defaults().
        HttpSettings d = HttpSettings.defaults();
        assertThat(d.maxAttempts()).isEqualTo(5);
        assertThat(d.backoffBase()).isEqualTo(Duration.ofMillis(250));
        assertThat(d.backoffCap()).isEqualTo(Duration.ofSeconds(20));
        assertThat(d.maxTotalWait()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theNewSettingsAreCheckedWhenSetAndCarriedByNewBuilder() {
        assertThatThrownBy(() -> HttpSettings.custom().idleConnectionTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idleConnectionTimeout");
        assertThatThrownBy(() -> HttpSettings.custom().quotaProbeInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quotaProbeInterval");
        HttpSettings custom = HttpSettings.custom()
                .idleConnectionTimeout(Duration.ofSeconds(2))
                .quotaProbeInterval(Duration.ofMinutes(5))
                .build();
        HttpSettings copy = custom.newBuilder().build();
        assertThat(copy.idleConnectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(copy.quotaProbeInterval()).isEqualTo(Duration.ofMinutes(5));
    }
}
