package dev.switchboard.oauth.internal;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.keys.KeyProvider;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the blobs token stores wrote before envelope encryption (token table schema version 1, token files before
 * it): {@code "SBT1" | keyIdLength(1) | keyId(UTF-8) | nonce(12) | ciphertext+tag(16)}, sealed with AES-256-GCM
 * directly under a master key, the header and a context (row key or file name) authenticated. A local
 * {@link KeyProvider}'s {@code unwrap} is exactly that operation ({@code nonce | ciphertext+tag}, with associated
 * data), so old blobs open with the master keys of today's provider; the stores re-seal them at once. Nothing
 * writes this format any more.
 */
public final class LegacyTokenBlob {
    private static final byte[] MAGIC = {'S', 'B', 'T', '1'};
    private static final int NONCE = 12;
    private static final int TAG = 16;

    private LegacyTokenBlob() {}

    /** Whether {@code blob} starts as a legacy token blob. */
    public static boolean isLegacy(byte[] blob) {
        return blob.length >= MAGIC.length && Arrays.equals(blob, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * The plaintext of a legacy blob.
     *
     * @param context what the blob was bound to when written
     * @param where names the blob's place for errors
     * @throws PermanentException if it is damaged or its master key is missing
     */
    public static byte[] open(KeyProvider masterKeys, byte[] blob, String context, String where) {
        if (!isLegacy(blob) || blob.length < MAGIC.length + 1) {
            throw corrupt(where, "it is not a Switchboard token blob");
        }
        int idLength = blob[MAGIC.length] & 0xff;
        int header = MAGIC.length + 1 + idLength + NONCE;
        if (blob.length < header + TAG) {
            throw corrupt(where, "it is truncated");
        }
        String keyId = new String(blob, MAGIC.length + 1, idLength, StandardCharsets.UTF_8);
        byte[] contextBytes = context.getBytes(StandardCharsets.UTF_8);
        byte[] aad = Arrays.copyOf(blob, header + contextBytes.length);
        System.arraycopy(contextBytes, 0, aad, header, contextBytes.length);
        return masterKeys.unwrap(keyId, Arrays.copyOfRange(blob, header - NONCE, blob.length), aad);
    }

    private static PermanentException corrupt(String where, String why) {
        return new PermanentException(
                "token-store",
                "load",
                "the stored tokens in " + where + " cannot be read because " + why
                        + ". Nothing was changed: restore the data from a backup, or delete it and authorize the"
                        + " connections again");
    }
}
