package dev.switchboard.core.governance;

import dev.switchboard.core.AgentContext;

/**
 * Decides whether a write or destructive action may run. Asked after the access policy and before
 * any request is sent. Without a gate, every write is refused.
 */
@FunctionalInterface
public interface ConsentGate {
    /** Whether the principal consented to this action (ask them, or look up a standing approval). */
    boolean consents(AgentContext context, ConsentRequest request);

    /** Refuses every write. The default. */
    static ConsentGate denyAll() {
        return (context, request) -> false;
    }

    /** Approves every write. For demos and tests only. */
    static ConsentGate approveAll() {
        return (context, request) -> true;
    }
}
