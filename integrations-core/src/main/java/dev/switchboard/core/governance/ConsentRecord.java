package dev.switchboard.core.governance;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One consent request in the {@link ConsentLedger}, and where it stands.
 *
 * @param requestId the id the application decides it by
 * @param key who asked, for which action and input
 * @param prompt what the person is asked
 * @param status where it stands
 * @param requestedAt when it was asked
 * @param expiresAt when an undecided or unused approval lapses
 * @param reason the denial's reason, when denied
 */
public record ConsentRecord(
        String requestId,
        ConsentKey key,
        String prompt,
        Status status,
        Instant requestedAt,
        Instant expiresAt,
        @Nullable String reason) {
    public ConsentRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Where a consent request stands. */
    public enum Status {
        /** Waiting for the person. */
        PENDING,
        /** Approved for one call with exactly this input; consumed by it. */
        APPROVED_ONCE,
        /** Approved for the action with any input, for the rest of the session (until it expires). */
        APPROVED_FOR_SESSION,
        /** Denied; the next call with this input learns it, once. */
        DENIED,
        /** The approval or denial was used. */
        CONSUMED
    }
}
