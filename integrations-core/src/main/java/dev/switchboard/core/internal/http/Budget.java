package dev.switchboard.core.internal.http;

import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.time.Sleeper;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The tokens of one rate budget: a Bucket4j token bucket, in this process ({@link LocalBudget}) or shared
 * with other instances through PostgreSQL ({@link SharedRateBudget}). {@link RateBudget} adds what stays
 * in each process on top: the vendor's pauses and quota probes.
 */
interface Budget {
    /**
     * Takes one token, waiting for it through the sleeper at most {@code maxWait} (zero or less: only a
     * token available now will do).
     *
     * @return the nanoseconds waited; -1 when no token comes within {@code maxWait}, and then none was taken
     */
    long take(Duration maxWait) throws InterruptedException;

    /** How long until a token is available (at least 1 ns when none is). */
    Duration untilNextToken();

    /** The vendor counts fewer requests left than we do: take what we hold beyond {@code remaining}. */
    void drainTo(long remaining);

    /** Fills the bucket to its capacity (the application knows the vendor's limit was lifted). */
    void refill();

    /**
     * The one place a {@link BudgetSettings} becomes a Bucket4j limit, for in-process and shared buckets
     * alike: {@code capacity} at once, refilled greedily (token by token) at {@code permits} per
     * {@code period}.
     */
    static Bandwidth bandwidth(BudgetSettings settings) {
        return Bandwidth.builder()
                .capacity(settings.capacity())
                .refillGreedy(settings.permits(), settings.period())
                .build();
    }

    /** {@link #bandwidth} as the configuration a shared bucket stores. */
    static BucketConfiguration configuration(BudgetSettings settings) {
        return BucketConfiguration.builder().addLimit(bandwidth(settings)).build();
    }

    /** Bucket4j's blocking take, parked through our sleeper so tests wait in virtual time. */
    static long take(Bucket bucket, Duration maxWait, Sleeper sleeper) throws InterruptedException {
        if (maxWait.isNegative() || maxWait.isZero()) {
            return bucket.tryConsume(1) ? 0 : -1; // Bucket4j refuses a zero wait
        }
        long[] parked = {0};
        boolean granted = bucket.asBlocking().tryConsume(1, maxWait, nanos -> {
            parked[0] += nanos;
            sleeper.sleep(Duration.ofNanos(nanos));
        });
        return granted ? parked[0] : -1;
    }

    /** Nanoseconds since the epoch on {@code clock}. */
    static long nanos(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Bucket4j time from the injected clock, so tests move budgets in virtual time. For a shared bucket it
     * is the clock of the instance that takes the token (the system clock in production): Bucket4j's JDBC
     * backends compute refills on the client, not in the database.
     */
    record ClockTimeMeter(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return nanos(clock);
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
