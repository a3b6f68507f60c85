package dev.switchboard.testkit.graph;

import dev.switchboard.normalize.GraphStore;
import dev.switchboard.normalize.JdbcGraphStore;
import dev.switchboard.testkit.GraphStoreContract;
import dev.switchboard.testkit.support.Databases;
import java.util.Optional;

class PostgresJdbcGraphStoreTest extends GraphStoreContract {
    private String table;

    @Override
    protected GraphStore createStore() {
        table = Databases.freshTable("graph");
        return openAnother();
    }

    @Override
    protected GraphStore openAnother() {
        return JdbcGraphStore.builder(Databases.postgres()).table(table).build();
    }

    /** PostgreSQL's text holds no NUL character. */
    @Override
    protected Optional<GraphStore.Write> writeTheStorageRefuses() {
        return Optional.of(GraphStore.Write.put("c", "entity", "before\u0000after"));
    }
}
