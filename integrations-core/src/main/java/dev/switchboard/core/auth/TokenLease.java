package dev.switchboard.core.auth;

import java.util.Objects;

/**
 * A refresh lease as taken from a {@link TokenStore} with {@link TokenStore#acquireLease}: the key, the owner that
 * holds it, and its epoch. The epoch grows with every acquisition of the key's lease (by any owner, the same owner
 * again included), so a holder whose lease expired and was taken over holds a stale epoch: its renewals and its
 * {@linkplain TokenStore#compareAndSet(String, long, Credential, TokenLease) fenced writes} are refused. Stores that
 * keep no epochs hand out epoch 0.
 *
 * @param key the credential's key
 * @param owner who holds the lease
 * @param epoch the acquisition this lease is; greater than every earlier acquisition of the key's lease
 */
public record TokenLease(String key, String owner, long epoch) {
    public TokenLease {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
    }
}
