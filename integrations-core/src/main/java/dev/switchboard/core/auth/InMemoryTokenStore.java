package dev.switchboard.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * {@link TokenStore} in a map: everything about a key (credential, last version, reauthorization mark, lease) in one
 * entry, changed atomically per key; leases expire by the injected clock.
 */
final class InMemoryTokenStore implements TokenStore {
    private record Lease(String owner, Instant expiresAt, long epoch) {}

    /**
     * @param credential null after a delete
     * @param lastVersion the stored credential's version, or the deleted one's
     * @param marked the version marked as needing reauthorization, 0 for none
     * @param lease null until a lease is taken; kept after release (expired) so epochs keep growing
     */
    private record Entry(
            @Nullable Credential credential,
            long lastVersion,
            long marked,
            @Nullable Lease lease) {
        static final Entry EMPTY = new Entry(null, 0, 0, null);

        Entry withLease(@Nullable Lease l) {
            return new Entry(credential, lastVersion, marked, l);
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    InMemoryTokenStore(Clock clock) {
        this.clock = clock;
    }

    private Entry entry(String key) {
        Entry e = entries.get(key);
        return e == null ? Entry.EMPTY : e;
    }

    @Override
    public Optional<Credential> load(String key) {
        return Optional.ofNullable(entry(key).credential());
    }

    @Override
    public long lastVersion(String key) {
        return entry(key).lastVersion();
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, Credential next) {
        return store(key, expectedVersion, next, null);
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, Credential next, TokenLease lease) {
        return store(key, expectedVersion, next, lease);
    }

    @Override
    public boolean fencesWrites() {
        return true;
    }

    private boolean store(String key, long expectedVersion, Credential next, @Nullable TokenLease fence) {
        TokenStore.checkNextVersion(expectedVersion, next);
        Instant now = clock.instant();
        boolean[] stored = {false};
        entries.compute(key, (k, old) -> {
            Entry e = old == null ? Entry.EMPTY : old;
            if (e.lastVersion() != expectedVersion || (fence != null && !holds(e.lease(), fence, now))) {
                return old;
            }
            stored[0] = true;
            return new Entry(next, next.version(), 0, e.lease());
        });
        return stored[0];
    }

    private static boolean holds(@Nullable Lease held, TokenLease lease, Instant now) {
        return held != null
                && held.owner().equals(lease.owner())
                && held.epoch() == lease.epoch()
                && held.expiresAt().isAfter(now);
    }

    @Override
    public boolean delete(String key) {
        boolean[] deleted = {false};
        entries.computeIfPresent(key, (k, e) -> {
            if (e.credential() == null) {
                return e;
            }
            deleted[0] = true;
            return new Entry(null, e.lastVersion(), 0, e.lease());
        });
        return deleted[0];
    }

    @Override
    public boolean markNeedsReauthorization(String key, long version) {
        boolean[] marked = {false};
        entries.computeIfPresent(key, (k, e) -> {
            if (e.credential() == null || e.lastVersion() != version || e.marked() == version) {
                return e;
            }
            marked[0] = true;
            return new Entry(e.credential(), e.lastVersion(), version, e.lease());
        });
        return marked[0];
    }

    @Override
    public boolean needsReauthorization(String key, long version) {
        Entry e = entry(key);
        return e.credential() != null && e.lastVersion() == version && e.marked() == version;
    }

    @Override
    public Optional<TokenLease> acquireLease(String key, String owner, Duration ttl) {
        Instant now = clock.instant();
        AtomicReference<@Nullable Lease> taken = new AtomicReference<>();
        entries.compute(key, (k, old) -> {
            Entry e = old == null ? Entry.EMPTY : old;
            Lease held = e.lease();
            if (held != null && !held.owner().equals(owner) && held.expiresAt().isAfter(now)) {
                return old;
            }
            Lease mine = new Lease(owner, now.plus(ttl), held == null ? 1 : held.epoch() + 1);
            taken.set(mine);
            return e.withLease(mine);
        });
        Lease l = taken.get();
        return l == null ? Optional.empty() : Optional.of(new TokenLease(key, owner, l.epoch()));
    }

    @Override
    public boolean tryLease(String key, String owner, Duration ttl) {
        return acquireLease(key, owner, ttl).isPresent();
    }

    @Override
    public boolean renewLease(TokenLease lease, Duration ttl) {
        return renew(lease.key(), lease.owner(), lease.epoch(), ttl);
    }

    @Override
    public boolean renewLease(String key, String owner, Duration ttl) {
        return renew(key, owner, -1, ttl);
    }

    /** Renews the owner's lease; {@code epoch} -1 renews whatever epoch the owner holds. */
    private boolean renew(String key, String owner, long epoch, Duration ttl) {
        Instant now = clock.instant();
        boolean[] renewed = {false};
        entries.computeIfPresent(key, (k, e) -> {
            Lease held = e.lease();
            if (held == null
                    || !held.owner().equals(owner)
                    || (epoch >= 0 && held.epoch() != epoch)
                    || !held.expiresAt().isAfter(now)) {
                return e;
            }
            renewed[0] = true;
            return e.withLease(new Lease(owner, now.plus(ttl), held.epoch()));
        });
        return renewed[0];
    }

    @Override
    public void releaseLease(TokenLease lease) {
        release(lease.key(), lease.owner(), lease.epoch());
    }

    @Override
    public void releaseLease(String key, String owner) {
        release(key, owner, -1);
    }

    /** Ends the lease at once, keeping its epoch so the next acquisition's is greater. */
    private void release(String key, String owner, long epoch) {
        entries.computeIfPresent(key, (k, e) -> {
            Lease held = e.lease();
            if (held == null || !held.owner().equals(owner) || (epoch >= 0 && held.epoch() != epoch)) {
                return e;
            }
            return e.withLease(new Lease(owner, Instant.MIN, held.epoch()));
        });
    }
}
