package dev.switchboard.testkit.keys;

import dev.switchboard.core.keys.DataKeyStore;
import dev.switchboard.core.keys.JdbcDataKeyStore;
import dev.switchboard.testkit.DataKeyStoreContract;
import dev.switchboard.testkit.support.Databases;
import javax.sql.DataSource;

class H2JdbcDataKeyStoreTest extends DataKeyStoreContract {
    private DataSource db;

    @Override
    protected DataKeyStore createStore() {
        db = Databases.newH2();
        return JdbcDataKeyStore.builder(db).build();
    }

    @Override
    protected DataKeyStore reopen() {
        return JdbcDataKeyStore.builder(db).build();
    }

    @Override
    protected DataKeyStore anotherInstance() {
        return reopen();
    }
}
