package dev.switchboard.core.http;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a vendor's rate-limit headers say about a budget: how many requests remain in the current
 * window and when it resets.
 *
 * @param remaining requests left in the window
 * @param resetAfter time until the window resets, if the vendor says; for a {@code rolling} window, its
 *     length
 * @param rolling whether the window rolls ("N in any W", HubSpot's 10 seconds) rather than resetting at
 *     a known instant: when nothing remains, room comes back as the oldest requests in it age out, so the
 *     budget pauses until the oldest of its own recent requests has been in it a whole window (at most
 *     {@code resetAfter}) instead of a whole window from now
 */
public record BudgetSignal(long remaining, @Nullable Duration resetAfter, boolean rolling) {
    public BudgetSignal {
        if (remaining < 0) {
            remaining = 0;
        }
        if (resetAfter != null && resetAfter.isNegative()) {
            resetAfter = Duration.ZERO;
        }
    }

    /** A window that resets {@code resetAfter} from now, if the vendor says when. */
    public BudgetSignal(long remaining, @Nullable Duration resetAfter) {
        this(remaining, resetAfter, false);
    }

    public static BudgetSignal of(long remaining, Duration resetAfter) {
        return new BudgetSignal(remaining, Objects.requireNonNull(resetAfter));
    }

    /** What remains of a rolling window of length {@code window}. */
    public static BudgetSignal rollingWindow(long remaining, Duration window) {
        return new BudgetSignal(remaining, Objects.requireNonNull(window, "window"), true);
    }
}
