package dev.switchboard.testkit.positions;

import dev.switchboard.core.change.JdbcPositionStore;
import dev.switchboard.core.change.PositionStore;
import dev.switchboard.testkit.PositionStoreContract;
import dev.switchboard.testkit.support.Databases;

class PostgresJdbcPositionStoreTest extends PositionStoreContract {
    private String table;

    @Override
    protected PositionStore createStore() {
        table = Databases.freshTable("positions");
        return reopen();
    }

    @Override
    protected PositionStore reopen() {
        return JdbcPositionStore.builder(Databases.postgres()).table(table).build();
    }
}
