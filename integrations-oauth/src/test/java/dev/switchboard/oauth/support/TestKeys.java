package dev.switchboard.oauth.support;

import dev.switchboard.core.keys.DataKeyStore;
import dev.switchboard.core.keys.JdbcDataKeyStore;
import dev.switchboard.core.keys.KeyProvider;
import dev.switchboard.core.keys.Keys;
import java.nio.file.Path;
import java.util.Base64;
import javax.sql.DataSource;

/** Fixed test master keys (never use fixed keys outside tests), and keys whose data keys live beside the data. */
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

    /** Master key k1, data keys in a file next to the token file. */
    public static Keys beside(Path tokenFile) {
        return beside(tokenFile, k1());
    }

    public static Keys beside(Path tokenFile, KeyProvider master) {
        return Keys.builder(master, DataKeyStore.file(tokenFile.resolveSibling("data-keys.json")))
                .build();
    }

    /** Master key k1, data keys in {@code <prefix>data_keys} of the same database. */
    public static Keys in(DataSource dataSource, String prefix) {
        return in(dataSource, prefix, k1());
    }

    public static Keys in(DataSource dataSource, String prefix, KeyProvider master) {
        return Keys.builder(
                        master,
                        JdbcDataKeyStore.builder(dataSource)
                                .table(prefix + "data_keys")
                                .build())
                .build();
    }
}
