package dev.switchboard.core.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The consent requests of the Switchboard and the decisions on them, so a decision made by a person
 * (through the application, never the model) is one a later call can prove. A pending request is
 * decided once; an approval for one input is consumed atomically by exactly one call of that
 * principal, session, connection, action and input digest; a session-wide approval names its action
 * and holds for any input of that session until it expires. Implementations are thread-safe and each
 * method is atomic, across instances for a shared store ({@code JdbcConsentLedger}).
 * {@code dev.switchboard.testkit.ConsentLedgerContract} is the suite every implementation passes.
 */
public interface ConsentLedger {
    /** Records a new pending request. */
    void request(ConsentRecord pending);

    /** The request with this id, if known. */
    Optional<ConsentRecord> find(String requestId);

    /**
     * Decides a pending, unexpired request: {@code APPROVED_ONCE}, {@code APPROVED_FOR_SESSION} or
     * {@code DENIED} (with {@code reason}). Returns the request as decided, or empty when it is unknown,
     * already decided or expired at {@code now}.
     */
    Optional<ConsentRecord> decide(String requestId, ConsentRecord.Status decision, String reason, Instant now);

    /**
     * Consumes the decision a call with {@code key} may use, atomically: an approval or a denial made
     * for exactly this key (marked {@code CONSUMED}: no second call gets it), else a session-wide
     * approval for {@link ConsentKey#forSession()} (not consumed). Empty when there is none unexpired at
     * {@code now}. When requests of exactly this call were decided differently (the agent asked twice
     * at once), the denial wins and the approvals of this call are consumed with it: a call the person
     * said no to never runs on an approval left over from the same question.
     */
    Optional<ConsentRecord> consume(ConsentKey key, Instant now);

    /** Requests still pending at {@code now} for this tenant and user, oldest first. */
    List<ConsentRecord> pending(String tenantId, String userId, Instant now);

    /**
     * The oldest request still pending at {@code now} for exactly this key, if any: a call made again before
     * the person answered is refused with that request rather than a new one, so requests do not pile up
     * while the agent retries.
     */
    default Optional<ConsentRecord> pendingFor(ConsentKey key, Instant now) {
        return pending(key.tenantId(), key.userId(), now).stream()
                .filter(r -> r.key().equals(key))
                .findFirst();
    }

    /** Ledger in this JVM's memory. */
    static ConsentLedger inMemory() {
        return new InMemoryConsentLedger();
    }

    /** How long a pending request or an unused approval lasts unless configured otherwise. */
    Duration DEFAULT_TTL = Duration.ofMinutes(30);
}
