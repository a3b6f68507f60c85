package dev.switchboard.core.change;

import dev.switchboard.core.storage.Jdbc;
import dev.switchboard.core.storage.JdbcSchema;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link PositionStore} in a SQL table, so feeds resume where they were after a restart, and instances sharing the
 * table share positions: H2 for one instance, PostgreSQL for several. Plain JDBC.
 *
 * <pre>{@code
 * PositionStore positions = JdbcPositionStore.builder(dataSource).build();   // table switchboard_positions
 * Switchboard sb = Switchboard.builder()....positionStore(positions).build();
 * }</pre>
 *
 * <p>Table (schema version 1, created or upgraded by {@link Builder#build()} through {@link JdbcSchema}):
 * {@code (subscriber, connection_id, stream, position_value)}, primary key (subscriber, connection_id, stream).
 * Each call is atomic: {@link #save} updates the row, or inserts it, and updates again if another instance inserted
 * it first, so concurrent saves leave one of the saved positions, never an error. Errors never quote a position.
 */
public final class JdbcPositionStore implements PositionStore {
    private static final String NAME = "position-store";

    private final DataSource dataSource;
    private final String table;

    private JdbcPositionStore(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
    }

    /** A store on {@code dataSource}, in table {@code switchboard_positions} unless {@link Builder#table} says otherwise. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    private static JdbcSchema schema(String table) {
        return JdbcSchema.builder("positions:" + table)
                .version(
                        1,
                        "positions per subscriber, connection and stream",
                        c -> JdbcSchema.execute(
                                c,
                                "CREATE TABLE IF NOT EXISTS " + table + " (subscriber VARCHAR(255) NOT NULL,"
                                        + " connection_id VARCHAR(255) NOT NULL, stream VARCHAR(255) NOT NULL,"
                                        + " position_value TEXT NOT NULL, PRIMARY KEY (subscriber, connection_id, stream))"))
                .build();
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    @Override
    public Optional<String> load(String subscriber, String connection, String stream) {
        try {
            return Optional.ofNullable(Jdbc.autoCommit(dataSource, c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT position_value FROM " + table
                        + " WHERE subscriber = ? AND connection_id = ? AND stream = ?")) {
                    key(s, 1, subscriber, connection, stream);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next() ? r.getString(1) : null;
                    }
                }
            }));
        } catch (SQLException e) {
            throw Jdbc.failure(NAME, "load", what(), e);
        }
    }

    @Override
    public void save(String subscriber, String connection, String stream, String position) {
        Objects.requireNonNull(position, "position");
        try {
            Jdbc.autoCommit(dataSource, c -> {
                for (int attempt = 1; ; attempt++) {
                    try (PreparedStatement s = c.prepareStatement("UPDATE " + table
                            + " SET position_value = ? WHERE subscriber = ? AND connection_id = ? AND stream = ?")) {
                        s.setString(1, position);
                        key(s, 2, subscriber, connection, stream);
                        if (s.executeUpdate() == 1) {
                            return null;
                        }
                    }
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table
                            + " (subscriber, connection_id, stream, position_value) VALUES (?, ?, ?, ?)")) {
                        key(s, 1, subscriber, connection, stream);
                        s.setString(4, position);
                        s.executeUpdate();
                        return null;
                    } catch (SQLException e) {
                        // another instance inserted the row between our update and insert: update it now
                        if (!Jdbc.isDuplicateKey(e) || attempt >= 3) {
                            throw e;
                        }
                    }
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure(NAME, "save", what(), e);
        }
    }

    @Override
    public void delete(String subscriber, String connection, String stream) {
        try {
            Jdbc.autoCommit(dataSource, c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "DELETE FROM " + table + " WHERE subscriber = ? AND connection_id = ? AND stream = ?")) {
                    key(s, 1, subscriber, connection, stream);
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure(NAME, "delete", what(), e);
        }
    }

    private static void key(PreparedStatement s, int first, String subscriber, String connection, String stream)
            throws SQLException {
        s.setString(first, Objects.requireNonNull(subscriber, "subscriber"));
        s.setString(first + 1, Objects.requireNonNull(connection, "connection"));
        s.setString(first + 2, Objects.requireNonNull(stream, "stream"));
    }

    private String what() {
        return "the position table " + table;
    }

    @Override
    public String toString() {
        return "JdbcPositionStore[" + table + "]";
    }

    /** Builds a {@link JdbcPositionStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = "switchboard_positions";

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The table's name, optionally with its schema: letters, digits and {@code _}, not starting with a digit. */
        public Builder table(String table) {
            this.table = Jdbc.tableName(table);
            return this;
        }

        /**
         * The store, its table created or upgraded to the version this code knows ({@link JdbcSchema}).
         *
         * @throws dev.switchboard.core.error.PermanentException if the table is newer than this code knows, or the
         *     database refuses to create it
         */
        public JdbcPositionStore build() {
            schema(table).migrate(dataSource);
            return new JdbcPositionStore(dataSource, table);
        }
    }
}
