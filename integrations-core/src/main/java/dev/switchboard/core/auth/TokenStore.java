package dev.switchboard.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Durable credentials per key, each with a version, and a refresh lease per key so that several
 * application instances refresh a grant once. Implementations are thread-safe; every method is
 * atomic. The contract suite {@code TokenStoreContract} in integrations-testkit checks an
 * implementation.
 *
 * <p><b>Versions never repeat for a key.</b> A key's <em>last version</em> is the version of the credential stored,
 * or, after {@link #delete}, of the last one deleted (0 when the key never held one). A store keeps it after a
 * delete (a tombstone), so that a grant authorized after a revocation continues the count: marks and caches keyed by
 * version can never mistake the new grant for the old one.
 *
 * <p><b>Leases are fenced.</b> {@link #acquireLease} hands out a {@link TokenLease} with an epoch that grows with every
 * acquisition; {@link #compareAndSet(String, long, Credential, TokenLease)} stores only while that lease is still held
 * and unexpired, in the same atomic step. A lease's expiry is decided by one time source for every instance sharing
 * the store (a database's clock), never by each instance's own clock.
 *
 * <p><b>Evolving implementations.</b> The methods with default bodies were added after the first version of this
 * interface. Their defaults keep an older store working, without the guarantees: its writes are not fenced by the
 * lease ({@link #fencesWrites()} is false), its versions may repeat after a delete, and reauthorization marks stay in
 * each instance's memory. The project's stores implement them all.
 */
public interface TokenStore {
    /** The stored credential, if any (nothing after {@link #delete}). */
    Optional<Credential> load(String key);

    /**
     * Stores {@code next} only if the key's last version is {@code expectedVersion} (0 meaning the key never held a
     * credential; after a {@link #delete}, the deleted credential's version). A failed call changes nothing. Storing
     * clears a reauthorization mark.
     *
     * @return whether {@code next} was stored
     * @throws IllegalArgumentException unless {@code next.version() == expectedVersion + 1}
     */
    boolean compareAndSet(String key, long expectedVersion, Credential next);

    /**
     * {@link #compareAndSet(String, long, Credential)}, fenced by {@code lease}: stores only if, in the same atomic
     * step, {@code lease} (its owner and epoch) is still the key's lease and has not expired. A holder whose lease
     * expired, or was taken over while its refresh ran, can therefore never overwrite what the new holder stores.
     *
     * <p>The default is not fenced: it ignores {@code lease} (see {@link #fencesWrites()}).
     *
     * @return whether {@code next} was stored
     */
    default boolean compareAndSet(String key, long expectedVersion, Credential next, TokenLease lease) {
        return compareAndSet(key, expectedVersion, next);
    }

    /** Whether {@link #compareAndSet(String, long, Credential, TokenLease)} is fenced by the lease. */
    default boolean fencesWrites() {
        return false;
    }

    /**
     * The key's last version: the stored credential's, else the last deleted one's, else 0. The next credential for
     * the key is stored as this plus one.
     */
    default long lastVersion(String key) {
        return load(key).map(Credential::version).orElse(0L);
    }

    /**
     * Removes the credential (revocation, sign-out), keeping the key's last version. Returns whether one was stored.
     */
    boolean delete(String key);

    /**
     * Records that the grant stored as {@code version} of {@code key} is gone (the token endpoint answered
     * {@code invalid_grant}): every instance sharing the store then learns it from {@link #needsReauthorization}
     * instead of spending the dead refresh token once more. Nothing is recorded unless that version is the one stored;
     * storing a newer version clears the mark.
     *
     * <p>The default keeps no mark and returns true (each instance then keeps its own mark in memory).
     *
     * @return whether this call set the mark (false: it was set already, or that version is not the one stored)
     */
    default boolean markNeedsReauthorization(String key, long version) {
        return true;
    }

    /** Whether {@link #markNeedsReauthorization} marked {@code version}, and it is still the version stored. */
    default boolean needsReauthorization(String key, long version) {
        return false;
    }

    /**
     * Takes the refresh lease for {@code key} for {@code ttl} if no other owner holds an unexpired one (the same owner
     * may take it again, with a new epoch).
     *
     * <p>The default calls {@link #tryLease} and hands out epoch 0.
     *
     * @return the lease taken, or empty when another owner holds it
     */
    default Optional<TokenLease> acquireLease(String key, String owner, Duration ttl) {
        return tryLease(key, owner, ttl) ? Optional.of(new TokenLease(key, owner, 0)) : Optional.empty();
    }

    /**
     * Extends {@code lease} to {@code ttl} from now; false if it has expired, or the key's lease was taken again since
     * (by another owner, or by the same owner with a newer epoch).
     */
    default boolean renewLease(TokenLease lease, Duration ttl) {
        return renewLease(lease.key(), lease.owner(), ttl);
    }

    /** Releases {@code lease} if it is still the key's lease; a newer lease is left alone. */
    default void releaseLease(TokenLease lease) {
        releaseLease(lease.key(), lease.owner());
    }

    /**
     * Takes the refresh lease for {@code key} if no other owner holds an unexpired one (the same owner
     * may take it again). {@link #acquireLease} also tells the lease's epoch.
     */
    boolean tryLease(String key, String owner, Duration ttl);

    /** Extends a lease this owner holds; false if it has expired or another owner took it. */
    boolean renewLease(String key, String owner, Duration ttl);

    /** Releases the lease if this owner holds it; another owner's lease is left alone. */
    void releaseLease(String key, String owner);

    /** A store in this JVM's memory, for one instance and for tests; leases expire by {@code clock}. */
    static TokenStore inMemory(Clock clock) {
        return new InMemoryTokenStore(clock);
    }

    /** Checks the {@link #compareAndSet} version rule; for implementations. */
    static void checkNextVersion(long expectedVersion, Credential next) {
        if (next.version() != expectedVersion + 1) {
            throw new IllegalArgumentException(
                    "next version must be " + (expectedVersion + 1) + ", got " + next.version());
        }
    }
}
