package dev.switchboard.core.keys;

import dev.switchboard.core.error.PermanentException;
import java.nio.file.Path;

/**
 * Master keys, by key id. A master key never seals data: it wraps and unwraps the data keys {@link Keys} seals data
 * with, so it may live in a KMS or an HSM that never lets it out. New data keys are wrapped with
 * {@link #currentKeyId()}; each wrapped data key records the id that wrapped it, so master keys rotate by adding a
 * new current key, calling {@link Keys#rewrap()}, and retiring the old one.
 *
 * <p>The local providers ({@link #fromEnvironment}, {@link #fromSpec}, {@link #of}, {@link #fromPkcs12},
 * {@link #ephemeral}) hold AES-256 keys in memory and wrap with AES-256-GCM: a wrapped key is a fresh 96-bit nonce
 * followed by the ciphertext and its 128-bit tag, with {@code aad} authenticated. To use a KMS, implement this
 * interface with its encrypt and decrypt calls (passing {@code aad} as its encryption context).
 *
 * <p>Implementations are thread-safe and never put key material in {@code toString()}, logs or exceptions.
 */
public interface KeyProvider {
    /** The id of the master key that wraps new data keys. */
    String currentKeyId();

    /**
     * Wraps (encrypts) {@code dataKey} with master key {@code keyId}, authenticating {@code aad}.
     *
     * @throws PermanentException if there is no such master key
     */
    byte[] wrap(String keyId, byte[] dataKey, byte[] aad);

    /**
     * Unwraps what {@link #wrap} returned with the same key id and {@code aad}. The caller owns the returned array
     * and zeroes it after use.
     *
     * @throws PermanentException if there is no such master key, or {@code wrapped} fails its integrity check
     *     (another key, other associated data, or damaged)
     */
    byte[] unwrap(String keyId, byte[] wrapped, byte[] aad);

    /**
     * Master keys from an environment variable holding {@code id:base64key[,id:base64key...]}; the first is
     * current. Each key is 32 random bytes (AES-256), e.g. {@code openssl rand -base64 32}.
     *
     * @throws PermanentException if the variable is unset or malformed (the message never quotes a key)
     */
    static KeyProvider fromEnvironment(String variable) {
        String spec = System.getenv(variable);
        if (spec == null || spec.isBlank()) {
            throw new PermanentException(
                    "keys",
                    "master-keys",
                    "environment variable " + variable
                            + " is not set: set it to id:base64key (32 random bytes, e.g. 'openssl rand -base64 32')");
        }
        return fromSpec(spec, "environment variable " + variable);
    }

    /**
     * Master keys from {@code id:base64key[,id:base64key...]}; the first is current.
     *
     * @param origin where the spec comes from, for error messages
     * @throws PermanentException if the spec is malformed (the message names the key id, never the key)
     */
    static KeyProvider fromSpec(String spec, String origin) {
        return LocalKeyProvider.fromSpec(spec, origin);
    }

    /** One master key (32 bytes); the provider keeps its own copy, so the caller may zero {@code key}. */
    static KeyProvider of(String keyId, byte[] key) {
        return LocalKeyProvider.of(keyId, key);
    }

    /**
     * The AES-256 secret-key entries of a PKCS12 keystore, by alias; {@code currentAlias} wraps new data keys.
     * PKCS12 stores aliases in lower case, so aliases match whatever their case ({@code K1} finds {@code k1}) and
     * the key ids are the aliases as stored. Create one with {@code keytool -genseckey -keyalg AES -keysize 256
     * -storetype PKCS12 -keystore keys.p12 -alias k1}.
     *
     * @throws PermanentException if the keystore cannot be read (wrong password, not PKCS12) or has no AES-256 key
     *     under {@code currentAlias}
     */
    static KeyProvider fromPkcs12(Path keystore, char[] password, String currentAlias) {
        return LocalKeyProvider.fromPkcs12(keystore, password, currentAlias);
    }

    /**
     * A random master key that lives in this process only, for tests and demos: <strong>whatever is sealed with
     * it is unreadable after the process ends</strong> (its data keys cannot be unwrapped by any other key).
     * Creating one logs a warning saying so.
     */
    static KeyProvider ephemeral() {
        return LocalKeyProvider.ephemeral();
    }
}
