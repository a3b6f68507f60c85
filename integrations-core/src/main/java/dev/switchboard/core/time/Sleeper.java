package dev.switchboard.core.time;

import java.time.Duration;

/**
 * Waits. Injected wherever Switchboard would sleep (backoff, server waits, rate budgets) so tests
 * can run retry and expiry logic in virtual time; never Resilience4j's JVM-wide sleep function.
 */
@FunctionalInterface
public interface Sleeper {
    /** Waits for {@code duration}; zero or negative returns at once. */
    void sleep(Duration duration) throws InterruptedException;

    /** Sleeps the current thread. */
    static Sleeper system() {
        return duration -> {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
            }
        };
    }
}
