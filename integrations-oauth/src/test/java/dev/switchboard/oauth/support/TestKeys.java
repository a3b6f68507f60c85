package dev.switchboard.oauth.support;

import dev.switchboard.oauth.store.KeyProvider;
import java.util.Base64;

/** Fixed test keys (never use fixed keys outside tests). */
public final class TestKeys {
    public static final byte[] K1 = new byte[32];
    public static final byte[] K2 = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            K1[i] = (byte) i;
            K2[i] = (byte) (100 + i);
        }
    }

    private TestKeys() {}

    public static KeyProvider k1() {
        return KeyProvider.of("k1", K1);
    }

    /** k2 current, k1 still readable. */
    public static KeyProvider rotated() {
        return KeyProvider.fromSpec(
                "k2:" + Base64.getEncoder().encodeToString(K2) + ",k1:"
                        + Base64.getEncoder().encodeToString(K1),
                "test");
    }

    public static String spec() {
        return "k1:" + Base64.getEncoder().encodeToString(K1);
    }
}
