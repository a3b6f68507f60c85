package dev.switchboard.core.audit;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 keys held in memory. */
final class HmacKeys implements AuditMacKeys {
    private static final int MIN_BYTES = 32;

    private final String current;
    private final Map<String, SecretKeySpec> keys = new HashMap<>();

    HmacKeys(String current, Map<String, byte[]> keys) {
        this.current = Objects.requireNonNull(current, "currentKeyId");
        keys.forEach((id, key) -> {
            if (id.isBlank()) {
                throw new IllegalArgumentException("a MAC key id is not blank");
            }
            if (key.length < MIN_BYTES) {
                throw new IllegalArgumentException("MAC key '" + id + "' has " + key.length + " bytes; use at least "
                        + MIN_BYTES + " random bytes (e.g. 'openssl rand -base64 32')");
            }
            this.keys.put(id, new SecretKeySpec(key, "HmacSHA256"));
        });
        if (!this.keys.containsKey(current)) {
            throw new IllegalArgumentException("the current MAC key '" + current + "' is not among the keys");
        }
    }

    @Override
    public String currentKeyId() {
        return current;
    }

    @Override
    public boolean has(String keyId) {
        return keys.containsKey(keyId);
    }

    @Override
    public byte[] mac(String keyId, byte[] data) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("there is no MAC key '" + keyId + "'");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "HmacSHA256 is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "AuditMacKeys[current=" + current + ", " + keys.size() + " keys]";
    }
}
