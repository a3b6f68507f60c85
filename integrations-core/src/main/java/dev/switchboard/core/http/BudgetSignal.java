package dev.switchboard.core.http;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a vendor's rate-limit headers say about a budget: how many requests remain in the current
 * window and when it resets.
 *
 * @param remaining requests left in the window
 * @param resetAfter time until the window resets, if the vendor says
 */
public record BudgetSignal(long remaining, @Nullable Duration resetAfter) {
    public BudgetSignal {
        if (remaining < 0) {
            remaining = 0;
        }
        if (resetAfter != null && resetAfter.isNegative()) {
            resetAfter = Duration.ZERO;
        }
    }

    public static BudgetSignal of(long remaining, Duration resetAfter) {
        return new BudgetSignal(remaining, Objects.requireNonNull(resetAfter));
    }
}
