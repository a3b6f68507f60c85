package dev.switchboard.core.error;

import java.time.Duration;
import java.util.Objects;

/**
 * Recent calls to this vendor failed often enough that the circuit breaker stopped sending more.
 * No request was sent. Call again after {@link #retryAfter()}.
 */
public final class CircuitOpenException extends SwitchboardException {

    public CircuitOpenException(String connector, String operation, String message, Duration retryAfter) {
        super(connector, operation, message, Objects.requireNonNull(retryAfter, "retryAfter"), null);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.RETRY_AFTER;
    }
}
