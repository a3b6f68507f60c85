package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.error.ConsentDeniedException;
import dev.switchboard.core.error.ConsentRequiredException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.ConsentDecision;
import dev.switchboard.core.governance.ConsentKey;
import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.ConsentRecord;
import dev.switchboard.core.governance.ConsentRequest;
import dev.switchboard.core.governance.Consents;
import dev.switchboard.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Consent for writes: a decision the ledger holds for exactly this call first (a person's approval,
 * consumed once; a session-wide approval of the action; a denial), else the gate's. A pending decision
 * is recorded in the ledger and refuses the call with its request id; the application decides it through
 * {@link Consents}. Every decision and every refusal is audited.
 */
final class ConsentFlow implements Consents {
    private final SwitchboardRuntime switchboard;

    ConsentFlow(SwitchboardRuntime switchboard) {
        this.switchboard = switchboard;
    }

    private ConsentLedger ledger() {
        return switchboard.spec().consentLedger();
    }

    private Instant now() {
        return switchboard.spec().clock().instant();
    }

    /** Lets the write run, or throws: denied, or pending a person's decision. */
    void check(
            ConnectionRuntime connection,
            AgentContext context,
            ActionDescriptor action,
            JsonObject input,
            String inputDigest,
            String opName) {
        Principal p = context.principal();
        ConsentKey key = new ConsentKey(
                p.tenantId(), p.userId(), context.sessionId(), connection.id(), action.name(), inputDigest);
        Optional<ConsentRecord> recorded = ledger().consume(key, now());
        if (recorded.isPresent()) {
            ConsentRecord r = recorded.get();
            if (r.status() == ConsentRecord.Status.DENIED) {
                String reason = r.reason() == null ? "denied" : r.reason();
                audit(
                        connection,
                        context,
                        action,
                        inputDigest,
                        AuditEvent.Outcome.DENIED,
                        "denied by a person (request " + r.requestId() + "): " + reason);
                throw new ConsentDeniedException(
                        connection.descriptor().id(),
                        opName,
                        "the user denied this action (consent request " + r.requestId() + "): " + reason
                                + "; do not repeat it without asking the user");
            }
            audit(
                    connection,
                    context,
                    action,
                    inputDigest,
                    AuditEvent.Outcome.ALLOWED,
                    (r.status() == ConsentRecord.Status.APPROVED_FOR_SESSION
                                    ? "approved for the session"
                                    : "approved once")
                            + " by a person (request " + r.requestId() + ")");
            return;
        }
        // The prompt leads with the connector's summary (what, where, for whom); the approval still holds for
        // exactly this input, by its digest.
        ConsentRequest request = new ConsentRequest(
                connection.id(),
                action.name(),
                action.effect(),
                input,
                inputDigest,
                action.description(),
                connection.summary(action, input));
        ConsentDecision decision = switchboard.spec().consentGate().decide(context, request);
        if (decision instanceof ConsentDecision.Approved approved) {
            audit(connection, context, action, inputDigest, AuditEvent.Outcome.ALLOWED, approved.reason());
        } else if (decision instanceof ConsentDecision.Denied denied) {
            audit(connection, context, action, inputDigest, AuditEvent.Outcome.DENIED, denied.reason());
            throw new ConsentDeniedException(
                    connection.descriptor().id(),
                    opName,
                    "this " + action.effect() + " action needs the user's consent, which was not given ("
                            + denied.reason() + "); ask the user, then call again");
        } else if (decision instanceof ConsentDecision.Pending pending) {
            Instant now = now();
            // The same call made again before the person answered: refuse it with the request already asked.
            @Nullable ConsentRecord asked = ledger().pendingFor(key, now).orElse(null);
            boolean again = asked != null;
            if (asked == null) {
                asked = new ConsentRecord(
                        pending.requestId(),
                        key,
                        pending.prompt(),
                        ConsentRecord.Status.PENDING,
                        now,
                        now.plus(switchboard.spec().consentTtl()),
                        null);
                try {
                    ledger().request(asked);
                } catch (IllegalArgumentException e) {
                    // A gate that reuses a request id must not let a second call ride on the first's decision.
                    throw new dev.switchboard.core.error.PermanentException(
                            connection.descriptor().id(),
                            opName,
                            "the consent gate answered with request id " + pending.requestId() + ", which the consent"
                                    + " ledger holds already; a gate must give every pending request a new id"
                                    + " (ConsentDecision.askUser does). Nothing was sent",
                            e);
                }
            }
            audit(
                    connection,
                    context,
                    action,
                    inputDigest,
                    AuditEvent.Outcome.PENDING,
                    (again ? "still waiting for a person (request " : "asked a person (request ") + asked.requestId()
                            + "); no approval holds for this principal, session and input");
            throw new ConsentRequiredException(connection.descriptor().id(), opName, asked.requestId(), asked.prompt());
        }
    }

    private void audit(
            ConnectionRuntime connection,
            AgentContext context,
            ActionDescriptor action,
            String inputDigest,
            AuditEvent.Outcome outcome,
            String detail) {
        switchboard
                .auditor()
                .record(connection
                        .event(context, AuditEvent.Kind.CONSENT, outcome, action.name())
                        .effect(action.effect())
                        .inputDigest(inputDigest)
                        .detail(detail)
                        .build());
    }

    @Override
    public ConsentRecord approve(String requestId) {
        return decide(requestId, ConsentRecord.Status.APPROVED_ONCE, "approved once");
    }

    @Override
    public ConsentRecord approveForSession(String requestId) {
        return decide(requestId, ConsentRecord.Status.APPROVED_FOR_SESSION, "approved for the session");
    }

    @Override
    public ConsentRecord deny(String requestId, String reason) {
        return decide(requestId, ConsentRecord.Status.DENIED, reason);
    }

    private ConsentRecord decide(String requestId, ConsentRecord.Status status, String reason) {
        Optional<ConsentRecord> decided = ledger().decide(requestId, status, reason, now());
        Optional<ConsentRecord> known = decided.isPresent() ? decided : ledger().find(requestId);
        ConsentKey key = known.map(ConsentRecord::key).orElse(null);
        AuditEvent.Builder event = AuditEvent.builder(
                        now(),
                        AuditEvent.Kind.CONSENT,
                        decided.isEmpty()
                                ? AuditEvent.Outcome.FAILED
                                : status == ConsentRecord.Status.DENIED
                                        ? AuditEvent.Outcome.DENIED
                                        : AuditEvent.Outcome.ALLOWED)
                .detail((decided.isEmpty() ? "refused to record decision " : "decision ") + status + " on request "
                        + requestId + (decided.isEmpty() ? ": unknown, decided or expired" : ": " + reason));
        if (key != null) {
            event.connection(key.connection())
                    .operation(key.action())
                    .principal(key.tenantId(), key.userId())
                    .session(key.sessionId(), "-")
                    .inputDigest(key.inputDigest());
        }
        switchboard.auditor().record(event.build());
        return decided.orElseThrow(() -> new InvalidInputException(
                "switchboard",
                "consent",
                "consent request " + requestId + " is unknown, already decided or expired; the agent's call must be"
                        + " made again to ask anew"));
    }

    @Override
    public Optional<ConsentRecord> find(String requestId) {
        return ledger().find(requestId);
    }

    @Override
    public List<ConsentRecord> pending(Principal principal) {
        return ledger().pending(principal.tenantId(), principal.userId(), now());
    }
}
