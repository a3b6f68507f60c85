package dev.switchboard.core.http;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the wait before retry {@code n} (1-based) is drawn
 * uniformly from {@code [0, min(cap, base * 2^(n-1))]}. Full jitter spreads a herd of clients
 * that failed together.
 *
 * <p>Each {@link #delay} asks the supplier for its generator on the calling thread and draws from
 * it once, so {@code ThreadLocalRandom::current} gives every thread its own generator (a
 * {@code ThreadLocalRandom} captured once and used from other threads draws the same sequence on
 * each of them). Thread-safe when the supplier is.
 */
public final class Backoff {
    private final Duration base;
    private final Duration cap;
    private final Supplier<RandomGenerator> random;

    /**
     * @param base the ceiling of the first retry's wait
     * @param cap the largest ceiling
     * @param random where each delay draws from: {@code ThreadLocalRandom::current} in production, a
     *     seeded generator in tests
     */
    public Backoff(Duration base, Duration cap, Supplier<RandomGenerator> random) {
        this.base = Objects.requireNonNull(base, "base");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.random = Objects.requireNonNull(random, "random");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap, got base=" + base + " cap=" + cap);
        }
    }

    /** The largest wait retry {@code attempt} can draw. */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based: " + attempt);
        }
        long baseMs = base.toMillis();
        long capMs = cap.toMillis();
        int shift = Math.min(attempt - 1, 62);
        // Saturate instead of overflowing: base << shift past the cap is the cap.
        long exp = baseMs > (capMs >> shift) ? capMs : baseMs << shift;
        return Duration.ofMillis(Math.min(capMs, exp));
    }

    /** A wait for retry {@code attempt}, drawn from {@code [0, ceiling(attempt)]}. */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        return Duration.ofMillis(ceiling == 0 ? 0 : random.get().nextLong(ceiling + 1));
    }
}
