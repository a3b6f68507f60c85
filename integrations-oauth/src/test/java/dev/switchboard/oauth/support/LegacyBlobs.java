package dev.switchboard.oauth.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes blobs as token stores did before envelope encryption (token table schema version 1): {@code "SBT1" |
 * idLength | id | nonce(12) | AES-256-GCM(ciphertext+tag)} directly under a master key, header and context
 * authenticated. Written here with the JDK alone, from the format's description, so that upgrade tests start from
 * data the old code would have written.
 */
public final class LegacyBlobs {
    private LegacyBlobs() {}

    public static byte[] seal(byte[] masterKey, String keyId, byte[] plaintext, String context) throws Exception {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(new byte[] {'S', 'B', 'T', '1'});
        header.write(id.length);
        header.write(id);
        header.write(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(header.toByteArray());
        c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        blob.write(header.toByteArray());
        blob.write(c.doFinal(plaintext));
        return blob.toByteArray();
    }
}
