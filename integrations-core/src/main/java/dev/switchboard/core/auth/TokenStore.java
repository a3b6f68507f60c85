package dev.switchboard.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Durable credentials per key, each with a version, and a refresh lease per key so that several
 * application instances refresh a grant once. Implementations are thread-safe; every method is
 * atomic. The contract suite {@code TokenStoreContract} in integrations-testkit checks an
 * implementation.
 */
public interface TokenStore {
    /** The stored credential, if any. */
    Optional<Credential> load(String key);

    /**
     * Stores {@code next} only if the stored version is {@code expectedVersion} (0 meaning "nothing
     * stored"). A failed call changes nothing.
     *
     * @return whether {@code next} was stored
     * @throws IllegalArgumentException unless {@code next.version() == expectedVersion + 1}
     */
    boolean compareAndSet(String key, long expectedVersion, Credential next);

    /** Removes the credential (revocation, sign-out). Returns whether one was stored. */
    boolean delete(String key);

    /**
     * Takes the refresh lease for {@code key} if no other owner holds an unexpired one (the same
     * owner may take it again).
     */
    boolean tryLease(String key, String owner, Duration ttl);

    /** Extends a lease this owner holds; false if it has expired or another owner took it. */
    boolean renewLease(String key, String owner, Duration ttl);

    /** Releases the lease if this owner holds it; another owner's lease is left alone. */
    void releaseLease(String key, String owner);

    /** A store in this JVM's memory, for one instance and for tests. */
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
