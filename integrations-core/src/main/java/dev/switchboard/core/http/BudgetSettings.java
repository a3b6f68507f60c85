package dev.switchboard.core.http;

import java.time.Duration;
import java.util.Objects;

/**
 * A token-bucket budget: at most {@code capacity} requests at once, refilled at {@code permits}
 * per {@code period}. For a vendor with a rolling window of N requests per period, a capacity and
 * refill of N/2 keeps every window under N.
 *
 * @param capacity the burst size
 * @param permits requests added per period
 * @param period the refill period
 */
public record BudgetSettings(long capacity, long permits, Duration period) {
    public BudgetSettings {
        if (capacity <= 0 || permits <= 0) {
            throw new IllegalArgumentException("capacity and permits must be positive");
        }
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive");
        }
    }

    /** {@code permits} per {@code period}, with bursts up to the same number. */
    public static BudgetSettings of(long permits, Duration period) {
        return new BudgetSettings(permits, permits, period);
    }
}
