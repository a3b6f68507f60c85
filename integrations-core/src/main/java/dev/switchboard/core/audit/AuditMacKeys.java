package dev.switchboard.core.audit;

import java.util.Map;

/**
 * The keys audit entries are authenticated with (HMAC-SHA256), by key id. They are held outside the log: whoever
 * can change the log but not read these keys cannot forge an entry. Entries record the id of the key that
 * authenticated them, so keys rotate by making a new one current; a verifier needs every key still named by an
 * entry. To keep a key in a KMS or HSM, implement {@link #mac} with its HMAC call.
 *
 * <p>Implementations are thread-safe and never put key material in {@code toString()}, logs or exceptions.
 */
public interface AuditMacKeys {
    /** The id of the key new entries are authenticated with. */
    String currentKeyId();

    /**
     * The HMAC-SHA256 of {@code data} under key {@code keyId}.
     *
     * @throws IllegalArgumentException if there is no such key
     */
    byte[] mac(String keyId, byte[] data);

    /** Whether there is a key with this id. */
    boolean has(String keyId);

    /**
     * One key held in memory; the provider keeps its own copy, so the caller may zero {@code key}.
     *
     * @param key at least 32 random bytes
     * @throws IllegalArgumentException if the key is shorter, or the id is blank
     */
    static AuditMacKeys of(String keyId, byte[] key) {
        return new HmacKeys(keyId, Map.of(keyId, key));
    }

    /**
     * Several keys held in memory: {@code currentKeyId} authenticates new entries, the others still verify old ones.
     *
     * @throws IllegalArgumentException if a key is shorter than 32 bytes, or {@code currentKeyId} is not among them
     */
    static AuditMacKeys of(String currentKeyId, Map<String, byte[]> keys) {
        return new HmacKeys(currentKeyId, keys);
    }
}
