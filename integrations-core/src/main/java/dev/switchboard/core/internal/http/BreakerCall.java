package dev.switchboard.core.internal.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One call's hold on its vendor bucket's circuit breaker: one permission for the whole call, however
 * many attempts it makes, and one recorded outcome when it ends. Recording each attempt would let two
 * calls that each exhaust their retries fill a window of ten and open the breaker for every connection
 * on the bucket. The call's last answer decides: a failure ({@code TRANSIENT}, an I/O error) is
 * recorded as one, a healthy vendor ({@code OK}, {@code INVALID_INPUT}, {@code PERMANENT}, a malformed
 * body) as a success; a throttle, a spent quota or a rejected credential, and a call that ends before
 * any answer, release the permission instead. Confined to the calling thread.
 */
final class BreakerCall {
    private enum Outcome {
        NONE,
        SUCCESS,
        FAILURE
    }

    private final CircuitBreaker breaker;
    private Outcome outcome = Outcome.NONE;
    private long nanos;
    private @Nullable Throwable failure;
    private boolean settled;

    private BreakerCall(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    /** Takes the call's permission, or returns null when the breaker refuses it (open). */
    static @Nullable BreakerCall acquire(CircuitBreaker breaker) {
        return breaker.tryAcquirePermission() ? new BreakerCall(breaker) : null;
    }

    /** Whether the breaker opened since the call took its permission (other calls failed meanwhile). */
    boolean opened() {
        CircuitBreaker.State state = breaker.getState();
        return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
    }

    /** The latest answer came from a healthy vendor. */
    void healthy(long elapsedNanos) {
        outcome = Outcome.SUCCESS;
        nanos = elapsedNanos;
        failure = null;
    }

    /** The latest answer was the vendor failing. */
    void failed(long elapsedNanos, Throwable cause) {
        outcome = Outcome.FAILURE;
        nanos = elapsedNanos;
        failure = cause;
    }

    /** The latest answer says nothing about the vendor's health (a throttle, a quota, a credential). */
    void neutral() {
        outcome = Outcome.NONE;
        failure = null;
    }

    /** Records the call's outcome, or releases its permission; once. */
    void settle() {
        if (settled) {
            return;
        }
        settled = true;
        Throwable cause = failure;
        if (outcome == Outcome.SUCCESS) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        } else if (outcome == Outcome.FAILURE && cause != null) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
        } else {
            breaker.releasePermission();
        }
    }
}
