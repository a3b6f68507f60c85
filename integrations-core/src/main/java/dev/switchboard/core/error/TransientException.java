package dev.switchboard.core.error;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A failure that may pass (5xx, connection reset, timeout) and that the retry loop could not
 * outlast. Safe to call again later: Switchboard raises it only for requests that are safe to repeat
 * (otherwise the caller gets {@link OutcomeUnknownException}).
 */
public final class TransientException extends SwitchboardException {
    /** The wait suggested when the server gave none. */
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);

    public TransientException(String connector, String operation, String message, @Nullable Throwable cause) {
        this(connector, operation, message, null, cause);
    }

    public TransientException(
            String connector,
            String operation,
            String message,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(connector, operation, message, retryAfter == null ? DEFAULT_WAIT : retryAfter, cause);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.RETRY_AFTER;
    }
}
