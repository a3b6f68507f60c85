package dev.switchboard.core.support;

import dev.switchboard.core.time.Sleeper;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A sleeper that holds each sleeping thread until the test wakes it, and tells the test when a thread
 * went to sleep: a scheduled loop then runs one turn per {@link #wake()}, in lock step with the test,
 * without real waiting. Zero and negative waits return at once, as {@link Sleeper} promises. A sleeping
 * thread that is interrupted leaves with {@link InterruptedException}.
 */
public final class GatedSleeper implements Sleeper {
    private final Semaphore asleep = new Semaphore(0);
    private final Semaphore wakeUps = new Semaphore(0);

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        asleep.release();
        wakeUps.acquire();
    }

    /**
     * Waits until a thread has gone to sleep (once per sleep); fails after ten seconds, which only a
     * broken loop takes.
     */
    public void awaitAsleep() {
        try {
            if (!asleep.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new AssertionError("no thread went to sleep");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Lets one sleeping thread go on. */
    public void wake() {
        wakeUps.release();
    }
}
