package dev.switchboard.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told, with a {@link Sleeper} that moves it instead of waiting. For
 * tests and simulations: hours of backoff run in microseconds, and every wait is counted. Thread-safe.
 */
public final class ManualClock extends Clock {
    private final AtomicLong nanos;
    private final AtomicLong slept = new AtomicLong();
    private final ZoneId zone;

    private ManualClock(AtomicLong nanos, ZoneId zone) {
        this.nanos = nanos;
        this.zone = zone;
    }

    /** A clock at {@code start}, in UTC. */
    public static ManualClock at(Instant start) {
        return new ManualClock(
                new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano()), ZoneOffset.UTC);
    }

    /** Moves the clock forward. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + duration);
        }
        nanos.addAndGet(duration.toNanos());
    }

    /** A sleeper that advances this clock by each requested wait and returns at once. */
    public Sleeper sleeper() {
        return duration -> {
            if (!duration.isNegative() && !duration.isZero()) {
                slept.addAndGet(duration.toNanos());
                advance(duration);
            }
        };
    }

    /** The sum of every wait passed to {@link #sleeper()}. */
    public Duration totalSlept() {
        return Duration.ofNanos(slept.get());
    }

    /** Nanoseconds since the epoch. */
    public long nanos() {
        return nanos.get();
    }

    @Override
    public Instant instant() {
        long n = nanos.get();
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same time line seen in another zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new ManualClock(nanos, zone);
    }
}
