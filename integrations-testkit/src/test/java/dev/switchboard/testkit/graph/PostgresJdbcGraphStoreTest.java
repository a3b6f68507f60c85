package dev.switchboard.testkit.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.normalize.GraphStore;
import dev.switchboard.normalize.JdbcGraphStore;
import dev.switchboard.testkit.GraphStoreContract;
import dev.switchboard.testkit.support.Databases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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

    /** A table in a schema of its own: its sequence index and lock table go there too. */
    @Test
    void aTableInItsOwnSchemaWorks() throws Exception {
        try (Connection c = Databases.postgres().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS graphs");
        }
        String qualified = "graphs." + Databases.freshTable("items");
        try (GraphStore inSchema =
                JdbcGraphStore.builder(Databases.postgres()).table(qualified).build()) {
            inSchema.write(List.of(GraphStore.Write.put("a", "entity", "a1")));
            assertThat(inSchema.changedAfter(0, 10))
                    .extracting(GraphStore.Row::key)
                    .containsExactly("a");
            assertThat(JdbcGraphStore.builder(Databases.postgres())
                            .table(qualified)
                            .build()
                            .lastSequence())
                    .isEqualTo(1);
        }
        assertThat(store.lastSequence()).isZero();
    }
}
