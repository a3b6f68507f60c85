package dev.switchboard.oauth.internal;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.oauth.store.KeyProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM sealing shared by every durable token store. A sealed blob is
 * {@code "SBT1" | keyIdLength(1) | keyId(UTF-8) | nonce(12) | ciphertext+tag(16)}; a fresh random nonce
 * per write; the header and a caller-given context (the store key, the file name) are authenticated
 * as associated data, so a blob cannot be moved, truncated or edited without failing.
 */
public final class Sealer {
    private static final byte[] MAGIC = {'S', 'B', 'T', '1'};
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final KeyProvider keys;
    private final SecureRandom random;

    public Sealer(KeyProvider keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    public byte[] seal(byte[] plaintext, String context) {
        String keyId = keys.currentKeyId();
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 255) {
            throw new IllegalArgumentException("key id longer than 255 bytes");
        }
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 1 + id.length + NONCE);
        header.put(MAGIC).put((byte) id.length).put(id).put(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.key(keyId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(header.array());
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(header.capacity() + ct.length)
                    .put(header.array())
                    .put(ct)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The key id a blob names, without decrypting it. */
    public static String keyIdOf(byte[] blob, String where) {
        checkHeader(blob, where);
        return new String(blob, MAGIC.length + 1, blob[MAGIC.length] & 0xff, StandardCharsets.UTF_8);
    }

    public byte[] open(byte[] blob, String context, String where) {
        checkHeader(blob, where);
        int idLength = blob[MAGIC.length] & 0xff;
        int headerLength = MAGIC.length + 1 + idLength + NONCE;
        if (blob.length < headerLength + TAG_BITS / 8) {
            throw corrupt(where, "it is truncated");
        }
        String keyId = new String(blob, MAGIC.length + 1, idLength, StandardCharsets.UTF_8);
        byte[] nonce = Arrays.copyOfRange(blob, headerLength - NONCE, headerLength);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, keys.key(keyId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(blob, 0, headerLength);
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(blob, headerLength, blob.length - headerLength);
        } catch (javax.crypto.AEADBadTagException e) {
            throw corrupt(
                    where,
                    "it failed its integrity check (tampered, truncated, moved, or encrypted with a different key"
                            + " that has the id '" + keyId + "')");
        } catch (GeneralSecurityException e) {
            throw corrupt(where, "it cannot be decrypted: " + e.getClass().getSimpleName());
        }
    }

    private static void checkHeader(byte[] blob, String where) {
        if (blob.length < MAGIC.length + 1 || !Arrays.equals(blob, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw corrupt(where, "it is not a Switchboard token blob (empty, truncated or overwritten)");
        }
        if (blob.length < MAGIC.length + 1 + (blob[MAGIC.length] & 0xff)) {
            throw corrupt(where, "it is truncated");
        }
    }

    private static PermanentException corrupt(String where, String why) {
        return new PermanentException(
                "token-store",
                "load",
                "the stored tokens in " + where + " cannot be read because "
                        + why
                        + ". Nothing was changed: restore the data from a backup or configure the right key, or delete it and"
                        + " authorize the connections again");
    }
}
