package dev.switchboard.core.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a text written out by a test, so an expected digest never comes from the code under test. */
public final class Sha256 {
    private Sha256() {}

    /** The SHA-256 of the UTF-8 bytes of {@code text}, as 64 lower-case hex digits. */
    public static String hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
