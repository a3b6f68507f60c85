package dev.switchboard.core.error;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The vendor (or our own budget for it) asked us to slow down, and waiting any longer would exceed
 * the call's total-wait cap. Call again after {@link #retryAfter()}.
 */
public final class RateLimitedException extends SwitchboardException {

    public RateLimitedException(String connector, String operation, String message, Duration retryAfter) {
        this(connector, operation, message, retryAfter, null);
    }

    public RateLimitedException(
            String connector, String operation, String message, Duration retryAfter, @Nullable Throwable cause) {
        super(
                connector,
                operation,
                message + "; retry after " + retryAfter,
                Objects.requireNonNull(retryAfter, "retryAfter"),
                cause);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.RETRY_AFTER;
    }
}
