package dev.switchboard.testkit.graph;

import dev.switchboard.normalize.GraphStore;
import dev.switchboard.normalize.JdbcGraphStore;
import dev.switchboard.testkit.GraphStoreContract;
import dev.switchboard.testkit.support.Databases;
import javax.sql.DataSource;

class H2JdbcGraphStoreTest extends GraphStoreContract {
    private DataSource db;

    @Override
    protected GraphStore createStore() {
        db = Databases.newH2();
        return JdbcGraphStore.builder(db).build();
    }

    @Override
    protected GraphStore openAnother() {
        return JdbcGraphStore.builder(db).build();
    }
}
