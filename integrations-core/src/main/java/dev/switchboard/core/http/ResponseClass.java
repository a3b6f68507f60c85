package dev.switchboard.core.http;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a vendor's answer means, whatever its status code says. Retry, circuit breaker, budget and
 * the credential replay act on this class, never on the status.
 */
public final class ResponseClass {
    /** The classes of answer. */
    public enum Kind {
        /** Success: hand the response to the connector. */
        OK,
        /** The credential was rejected: refresh once and replay. */
        AUTH_REJECTED,
        /** Slow down: wait (the server's wait when given) and retry. Not a failure for the breaker. */
        THROTTLED,
        /** A quota that will not refill within a retry loop: stop until {@link #until()}. */
        QUOTA_EXHAUSTED,
        /** May pass: retry with backoff when the request is safe to repeat. */
        TRANSIENT,
        /** The caller's input was wrong (a validation error): fix it and call again. */
        INVALID_INPUT,
        /** A retry will not help. */
        PERMANENT
    }

    private static final ResponseClass OK = new ResponseClass(Kind.OK, null, null, null, null, null);

    private final Kind kind;
    private final @Nullable Duration wait;
    private final @Nullable Instant until;
    private final @Nullable String scope;
    private final @Nullable String errorCode;
    private final @Nullable String message;
    private final List<String> violations;

    private ResponseClass(
            Kind kind,
            @Nullable Duration wait,
            @Nullable Instant until,
            @Nullable String scope,
            @Nullable String errorCode,
            @Nullable String message) {
        this(kind, wait, until, scope, errorCode, message, List.of());
    }

    private ResponseClass(
            Kind kind,
            @Nullable Duration wait,
            @Nullable Instant until,
            @Nullable String scope,
            @Nullable String errorCode,
            @Nullable String message,
            List<String> violations) {
        this.kind = kind;
        this.wait = wait;
        this.until = until;
        this.scope = scope;
        this.errorCode = errorCode;
        this.message = message;
        this.violations = List.copyOf(violations);
    }

    public static ResponseClass ok() {
        return OK;
    }

    public static ResponseClass authRejected(@Nullable String errorCode) {
        return new ResponseClass(Kind.AUTH_REJECTED, null, null, null, errorCode, null);
    }

    /**
     * @param wait the server's wait, or null to fall back to backoff
     * @param scope which vendor limit was hit (e.g. {@code TEN_SECONDLY_ROLLING}), for metrics
     */
    public static ResponseClass throttled(@Nullable Duration wait, @Nullable String scope) {
        return new ResponseClass(Kind.THROTTLED, wait, null, scope, null, null);
    }

    public static ResponseClass quotaExhausted(Instant until, @Nullable String scope) {
        return new ResponseClass(Kind.QUOTA_EXHAUSTED, null, Objects.requireNonNull(until), scope, null, null);
    }

    /** @param wait the server's suggested wait (503 with Retry-After), or null */
    public static ResponseClass transientFailure(@Nullable Duration wait, @Nullable String errorCode) {
        return new ResponseClass(Kind.TRANSIENT, wait, null, null, errorCode, null);
    }

    /**
     * The vendor rejected the caller's input (HubSpot's {@code VALIDATION_ERROR}, Slack's
     * {@code msg_too_long}); the caller gets an {@code InvalidInputException} with next step FIX_INPUT.
     *
     * @param errorCode the vendor's error code
     * @param message the vendor's explanation, which must not quote secrets
     */
    public static ResponseClass invalidInput(@Nullable String errorCode, @Nullable String message) {
        return invalidInput(errorCode, message, message == null ? List.of() : List.of(message));
    }

    /**
     * The vendor rejected the caller's input and said what was wrong with each part.
     *
     * @param violations one entry per problem, e.g. the fields Salesforce names, for
     *     {@code InvalidInputException.violations()}
     */
    public static ResponseClass invalidInput(
            @Nullable String errorCode, @Nullable String message, List<String> violations) {
        return new ResponseClass(Kind.INVALID_INPUT, null, null, null, errorCode, message, violations);
    }

    /**
     * @param errorCode the vendor's error code, e.g. {@code channel_not_found}
     * @param message the vendor's error message, which must not quote secrets
     */
    public static ResponseClass permanent(@Nullable String errorCode, @Nullable String message) {
        return new ResponseClass(Kind.PERMANENT, null, null, null, errorCode, message);
    }

    public Kind kind() {
        return kind;
    }

    public @Nullable Duration retryAfter() {
        return wait;
    }

    public @Nullable Instant until() {
        return until;
    }

    public @Nullable String scope() {
        return scope;
    }

    public @Nullable String errorCode() {
        return errorCode;
    }

    public @Nullable String message() {
        return message;
    }

    /** What the vendor found wrong with the input, for {@link Kind#INVALID_INPUT}; empty otherwise. */
    public List<String> violations() {
        return violations;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.name());
        if (errorCode != null) {
            sb.append(' ').append(errorCode);
        }
        if (scope != null) {
            sb.append(" scope=").append(scope);
        }
        if (wait != null) {
            sb.append(" wait=").append(wait);
        }
        if (until != null) {
            sb.append(" until=").append(until);
        }
        return sb.toString();
    }
}
