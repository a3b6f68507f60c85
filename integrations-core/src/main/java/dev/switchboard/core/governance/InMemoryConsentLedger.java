package dev.switchboard.core.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@link ConsentLedger#inMemory()}: one lock makes each operation atomic. */
final class InMemoryConsentLedger implements ConsentLedger {
    private final Map<String, ConsentRecord> byId = new LinkedHashMap<>();

    @Override
    public synchronized void request(ConsentRecord pending) {
        if (pending.status() != ConsentRecord.Status.PENDING) {
            throw new IllegalArgumentException("a new request is PENDING, not " + pending.status());
        }
        forgetLapsed(pending.requestedAt());
        if (byId.putIfAbsent(pending.requestId(), pending) != null) {
            throw new IllegalArgumentException("consent request " + pending.requestId() + " exists already");
        }
    }

    @Override
    public synchronized Optional<ConsentRecord> find(String requestId) {
        return Optional.ofNullable(byId.get(requestId));
    }

    @Override
    public synchronized Optional<ConsentRecord> decide(
            String requestId, ConsentRecord.Status decision, String reason, Instant now) {
        if (decision != ConsentRecord.Status.APPROVED_ONCE
                && decision != ConsentRecord.Status.APPROVED_FOR_SESSION
                && decision != ConsentRecord.Status.DENIED) {
            throw new IllegalArgumentException("a decision approves or denies, not " + decision);
        }
        ConsentRecord r = byId.get(requestId);
        if (r == null || r.status() != ConsentRecord.Status.PENDING || !now.isBefore(r.expiresAt())) {
            return Optional.empty();
        }
        ConsentKey key =
                decision == ConsentRecord.Status.APPROVED_FOR_SESSION ? r.key().forSession() : r.key();
        ConsentRecord decided =
                new ConsentRecord(r.requestId(), key, r.prompt(), decision, r.requestedAt(), r.expiresAt(), reason);
        byId.put(requestId, decided);
        return Optional.of(decided);
    }

    /**
     * Drops what lapsed more than one lifetime ago: nothing can decide or use it any more, and keeping it
     * that long still lets a late decision on it be audited with its key. Keeps the ledger bounded by the
     * requests of the last two lifetimes.
     */
    private void forgetLapsed(Instant now) {
        byId.values()
                .removeIf(r -> !now.isBefore(r.expiresAt().plus(Duration.between(r.requestedAt(), r.expiresAt()))));
    }

    @Override
    public synchronized Optional<ConsentRecord> consume(ConsentKey key, Instant now) {
        List<ConsentRecord> decided = new ArrayList<>();
        for (ConsentRecord r : byId.values()) {
            if (r.key().equals(key)
                    && (r.status() == ConsentRecord.Status.APPROVED_ONCE || r.status() == ConsentRecord.Status.DENIED)
                    && now.isBefore(r.expiresAt())) {
                decided.add(r);
            }
        }
        @Nullable
        ConsentRecord denial = decided.stream()
                .filter(r -> r.status() == ConsentRecord.Status.DENIED)
                .findFirst()
                .orElse(null);
        if (denial != null) {
            // A denial wins, and takes the approvals of exactly this call with it.
            decided.forEach(this::markConsumed);
            return Optional.of(denial);
        }
        if (!decided.isEmpty()) {
            markConsumed(decided.get(0));
            return Optional.of(decided.get(0));
        }
        ConsentKey session = key.forSession();
        return byId.values().stream()
                .filter(r -> r.key().equals(session)
                        && r.status() == ConsentRecord.Status.APPROVED_FOR_SESSION
                        && now.isBefore(r.expiresAt()))
                .findFirst();
    }

    private void markConsumed(ConsentRecord r) {
        byId.put(
                r.requestId(),
                new ConsentRecord(
                        r.requestId(),
                        r.key(),
                        r.prompt(),
                        ConsentRecord.Status.CONSUMED,
                        r.requestedAt(),
                        r.expiresAt(),
                        r.reason()));
    }

    @Override
    public synchronized List<ConsentRecord> pending(String tenantId, String userId, Instant now) {
        return byId.values().stream()
                .filter(r -> r.status() == ConsentRecord.Status.PENDING
                        && r.key().tenantId().equals(tenantId)
                        && r.key().userId().equals(userId)
                        && now.isBefore(r.expiresAt()))
                .sorted(Comparator.comparing(ConsentRecord::requestedAt))
                .toList();
    }

    @Override
    public synchronized String toString() {
        return "ConsentLedger.inMemory[" + byId.size() + " requests]";
    }
}
