package dev.switchboard.core.internal.http;

import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignal;
import dev.switchboard.core.time.Sleeper;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The request budget of one vendor bucket (a connection by default; {@code hubspot:{portal}:search}
 * and the like when a connector keys its requests). A Bucket4j token bucket on the injected clock
 * smooths bursts; vendor signals pause it until the vendor's window resets when the vendor says
 * nothing remains, and drain it when the vendor counts fewer requests left than we do.
 */
final class RateBudget {
    /** Thrown when the wait for a permit would exceed what the call may still wait. */
    static final class WaitTooLong extends Exception {
        final Duration wait;
        /** Set when the wait is a spent quota (the vendor's daily limit), not a passing throttle. */
        final @Nullable Instant quotaUntil;

        WaitTooLong(Duration wait, @Nullable Instant quotaUntil) {
            super(null, null, false, false);
            this.wait = wait;
            this.quotaUntil = quotaUntil;
        }
    }

    private final String key;
    private final @Nullable Bucket bucket;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicLong pausedUntilNanos = new AtomicLong(0);
    private final AtomicLong quotaUntilNanos = new AtomicLong(0);

    RateBudget(String key, @Nullable BudgetSettings settings, Clock clock, Sleeper sleeper) {
        this.key = key;
        this.clock = clock;
        this.sleeper = sleeper;
        this.bucket = settings == null
                ? null
                : Bucket.builder()
                        .addLimit(limit ->
                                limit.capacity(settings.capacity()).refillGreedy(settings.permits(), settings.period()))
                        .withCustomTimePrecision(new ClockTimeMeter(clock))
                        .build();
    }

    String key() {
        return key;
    }

    /**
     * Waits (through the injected sleeper) until a request may be sent.
     *
     * @param maxWait the most this call may still wait
     * @return how long it waited
     * @throws WaitTooLong when the wait would exceed {@code maxWait}; nothing was consumed
     */
    Duration acquire(Duration maxWait) throws WaitTooLong, InterruptedException {
        Duration waited = Duration.ZERO;
        Duration paused = pausedFor();
        if (!paused.isZero()) {
            if (paused.compareTo(maxWait) > 0) {
                long quota = quotaUntilNanos.get();
                throw new WaitTooLong(paused, quota > nowNanos() ? Instant.ofEpochSecond(0, quota) : null);
            }
            sleeper.sleep(paused);
            waited = paused;
        }
        if (bucket == null) {
            return waited;
        }
        long[] parked = {0};
        Duration left = maxWait.minus(waited);
        // Bucket4j refuses a zero wait: with nothing left to wait, only a free permit will do.
        boolean granted = left.isNegative() || left.isZero()
                ? bucket.tryConsume(1)
                : bucket.asBlocking().tryConsume(1, left, nanos -> {
                    parked[0] += nanos;
                    sleeper.sleep(Duration.ofNanos(nanos));
                });
        if (!granted) {
            throw new WaitTooLong(
                    Duration.ofNanos(
                            Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill())),
                    null);
        }
        return waited.plusNanos(parked[0]);
    }

    /** Holds every request of this budget for {@code wait} (a vendor's Retry-After, a window reset). */
    void pauseFor(Duration wait) {
        long until = nowNanos() + wait.toNanos();
        pausedUntilNanos.accumulateAndGet(until, Math::max);
    }

    /** Holds every request of this budget until a spent quota resets; callers learn it is a quota. */
    void pauseForQuota(Instant until) {
        long untilNanos = until.getEpochSecond() * 1_000_000_000L + until.getNano();
        quotaUntilNanos.accumulateAndGet(untilNanos, Math::max);
        pauseFor(Duration.between(clock.instant(), until));
    }

    /** Takes the vendor's word for what remains. */
    void observe(BudgetSignal signal) {
        if (signal.remaining() == 0 && signal.resetAfter() != null) {
            pauseFor(signal.resetAfter());
        }
        if (bucket != null) {
            long ours = bucket.getAvailableTokens();
            if (ours > signal.remaining()) {
                bucket.tryConsume(ours - signal.remaining());
            }
        }
    }

    private Duration pausedFor() {
        long left = pausedUntilNanos.get() - nowNanos();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    private long nowNanos() {
        return ClockTimeMeter.nanos(clock);
    }

    /** Bucket4j time from the injected clock, so tests move budgets in virtual time. */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {
        static long nanos(Clock clock) {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

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
