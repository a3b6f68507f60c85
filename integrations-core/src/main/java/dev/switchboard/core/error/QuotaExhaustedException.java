package dev.switchboard.core.error;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A quota that does not refill within a retry loop is spent (HubSpot's daily limit, Salesforce's
 * daily API requests). Not retried automatically; the call can succeed again at {@link #until()}.
 */
public final class QuotaExhaustedException extends SwitchboardException {
    private final Instant until;

    public QuotaExhaustedException(
            String connector, String operation, String message, Instant until, Duration retryAfter) {
        super(
                connector,
                operation,
                message + "; quota resets at " + until,
                Objects.requireNonNull(retryAfter, "retryAfter"),
                null);
        this.until = Objects.requireNonNull(until, "until");
    }

    /** When the quota resets. */
    public Instant until() {
        return until;
    }

    @Override
    public NextStep nextStep() {
        return NextStep.RETRY_AFTER;
    }
}
