package dev.switchboard.core.governance;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a consent decision holds for: one principal (tenant and user) in one session, one action on one
 * connection, and one input (its canonical digest), or any input for a session-wide grant.
 *
 * @param tenantId the principal's tenant
 * @param userId the principal's user
 * @param sessionId the agent session
 * @param connection the connection id
 * @param action the action name
 * @param inputDigest the canonical digest of the input, or null for a session-wide grant
 */
public record ConsentKey(
        String tenantId,
        String userId,
        String sessionId,
        String connection,
        String action,
        @Nullable String inputDigest) {
    public ConsentKey {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(action, "action");
    }

    /** The same key for any input of the session: what a session-wide grant is stored under. */
    public ConsentKey forSession() {
        return new ConsentKey(tenantId, userId, sessionId, connection, action, null);
    }
}
