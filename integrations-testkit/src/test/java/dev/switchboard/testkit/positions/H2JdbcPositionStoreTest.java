package dev.switchboard.testkit.positions;

import dev.switchboard.core.change.JdbcPositionStore;
import dev.switchboard.core.change.PositionStore;
import dev.switchboard.testkit.PositionStoreContract;
import dev.switchboard.testkit.support.Databases;
import javax.sql.DataSource;

class H2JdbcPositionStoreTest extends PositionStoreContract {
    private DataSource db;

    @Override
    protected PositionStore createStore() {
        db = Databases.newH2();
        return JdbcPositionStore.builder(db).build();
    }

    @Override
    protected PositionStore reopen() {
        return JdbcPositionStore.builder(db).build();
    }
}
