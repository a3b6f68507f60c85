package dev.switchboard.core.keys;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One version of a scope's data key as a {@link DataKeyStore} keeps it: wrapped by a master key, or destroyed (its
 * wrapped bytes gone, the version kept so that data sealed under it is reported as destroyed, never mistaken for
 * data of a newer key). Holds no plaintext key material.
 *
 * @param scope the scope
 * @param version the version, from 1; a scope gets a new version after its key was destroyed
 * @param masterKeyId the master key that wrapped it; null once destroyed
 * @param wrapped the wrapped data key; null once destroyed
 * @param createdAt when the data key was made
 * @param destroyedAt when it was destroyed; null while it is live
 */
public record WrappedDataKey(
        KeyScope scope,
        int version,
        @Nullable String masterKeyId,
        byte @Nullable [] wrapped,
        Instant createdAt,
        @Nullable Instant destroyedAt) {
    public WrappedDataKey {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(createdAt, "createdAt");
        if (version < 1) {
            throw new IllegalArgumentException("data key versions start at 1: " + version);
        }
        boolean live = masterKeyId != null && wrapped != null && destroyedAt == null;
        boolean destroyed = masterKeyId == null && wrapped == null && destroyedAt != null;
        if (!live && !destroyed) {
            throw new IllegalArgumentException(
                    "a data key is either wrapped (master key id and bytes) or destroyed (a time), not a mix");
        }
        wrapped = wrapped == null ? null : wrapped.clone();
    }

    /** A live data key. */
    public static WrappedDataKey live(
            KeyScope scope, int version, String masterKeyId, byte[] wrapped, Instant createdAt) {
        return new WrappedDataKey(scope, version, masterKeyId, wrapped, createdAt, null);
    }

    /** Whether it was destroyed. */
    public boolean destroyed() {
        return destroyedAt != null;
    }

    /** A copy of the wrapped bytes; null once destroyed. */
    @Override
    public byte @Nullable [] wrapped() {
        return wrapped == null ? null : wrapped.clone();
    }

    /** This version, destroyed at {@code at}. */
    public WrappedDataKey destroy(Instant at) {
        return new WrappedDataKey(scope, version, null, null, createdAt, at);
    }

    /** This version, wrapped again by {@code masterKeyId}. */
    public WrappedDataKey rewrapped(String masterKeyId, byte[] wrapped) {
        return new WrappedDataKey(scope, version, masterKeyId, wrapped, createdAt, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedDataKey k
                && scope.equals(k.scope)
                && version == k.version
                && Objects.equals(masterKeyId, k.masterKeyId)
                && Arrays.equals(wrapped, k.wrapped)
                && createdAt.equals(k.createdAt)
                && Objects.equals(destroyedAt, k.destroyedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, version, masterKeyId, Arrays.hashCode(wrapped), createdAt, destroyedAt);
    }

    @Override
    public String toString() {
        return "WrappedDataKey[" + scope + " v" + version
                + (destroyedAt == null ? ", master key " + masterKeyId : ", destroyed at " + destroyedAt) + "]";
    }
}
