package dev.switchboard.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BudgetSettings#rollingWindow}'s two promises, checked on a real {@link RateBudget} (Bucket4j
 * underneath) in virtual time: no window of the vendor's length ever holds more than its limit, however
 * callers ask; and callers that keep asking get at least {@code (1 − margin) · limit} per window.
 */
class RollingWindowBudgetPropertiesTest {
    private static final Duration NO_LIMIT = Duration.ofDays(365);

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of(100, Duration.ofSeconds(10), 0.05), // HubSpot's window
                Arguments.of(190, Duration.ofSeconds(10), 0.05), // HubSpot Professional
                Arguments.of(110, Duration.ofSeconds(10), 0.02), // HubSpot public apps, a thin margin
                Arguments.of(5, Duration.ofSeconds(1), 0.05), // HubSpot search
                Arguments.of(1, Duration.ofMinutes(1), 0.05), // Slack Tier 1
                Arguments.of(20, Duration.ofMinutes(1), 0.05), // Slack Tier 2
                Arguments.of(50, Duration.ofMinutes(1), 0.05), // Slack Tier 3
                Arguments.of(100, Duration.ofMinutes(1), 0.05), // Slack Tier 4
                Arguments.of(1, Duration.ofSeconds(1), 0.05), // Slack posts per channel
                Arguments.of(7, Duration.ofSeconds(3), 0.1),
                Arguments.of(3, Duration.ofMillis(700), 0.3),
                Arguments.of(1_000, Duration.ofHours(1), 0.01));
    }

    @ParameterizedTest(name = "{0} per {1}, margin {2}")
    @MethodSource("limits")
    void noWindowEverHoldsMoreThanTheLimitWhateverTheDemand(long limit, Duration window, double margin)
            throws Exception {
        BudgetSettings settings = BudgetSettings.rollingWindow(limit, window, margin);
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
            RateBudget budget = new RateBudget("vendor", settings, "test", clock, clock.sleeper());
            List<Long> grants = new ArrayList<>();
            long requests = Math.max(200, 12 * limit);
            for (int i = 0; i < requests; i++) {
                // Bursts back to back, pauses of every length around the window's and its refill's scale:
                // the pauses refill the bucket part way or whole, so bursts start from every state.
                int shape = random.nextInt(10);
                if (shape == 0) {
                    clock.advance(Duration.ofNanos((long) (random.nextDouble() * 2 * window.toNanos())));
                } else if (shape == 1) {
                    clock.advance(Duration.ofNanos((long) (random.nextDouble() * window.toNanos() / limit)));
                }
                budget.acquire(NO_LIMIT, Duration.ofMinutes(1), false);
                grants.add(clock.nanos());
            }
            assertThat(mostInAnyWindow(grants, window))
                    .as("seed %d: the most permits any closed window of %s holds (settings %s)", seed, window, settings)
                    .isLessThanOrEqualTo(limit);
        }
    }

    @ParameterizedTest(name = "{0} per {1}, margin {2}")
    @MethodSource("limits")
    void callersThatKeepAskingGetTheSustainedRate(long limit, Duration window, double margin) throws Exception {
        BudgetSettings settings = BudgetSettings.rollingWindow(limit, window, margin);
        ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
        RateBudget budget = new RateBudget("vendor", settings, "test", clock, clock.sleeper());
        long start = clock.nanos();
        int windows = 40;
        long granted = 0;
        while (clock.nanos() - start < windows * window.toNanos()) {
            budget.acquire(NO_LIMIT, Duration.ofMinutes(1), false);
            granted++;
        }
        double elapsedWindows = (double) (clock.nanos() - start) / window.toNanos();
        assertThat(granted)
                .as("permits in %.2f windows (settings %s)", elapsedWindows, settings)
                .isGreaterThanOrEqualTo((long) Math.floor((1 - margin) * limit * elapsedWindows));
        // And the burst the margin buys is spent first: the limit's share the sustained rate leaves.
        assertThat(settings.capacity()).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo((long) Math.ceil(margin * limit));
    }

    @Test
    void theVendorsSizesComeOutAsDocumented() {
        assertThat(BudgetSettings.rollingWindow(100, Duration.ofSeconds(10)))
                .isEqualTo(new BudgetSettings(5, 95, Duration.ofSeconds(10)));
        assertThat(BudgetSettings.rollingWindow(5, Duration.ofSeconds(1)))
                .isEqualTo(new BudgetSettings(1, 19, Duration.ofSeconds(4)));
        assertThat(BudgetSettings.rollingWindow(50, Duration.ofMinutes(1)))
                .isEqualTo(new BudgetSettings(3, 95, Duration.ofMinutes(2)));
        assertThat(BudgetSettings.rollingWindow(1, Duration.ofMinutes(1)))
                .isEqualTo(new BudgetSettings(1, 19, Duration.ofMinutes(20)));
    }

    @Test
    void aMarginOutsideZeroToOneOrANonPositiveLimitIsRefused() {
        assertThatThrownBy(() -> BudgetSettings.rollingWindow(100, Duration.ofSeconds(10), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BudgetSettings.rollingWindow(100, Duration.ofSeconds(10), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BudgetSettings.rollingWindow(0, Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BudgetSettings.rollingWindow(5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The most grants any closed stretch {@code [t, t + window]} holds. */
    private static long mostInAnyWindow(List<Long> grants, Duration window) {
        long most = 0;
        int start = 0;
        for (int end = 0; end < grants.size(); end++) {
            while (grants.get(end) - grants.get(start) > window.toNanos()) {
                start++;
            }
            most = Math.max(most, end - start + 1);
        }
        return most;
    }
}
