package dev.switchboard.core.error;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every failure Switchboard reports. The family is sealed and unchecked (a record stream's
 * {@code next()} can throw it); each subtype names the connector and the operation and carries a
 * machine-readable {@link NextStep}, so an agent can act on the type instead of parsing messages.
 * Messages never contain secrets.
 */
public abstract sealed class SwitchboardException extends RuntimeException
        permits ReauthorizationRequiredException,
                RateLimitedException,
                QuotaExhaustedException,
                TransientException,
                OutcomeUnknownException,
                PermanentException,
                InvalidInputException,
                PermissionDeniedException,
                ConsentDeniedException,
                ConsentRequiredException,
                WebhookRejectedException,
                SchemaDriftException,
                CircuitOpenException,
                KeyDestroyedException,
                AuditUnavailableException {

    private final String connector;
    private final String operation;
    private final @Nullable Duration retryAfter;

    SwitchboardException(String connector, String operation, String message, @Nullable Throwable cause) {
        this(connector, operation, message, null, cause);
    }

    SwitchboardException(
            String connector,
            String operation,
            String message,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super("[" + connector + " " + operation + "] " + message, cause);
        this.connector = Objects.requireNonNull(connector, "connector");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.retryAfter = retryAfter;
    }

    /** The connector (or {@code "switchboard"} for failures before any connector was chosen). */
    public String connector() {
        return connector;
    }

    /** The operation: a stream read, an action, or an internal step such as {@code token-refresh}. */
    public String operation() {
        return operation;
    }

    /** What to do next. */
    public abstract NextStep nextStep();

    /** How long to wait before calling again, when {@link #nextStep()} is {@link NextStep#RETRY_AFTER}. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
