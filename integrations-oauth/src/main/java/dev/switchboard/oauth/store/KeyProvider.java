package dev.switchboard.oauth.store;

import dev.switchboard.core.error.PermanentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that encrypt stored tokens, by key id. New writes use {@link #currentKeyId()};
 * reads use the key named in each blob's header, so keys rotate by adding a new current key and
 * keeping the old ones until every blob was rewritten. Implementations never print key material.
 */
public interface KeyProvider {
    /** The id of the key new writes use. */
    String currentKeyId();

    /**
     * The key with this id.
     *
     * @throws PermanentException if this provider has no such key
     */
    SecretKey key(String keyId);

    /**
     * Keys from an environment variable holding {@code id:base64key[,id:base64key...]}; the first is
     * current. Each key is 32 bytes (AES-256), e.g. {@code openssl rand -base64 32}.
     */
    static KeyProvider fromEnvironment(String variable) {
        String spec = System.getenv(variable);
        if (spec == null || spec.isBlank()) {
            throw new PermanentException(
                    "token-store",
                    "keys",
                    "environment variable " + variable
                            + " is not set: set it to id:base64key (32 random bytes, e.g. 'openssl rand -base64 32')");
        }
        return fromSpec(spec, "environment variable " + variable);
    }

    /** Keys from a spec {@code id:base64key[,id:base64key...]}; the first is current. */
    static KeyProvider fromSpec(String spec, String origin) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int colon = part.indexOf(':');
            if (colon < 1) {
                throw new PermanentException(
                        "token-store", "keys", origin + " must hold id:base64key[,id:base64key...]");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(part.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new PermanentException(
                        "token-store",
                        "keys",
                        origin + ": key '" + part.substring(0, colon).trim() + "' is not valid base64");
            }
            keys.put(part.substring(0, colon).trim(), aes256(raw, origin));
        }
        return new Fixed(keys);
    }

    /** One key. */
    static KeyProvider of(String keyId, byte[] key) {
        return new Fixed(Map.of(keyId, aes256(key, "key " + keyId)));
    }

    /**
     * The AES secret-key entries of a PKCS12 keystore, by alias; {@code currentAlias} encrypts new
     * writes. Create one with {@code keytool -genseckey -keyalg AES -keysize 256 -storetype PKCS12
     * -keystore tokens.p12 -alias k1}.
     */
    static KeyProvider fromPkcs12(Path keystore, char[] password, String currentAlias) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            Map<String, SecretKey> keys = new LinkedHashMap<>();
            keys.put(currentAlias, null);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getKey(alias, password) instanceof SecretKey k) {
                    keys.put(alias, aes256(k.getEncoded(), "keystore entry " + alias));
                }
            }
            if (keys.get(currentAlias) == null) {
                throw new PermanentException(
                        "token-store",
                        "keys",
                        "keystore " + keystore.getFileName() + " has no AES secret key with alias '" + currentAlias
                                + "'");
            }
            return new Fixed(keys);
        } catch (IOException | GeneralSecurityException e) {
            throw new PermanentException(
                    "token-store",
                    "keys",
                    "cannot read keystore " + keystore.getFileName() + " (wrong password or not PKCS12?): "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    private static SecretKey aes256(byte[] raw, String origin) {
        if (raw.length != 32) {
            throw new PermanentException(
                    "token-store", "keys", origin + ": an AES-256 key has 32 bytes, got " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** Keys held in memory; the first entry is current. */
    final class Fixed implements KeyProvider {
        private final Map<String, SecretKey> keys;
        private final String current;

        private Fixed(Map<String, SecretKey> keys) {
            this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
            this.current = keys.keySet().iterator().next();
        }

        @Override
        public String currentKeyId() {
            return current;
        }

        @Override
        public SecretKey key(String keyId) {
            SecretKey k = keys.get(keyId);
            if (k == null) {
                throw new PermanentException(
                        "token-store",
                        "keys",
                        "no key with id '" + keyId
                                + "' is configured: add the key that encrypted this data (keys rotate by adding, not replacing)");
            }
            return k;
        }

        @Override
        public String toString() {
            return "KeyProvider[ids=" + keys.keySet() + ", current=" + current + "]";
        }
    }
}
