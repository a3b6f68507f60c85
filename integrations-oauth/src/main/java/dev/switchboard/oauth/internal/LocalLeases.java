package dev.switchboard.oauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** Refresh leases in this JVM's memory, expiring by the injected clock; for single-instance stores. */
public final class LocalLeases {
    private record Lease(String owner, Instant expiresAt) {}

    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
    private final Clock clock;

    public LocalLeases(Clock clock) {
        this.clock = clock;
    }

    public boolean tryLease(String key, String owner, Duration ttl) {
        Instant now = clock.instant();
        Lease mine = new Lease(owner, now.plus(ttl));
        return leases.compute(
                        key,
                        (k, held) ->
                                held == null || held.owner.equals(owner) || !held.expiresAt.isAfter(now) ? mine : held)
                == mine;
    }

    public boolean renewLease(String key, String owner, Duration ttl) {
        Instant now = clock.instant();
        Lease renewed = new Lease(owner, now.plus(ttl));
        return leases.computeIfPresent(
                        key, (k, held) -> held.owner.equals(owner) && held.expiresAt.isAfter(now) ? renewed : held)
                == renewed;
    }

    public void releaseLease(String key, String owner) {
        leases.computeIfPresent(key, (k, held) -> held.owner.equals(owner) ? null : held);
    }
}
