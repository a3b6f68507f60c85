package dev.switchboard.core.governance;

import java.util.Objects;

/**
 * An {@link AccessPolicy}'s answer.
 *
 * @param allowed whether the operation may run
 * @param reason why, for the audit log and the caller's error
 */
public record AccessDecision(boolean allowed, String reason) {
    public AccessDecision {
        Objects.requireNonNull(reason, "reason");
    }

    public static AccessDecision allow(String reason) {
        return new AccessDecision(true, reason);
    }

    public static AccessDecision deny(String reason) {
        return new AccessDecision(false, reason);
    }
}
