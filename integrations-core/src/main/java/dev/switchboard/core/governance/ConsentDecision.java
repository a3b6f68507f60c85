package dev.switchboard.core.governance;

import java.util.Objects;
import java.util.UUID;

/**
 * A {@link ConsentGate}'s answer: approved, denied with a reason, or pending a person's decision.
 */
public sealed interface ConsentDecision {
    /** The action may run now. */
    record Approved(String reason) implements ConsentDecision {
        public Approved {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The action must not run. */
    record Denied(String reason) implements ConsentDecision {
        public Denied {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A person must decide: core records the request in the {@link ConsentLedger} and refuses the call
     * with {@code ConsentRequiredException} carrying {@code requestId} and {@code prompt}.
     *
     * @param requestId the request's id, unguessable (the application approves or denies it by this id)
     * @param prompt what to ask the person, in words
     */
    record Pending(String requestId, String prompt) implements ConsentDecision {
        public Pending {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(prompt, "prompt");
        }
    }

    static ConsentDecision approved(String reason) {
        return new Approved(reason);
    }

    static ConsentDecision denied(String reason) {
        return new Denied(reason);
    }

    /** Pending a person's answer to {@code prompt}, under a fresh random request id. */
    static ConsentDecision askUser(String prompt) {
        return new Pending(UUID.randomUUID().toString(), prompt);
    }
}
