package dev.switchboard.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TokenStore} in a map; leases expire by the injected clock. */
final class InMemoryTokenStore implements TokenStore {
    private record Lease(String owner, Instant expiresAt) {}

    private final ConcurrentHashMap<String, Credential> credentials = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryTokenStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Credential> load(String key) {
        return Optional.ofNullable(credentials.get(key));
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, Credential next) {
        TokenStore.checkNextVersion(expectedVersion, next);
        if (expectedVersion == 0) {
            return credentials.putIfAbsent(key, next) == null;
        }
        boolean[] stored = {false};
        credentials.computeIfPresent(key, (k, current) -> {
            if (current.version() == expectedVersion) {
                stored[0] = true;
                return next;
            }
            return current;
        });
        return stored[0];
    }

    @Override
    public boolean delete(String key) {
        return credentials.remove(key) != null;
    }

    @Override
    public boolean tryLease(String key, String owner, Duration ttl) {
        Instant now = clock.instant();
        Lease mine = new Lease(owner, now.plus(ttl));
        Lease result = leases.compute(
                key,
                (k, held) -> held == null || held.owner.equals(owner) || !held.expiresAt.isAfter(now) ? mine : held);
        return result == mine;
    }

    @Override
    public boolean renewLease(String key, String owner, Duration ttl) {
        Instant now = clock.instant();
        Lease renewed = new Lease(owner, now.plus(ttl));
        Lease result = leases.computeIfPresent(
                key, (k, held) -> held.owner.equals(owner) && held.expiresAt.isAfter(now) ? renewed : held);
        return result == renewed;
    }

    @Override
    public void releaseLease(String key, String owner) {
        leases.computeIfPresent(key, (k, held) -> held.owner.equals(owner) ? null : held);
    }
}
