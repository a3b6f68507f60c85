package dev.switchboard.testkit.keys;

import dev.switchboard.core.keys.DataKeyStore;
import dev.switchboard.core.keys.JdbcDataKeyStore;
import dev.switchboard.testkit.DataKeyStoreContract;
import dev.switchboard.testkit.support.Databases;

class PostgresJdbcDataKeyStoreTest extends DataKeyStoreContract {
    private String table;

    @Override
    protected DataKeyStore createStore() {
        table = Databases.freshTable("data_keys");
        return reopen();
    }

    @Override
    protected DataKeyStore reopen() {
        return JdbcDataKeyStore.builder(Databases.postgres()).table(table).build();
    }

    @Override
    protected DataKeyStore anotherInstance() {
        return reopen();
    }
}
