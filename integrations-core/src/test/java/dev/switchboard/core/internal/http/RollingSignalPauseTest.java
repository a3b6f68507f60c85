package dev.switchboard.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignal;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A vendor's "nothing remains" for a rolling window pauses the budget only until the oldest of its own
 * requests answered within the window has aged out of it; a window that resets at a known instant
 * still pauses until then.
 */
class RollingSignalPauseTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration MAX_WAIT = Duration.ofDays(1);

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final RateBudget budget = new RateBudget(
            "vendor:10s", BudgetSettings.of(1_000, Duration.ofSeconds(1)), "test", clock, clock.sleeper());

    private Duration waitForNext() throws Exception {
        return budget.acquire(MAX_WAIT, Duration.ofMinutes(15), false).waited();
    }

    @Test
    void aSpentRollingWindowPausesUntilTheOldestAnswerInItAgesOut() throws Exception {
        // Answers at 0, 2, 4, 6 and 8 s; the last says the window is full.
        for (int i = 0; i < 5; i++) {
            budget.observe(BudgetSignal.rollingWindow(i == 4 ? 0 : 4 - i, WINDOW));
            if (i < 4) {
                clock.advance(Duration.ofSeconds(2));
            }
        }

        // The answer at 0 s ages out at 10 s: two seconds from now, not ten.
        assertThat(waitForNext()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void answersOlderThanTheWindowDoNotShortenThePause() throws Exception {
        budget.observe(BudgetSignal.rollingWindow(3, WINDOW));
        clock.advance(Duration.ofSeconds(12)); // that answer has left the window
        budget.observe(BudgetSignal.rollingWindow(0, WINDOW));

        assertThat(waitForNext()).isEqualTo(WINDOW);
    }

    @Test
    void anAnswerExactlyAWindowOldIsOutOfItAndDoesNotShortenThePause() throws Exception {
        budget.observe(BudgetSignal.rollingWindow(1, WINDOW));
        clock.advance(WINDOW);
        budget.observe(BudgetSignal.rollingWindow(0, WINDOW));

        assertThat(waitForNext()).isEqualTo(WINDOW);
    }

    @Test
    void aWindowWithAKnownResetStillPausesUntilTheReset() throws Exception {
        budget.observe(new BudgetSignal(3, WINDOW));
        clock.advance(Duration.ofSeconds(8));
        budget.observe(new BudgetSignal(0, WINDOW));

        assertThat(waitForNext()).isEqualTo(WINDOW);
    }
}
