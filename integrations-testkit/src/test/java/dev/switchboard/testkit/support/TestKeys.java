package dev.switchboard.testkit.support;

import dev.switchboard.core.keys.DataKeyStore;
import dev.switchboard.core.keys.JdbcDataKeyStore;
import dev.switchboard.core.keys.KeyProvider;
import dev.switchboard.core.keys.Keys;
import javax.sql.DataSource;

/** A fixed master key for tests (never use a fixed key outside tests), with data keys where the data is. */
public final class TestKeys {
    private static final byte[] MASTER = new byte[32];

    static {
        for (int i = 0; i < MASTER.length; i++) {
            MASTER[i] = (byte) (3 * i + 1);
        }
    }

    private TestKeys() {}

    public static KeyProvider master() {
        return KeyProvider.of("test-master-1", MASTER);
    }

    /** Keys whose data keys live in {@code dataSource}'s {@code data_keys_table}. */
    public static Keys in(DataSource dataSource, String dataKeysTable) {
        return keys(JdbcDataKeyStore.builder(dataSource).table(dataKeysTable).build());
    }

    /** Keys whose data keys live in {@code dataSource}'s default data key table. */
    public static Keys in(DataSource dataSource) {
        return keys(JdbcDataKeyStore.builder(dataSource).build());
    }

    public static Keys keys(DataKeyStore dataKeys) {
        return Keys.builder(master(), dataKeys).build();
    }
}
