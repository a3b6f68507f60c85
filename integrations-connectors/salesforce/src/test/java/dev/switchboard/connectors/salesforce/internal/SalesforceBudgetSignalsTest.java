package dev.switchboard.connectors.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.http.BudgetSignal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SalesforceBudgetSignalsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T09:00:00Z"), ZoneOffset.UTC);
    private final SalesforceBudgetSignals signals = new SalesforceBudgetSignals(0.05);

    private BudgetSignal read(String header) {
        return signals.read(SalesforceClassifierTest.response(200, "{}", header), CLOCK)
                .orElseThrow();
    }

    @Test
    void farFromTheLimitItOnlyReportsWhatRemainsAboveTheSlowDownLine() {
        assertThat(read("api-usage=10018/100000")).isEqualTo(new BudgetSignal(100_000 - 10_018 - 5_000, null));
    }

    @Test
    void belowTheLineItSpreadsWhatRemainsOverTheRollingDay() {
        assertThat(read("api-usage=96000/100000")).isEqualTo(new BudgetSignal(0, Duration.ofMillis(21_600)));
        assertThat(read("api-usage=99999/100000")).isEqualTo(new BudgetSignal(0, Duration.ofDays(1)));
    }

    @Test
    void atOrOverTheLimitItHoldsForAnHour() {
        assertThat(read("api-usage=100000/100000")).isEqualTo(new BudgetSignal(0, Duration.ofHours(1)));
        assertThat(read("api-usage=100017/100000")).isEqualTo(new BudgetSignal(0, Duration.ofHours(1)));
    }

    @Test
    void readsTheOrgsUsageNotTheConnectedAppsWhenBothAreSent() {
        assertThat(read("api-usage=96000/100000; per-app-api-usage=17/250(appName=sample-app)"))
                .isEqualTo(new BudgetSignal(0, Duration.ofMillis(21_600)));
    }

    @Test
    void readsNothingWithoutTheHeader() {
        assertThat(signals.read(SalesforceClassifierTest.response(200, "{}", null), CLOCK))
                .isEmpty();
        assertThat(signals.read(SalesforceClassifierTest.response(200, "{}", "per-app-api-usage=1/10"), CLOCK))
                .isEmpty();
    }

    @Test
    void refusesAFractionOutsideZeroToOne() {
        assertThatThrownBy(() -> new SalesforceBudgetSignals(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SalesforceBudgetSignals(-0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
