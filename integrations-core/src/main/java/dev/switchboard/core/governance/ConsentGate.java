package dev.switchboard.core.governance;

import dev.switchboard.core.AgentContext;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Decides whether a write or destructive action may run. Asked after the access policy and before any
 * request is sent, unless the {@link ConsentLedger} already holds the person's decision for exactly this
 * call. Without a gate, every write is refused.
 */
@FunctionalInterface
public interface ConsentGate {
    /** Approve, deny, or ask the person ({@link ConsentDecision#askUser(String)}). */
    ConsentDecision decide(AgentContext context, ConsentRequest request);

    /** Refuses every write. The default. */
    static ConsentGate denyAll() {
        return (context, request) -> ConsentDecision.denied("no consent gate is configured (writes are refused by"
                + " default): set Switchboard.builder().consentGate(...)");
    }

    /** Approves every write. For demos and tests only. */
    static ConsentGate approveAll() {
        return (context, request) -> ConsentDecision.approved("approve-all gate");
    }

    /**
     * Asks a person about every write: each call is refused with {@code ConsentRequiredException} until the
     * application approves its request id through {@code Switchboard.consent()}.
     */
    static ConsentGate askUser() {
        return (context, request) -> ConsentDecision.askUser(request.prompt());
    }

    /** A yes/no gate, as gates were before they could ask: true approves, false denies. */
    static ConsentGate of(BiPredicate<AgentContext, ConsentRequest> consents) {
        Objects.requireNonNull(consents, "consents");
        return (context, request) -> consents.test(context, request)
                ? ConsentDecision.approved("consent given")
                : ConsentDecision.denied("consent refused");
    }
}
