package dev.switchboard.core.http;

import java.time.Duration;
import java.util.Objects;

/**
 * A token-bucket budget: at most {@code capacity} requests at once, refilled at {@code permits}
 * per {@code period}. Refill is greedy: the permits arrive one by one, evenly spread over the period
 * (10 per second is one every 100 ms), not all at once at its end.
 *
 * <p>For a vendor that counts a rolling window ("N requests in any W"), build it with
 * {@link #rollingWindow(long, Duration)}: it sizes the bucket from the vendor's own limit so no window
 * ever holds more than the vendor allows while the sustained rate stays within a small margin of it.
 *
 * @param capacity the burst size
 * @param permits requests added per period
 * @param period the refill period
 */
public record BudgetSettings(long capacity, long permits, Duration period) {
    /**
     * The share of a rolling window's limit that {@link #rollingWindow(long, Duration)} gives up on
     * the sustained rate (5%): it buys the burst allowance, and it is the most the pacing costs in time.
     */
    public static final double DEFAULT_WINDOW_MARGIN = 0.05;

    /** The largest factor a rolling window is stretched by to express its sustained rate in whole permits. */
    private static final int MAX_PERIOD_SCALE = 1_000;

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

    /**
     * The budget for a vendor limit of {@code limit} requests in any rolling {@code window}, with the
     * {@linkplain #DEFAULT_WINDOW_MARGIN default margin} of 5%.
     *
     * @see #rollingWindow(long, Duration, double)
     */
    public static BudgetSettings rollingWindow(long limit, Duration window) {
        return rollingWindow(limit, window, DEFAULT_WINDOW_MARGIN);
    }

    /**
     * The budget for a vendor limit of {@code limit} requests in any rolling {@code window}: sustained
     * rate {@code (1 − margin) · limit} per window, burst {@code ⌈margin · limit⌉}.
     *
     * <p><b>Guaranteed</b>, by the budget's clock: no window of length {@code window} (both ends
     * included) holds more than {@code limit} permits, however callers ask; and callers that keep asking
     * get at least {@code (1 − margin) · limit} permits per window over a long run, so a burst of
     * {@code n} requests takes at most {@code 1 / (1 − margin)} (1.053 at the default margin) of the
     * vendor's minimum, {@code n / limit} windows.
     *
     * <p><b>Why these sizes.</b> Bucket4j's greedy refill (checked in its 8.14 source: permits are added
     * as {@code elapsed · permits / period} in integer arithmetic with the remainder carried; a full
     * bucket adds nothing and drops the remainder) means that in any closed stretch of length {@code W}
     * a bucket of capacity {@code c} refilled at {@code ρ} per {@code W} grants at most
     * {@code c + ⌊ρ⌋}: it held at most {@code c} at the start, and
     * <ul>
     *   <li>if it was full, the remainder was dropped, so at most {@code ⌊ρ⌋} more arrive;</li>
     *   <li>if it held at most {@code c − 1}, the carried remainder adds at most one arrival,
     *       {@code ⌊ρ + remainder⌋ ≤ ⌊ρ⌋ + 1}.</li>
     * </ul>
     * So the window holds at most {@code limit} when {@code c ≤ limit − ⌊ρ⌋}. The refill {@code ρ} sets
     * the sustained rate and the capacity the burst; the margin splits the limit between them:
     * {@code ρ = (1 − margin) · limit} and {@code c = limit − ⌊ρ⌋ = ⌈margin · limit⌉} (at least one, so
     * a request can always be sent). HubSpot's 100 per 10 s becomes 5 at once and 95 per 10 s; search's
     * 5 a second, 1 at once and 4.75 a second (19 per 4 s); Slack's Tier 3, 3 at once and 47.5 a minute.
     * A fractional {@code ρ} is kept exact by stretching the period ({@code 19 per 4 s}), since Bucket4j
     * counts whole permits.
     *
     * <p>The guarantee is on the budget's clock. A vendor that counts by arrival, on its own clock, can see
     * two requests closer together than they were sent; the budget's spacing leaves it
     * {@code (⌊ρ⌋ + 1 − ρ) / ρ} of a window of room (5% of a window for HubSpot search, 1% for HubSpot's
     * window) before it could count one request too many, which its 429 and {@code Retry-After} then pace.
     * A larger margin buys more room and a slower sustained rate.
     *
     * @param limit the vendor's requests per window, at least 1
     * @param window the vendor's rolling window
     * @param margin the share of the limit kept off the sustained rate, in (0, 1)
     */
    public static BudgetSettings rollingWindow(long limit, Duration window, double margin) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        if (!(margin > 0 && margin < 1)) {
            throw new IllegalArgumentException("margin must be between 0 and 1 (exclusive): " + margin);
        }
        double sustained = (1 - margin) * limit; // permits per window, maybe fractional
        // The smallest stretch of the window over which the sustained rate is a whole number of permits
        // (4.75 a second is 19 per 4 s); past MAX_PERIOD_SCALE, rounded down (slower, never faster).
        long scale = MAX_PERIOD_SCALE;
        long permits = (long) Math.floor(sustained * MAX_PERIOD_SCALE);
        for (int k = 1; k <= MAX_PERIOD_SCALE; k++) {
            double exact = sustained * k;
            long whole = Math.round(exact);
            if (Math.abs(exact - whole) < 1e-9 * Math.max(1, exact)) {
                scale = k;
                permits = whole;
                break;
            }
        }
        if (permits >= limit * scale) {
            permits = limit * scale - 1; // a margin too small to express: keep one permit of it
        }
        if (permits <= 0) {
            throw new IllegalArgumentException(
                    "margin " + margin + " leaves no sustained rate for " + limit + " per " + window);
        }
        long wholePerWindow = permits / scale; // ⌊ρ⌋
        long capacity = limit - wholePerWindow;
        return new BudgetSettings(capacity, permits, window.multipliedBy(scale));
    }
}
