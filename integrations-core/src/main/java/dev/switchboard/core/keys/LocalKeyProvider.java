package dev.switchboard.core.keys;

import dev.switchboard.core.error.PermanentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** AES-256 master keys held in memory; wraps with AES-256-GCM ({@code nonce(12) | ciphertext | tag(16)}). */
final class LocalKeyProvider implements KeyProvider {
    private static final Logger log = LoggerFactory.getLogger(LocalKeyProvider.class);
    private static final String NAME = "keys";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKey> keys;
    private final String current;
    private final String origin;
    private final boolean lowerCaseIds;
    private final SecureRandom random = new SecureRandom();

    private LocalKeyProvider(Map<String, SecretKey> keys, String current, String origin, boolean lowerCaseIds) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        this.current = current;
        this.origin = origin;
        this.lowerCaseIds = lowerCaseIds;
    }

    static KeyProvider fromSpec(String spec, String origin) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String part : spec.split(",", -1)) {
            int colon = part.indexOf(':');
            String id = colon < 0 ? "" : part.substring(0, colon).trim();
            if (id.isEmpty()) {
                throw new PermanentException(
                        NAME, "master-keys", origin + " must hold id:base64key[,id:base64key...] (an entry has no id)");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(part.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new PermanentException(NAME, "master-keys", origin + ": key '" + id + "' is not valid base64");
            }
            try {
                if (keys.put(id, aes256(raw, origin + ": key '" + id + "'")) != null) {
                    throw new PermanentException(NAME, "master-keys", origin + ": key id '" + id + "' appears twice");
                }
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        return new LocalKeyProvider(keys, keys.keySet().iterator().next(), origin, false);
    }

    static KeyProvider of(String keyId, byte[] key) {
        if (keyId.isBlank()) {
            throw new IllegalArgumentException("a key id is not blank");
        }
        return new LocalKeyProvider(Map.of(keyId, aes256(key, "key '" + keyId + "'")), keyId, "key " + keyId, false);
    }

    static KeyProvider fromPkcs12(Path keystore, char[] password, String currentAlias) {
        String file = String.valueOf(keystore.getFileName());
        KeyStore ks;
        try (InputStream in = Files.newInputStream(keystore)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new PermanentException(
                    NAME,
                    "master-keys",
                    "cannot read keystore " + file + " (missing, wrong password, or not PKCS12): "
                            + e.getClass().getSimpleName());
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String current = currentAlias.toLowerCase(Locale.ROOT);
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getKey(alias, password) instanceof SecretKey k) {
                    byte[] raw = k.getEncoded();
                    try {
                        if (raw != null && raw.length == 32 && "AES".equalsIgnoreCase(k.getAlgorithm())) {
                            keys.put(alias.toLowerCase(Locale.ROOT), new SecretKeySpec(raw, "AES"));
                        }
                    } finally {
                        if (raw != null) {
                            Arrays.fill(raw, (byte) 0);
                        }
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new PermanentException(
                    NAME,
                    "master-keys",
                    "cannot read the keys of keystore " + file + " (a key has another password?): "
                            + e.getClass().getSimpleName());
        }
        if (!keys.containsKey(current)) {
            throw new PermanentException(
                    NAME,
                    "master-keys",
                    "keystore " + file + " has no AES-256 secret key with alias '" + currentAlias + "' (it has "
                            + keys.keySet() + "); create one with keytool -genseckey -keyalg AES -keysize 256");
        }
        Map<String, SecretKey> ordered = new LinkedHashMap<>();
        ordered.put(current, keys.get(current));
        ordered.putAll(keys);
        return new LocalKeyProvider(ordered, current, "keystore " + file, true);
    }

    static KeyProvider ephemeral() {
        SecureRandom random = new SecureRandom();
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        byte[] id = new byte[4];
        random.nextBytes(id);
        String keyId = "ephemeral-" + HexFormat.of().formatHex(id);
        try {
            log.warn(
                    "KeyProvider.ephemeral(): master key {} lives in this process only; whatever is sealed with it is"
                            + " unreadable after a restart. Use it in tests and demos only.",
                    keyId);
            return new LocalKeyProvider(Map.of(keyId, new SecretKeySpec(raw, "AES")), keyId, "an ephemeral key", false);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static SecretKey aes256(byte[] raw, String what) {
        if (raw.length != 32) {
            throw new PermanentException(
                    NAME, "master-keys", what + ": an AES-256 key has 32 bytes, got " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    @Override
    public String currentKeyId() {
        return current;
    }

    private SecretKey key(String keyId) {
        @Nullable SecretKey k = keys.get(lowerCaseIds ? keyId.toLowerCase(Locale.ROOT) : keyId);
        if (k == null) {
            throw new PermanentException(
                    NAME,
                    "master-keys",
                    "no master key with id '" + keyId + "' in " + origin + " (it has " + keys.keySet()
                            + "): add the key that wrapped this data key; retire a master key only after"
                            + " Keys.rewrap()");
        }
        return k;
    }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey, byte[] aad) {
        SecretKey k = key(keyId);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            byte[] out = new byte[NONCE + c.getOutputSize(dataKey.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            c.doFinal(dataKey, 0, dataKey.length, out, NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, byte[] aad) {
        SecretKey k = key(keyId);
        if (wrapped.length < NONCE + TAG_BITS / 8) {
            throw new PermanentException(NAME, "unwrap", "a key wrapped with master key '" + keyId + "' is truncated");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE));
            c.updateAAD(aad);
            return c.doFinal(wrapped, NONCE, wrapped.length - NONCE);
        } catch (AEADBadTagException e) {
            throw new PermanentException(
                    NAME,
                    "unwrap",
                    "a key wrapped with master key '" + keyId + "' failed its integrity check: it was damaged or moved,"
                            + " or a different key has the id '" + keyId + "'");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "KeyProvider[" + origin + ", ids=" + keys.keySet() + ", current=" + current + "]";
    }
}
