package dev.switchboard.testkit.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.normalize.GraphStore;
import dev.switchboard.normalize.JdbcGraphStore;
import dev.switchboard.testkit.GraphStoreContract;
import dev.switchboard.testkit.support.Databases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

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

    /** A table in a schema of its own: its sequence index and lock table go there too. */
    @Test
    void aTableInItsOwnSchemaWorks() throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA graphs");
        }
        try (GraphStore inSchema =
                JdbcGraphStore.builder(db).table("graphs.items").build()) {
            inSchema.write(List.of(GraphStore.Write.put("a", "entity", "a1")));
            assertThat(inSchema.changedAfter(0, 10))
                    .extracting(GraphStore.Row::key)
                    .containsExactly("a");
            assertThat(JdbcGraphStore.builder(db).table("graphs.items").build().lastSequence())
                    .isEqualTo(1);
        }
        assertThat(store.lastSequence()).isZero(); // the default tables are others
    }

    @Test
    void aTableNameTooLongForPostgresIsRefused() {
        JdbcGraphStore.Builder builder = JdbcGraphStore.builder(db);
        builder.table("s." + "t".repeat(JdbcGraphStore.Builder.MAX_TABLE_NAME)); // the schema does not count
        assertThatThrownBy(() -> builder.table("t".repeat(JdbcGraphStore.Builder.MAX_TABLE_NAME + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("63");
    }
}
