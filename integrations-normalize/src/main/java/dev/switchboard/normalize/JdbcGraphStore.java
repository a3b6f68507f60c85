package dev.switchboard.normalize;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.storage.Jdbc;
import dev.switchboard.core.storage.JdbcSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link GraphStore} in two SQL tables, on H2 (one instance, or tests) or PostgreSQL (several instances sharing
 * one graph). Plain JDBC; the dialect is read from the connection's metadata, and any other database is refused.
 *
 * <pre>{@code
 * GraphStore store = JdbcGraphStore.builder(dataSource).build();   // tables switchboard_graph, switchboard_graph_sequence
 * }</pre>
 *
 * <p>Tables (schema version 1, created by {@link Builder#build()} through {@link JdbcSchema}, component
 * {@code graph:<table>}): {@code <table> (item_key VARCHAR(1000) PRIMARY KEY, kind VARCHAR(64), first_seq BIGINT,
 * seq BIGINT UNIQUE, deleted BOOLEAN, body TEXT)}, a row per item, indexed by {@code seq}; and
 * {@code <table>_sequence (id INT PRIMARY KEY, last_seq BIGINT)}, one row holding the last sequence number given.
 *
 * <p>Why sequence order is commit order: {@link #write} runs in one transaction that first locks the one row of
 * {@code <table>_sequence} ({@code SELECT ... FOR UPDATE}), takes its next numbers under that lock, writes the rows
 * and the new last number, and commits, which releases the lock. Writers on every instance therefore commit one
 * after the other in the order of their numbers, and a reader can never see number {@code n} before {@code n - 1}
 * is committed. {@link #purgeDeleted} takes the same lock, so it never drops a row a writer is replacing. Errors
 * never quote a key or a body.
 */
public final class JdbcGraphStore implements GraphStore {
    private static final String NAME = "graph-store";
    /** How many keys one {@code IN (...)} looks up. */
    private static final int KEYS_PER_QUERY = 500;

    private final DataSource dataSource;
    private final String table;
    private final String sequenceTable;
    private volatile boolean closed;

    private JdbcGraphStore(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
        this.sequenceTable = table + "_sequence";
    }

    /**
     * A store on {@code dataSource}, in tables {@code switchboard_graph} and {@code switchboard_graph_sequence}
     * unless {@link Builder#table} says otherwise.
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    private static JdbcSchema schema(String table) {
        String sequenceTable = table + "_sequence";
        // Named without the schema: both databases put an index in its table's schema (PostgreSQL refuses a
        // qualified name there).
        String index = table.substring(table.indexOf('.') + 1) + "_seq_idx";
        return JdbcSchema.builder("graph:" + table)
                .version(
                        1,
                        "graph items by key, ordered by sequence, and the last sequence given",
                        c -> JdbcSchema.execute(
                                c,
                                "CREATE TABLE IF NOT EXISTS " + table + " (item_key VARCHAR(" + MAX_KEY_LENGTH
                                        + ") NOT NULL PRIMARY KEY, kind VARCHAR(" + MAX_KIND_LENGTH + ") NOT NULL,"
                                        + " first_seq BIGINT NOT NULL, seq BIGINT NOT NULL, deleted BOOLEAN NOT NULL,"
                                        + " body TEXT NOT NULL)",
                                // unique: a second guard that no number is ever given twice
                                "CREATE UNIQUE INDEX IF NOT EXISTS " + index + " ON " + table + " (seq)",
                                "CREATE TABLE IF NOT EXISTS " + sequenceTable
                                        + " (id INT NOT NULL PRIMARY KEY, last_seq BIGINT NOT NULL)",
                                // two instances creating it at once: the loser's duplicate key makes the upgrade
                                // start over, and it then finds the version done
                                "INSERT INTO " + sequenceTable + " (id, last_seq) SELECT 1, 0 WHERE NOT EXISTS"
                                        + " (SELECT 1 FROM " + sequenceTable + " WHERE id = 1)"))
                .build();
    }

    /** The items' table; the sequence table is its name with {@code _sequence}. */
    public String table() {
        return table;
    }

    @Override
    public List<Row> write(List<Write> writes) {
        open();
        List<Write> all = List.copyOf(writes);
        // Checked before the transaction: a refused write leaves nothing, and costs no lock.
        for (Write w : all) {
            w.check();
        }
        if (all.isEmpty()) {
            return List.of();
        }
        try {
            return Jdbc.inTransactionValue(dataSource, c -> write(c, all));
        } catch (SQLException e) {
            throw Jdbc.failure(NAME, "write", what(), e);
        }
    }

    /** One attempt, inside the transaction: may run again from the start after a lost race. */
    private List<Row> write(Connection c, List<Write> writes) throws SQLException {
        long last = lockSequence(c);
        Map<String, Long> stored = firstSequences(c, writes);
        Map<String, Long> firsts = new HashMap<>(stored);
        // The state each key ends in: its last write in this call.
        Map<String, Row> finals = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>(writes.size());
        long next = last;
        for (Write w : writes) {
            next++;
            Long first = firsts.get(w.key());
            if (first == null) {
                first = next;
                firsts.put(w.key(), first);
            }
            Row row = new Row(w.key(), w.kind(), first, next, w.deleted(), w.body());
            rows.add(row);
            finals.put(w.key(), row);
        }
        try (PreparedStatement update = c.prepareStatement(
                        "UPDATE " + table + " SET kind = ?, seq = ?, deleted = ?, body = ? WHERE item_key = ?");
                PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                        + " (item_key, kind, first_seq, seq, deleted, body) VALUES (?, ?, ?, ?, ?, ?)")) {
            int updates = 0;
            int inserts = 0;
            for (Row row : finals.values()) {
                if (stored.containsKey(row.key())) {
                    // first_seq is not touched: the key keeps the number of its first write
                    update.setString(1, row.kind());
                    update.setLong(2, row.sequence());
                    update.setBoolean(3, row.deleted());
                    update.setString(4, row.body());
                    update.setString(5, row.key());
                    update.addBatch();
                    updates++;
                } else {
                    insert.setString(1, row.key());
                    insert.setString(2, row.kind());
                    insert.setLong(3, row.firstSequence());
                    insert.setLong(4, row.sequence());
                    insert.setBoolean(5, row.deleted());
                    insert.setString(6, row.body());
                    insert.addBatch();
                    inserts++;
                }
            }
            if (updates > 0) {
                update.executeBatch();
            }
            if (inserts > 0) {
                insert.executeBatch();
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE " + sequenceTable + " SET last_seq = ? WHERE id = 1")) {
            s.setLong(1, next);
            s.executeUpdate();
        }
        return List.copyOf(rows);
    }

    /** Locks the sequence row until the transaction ends, and returns the last number given. */
    private long lockSequence(Connection c) throws SQLException {
        try (PreparedStatement s =
                        c.prepareStatement("SELECT last_seq FROM " + sequenceTable + " WHERE id = 1 FOR UPDATE");
                ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw new PermanentException(
                        NAME,
                        "write",
                        "the sequence table " + sequenceTable + " has no row: it was changed outside Switchboard;"
                                + " insert (id 1, last_seq = the highest seq of " + table + ") or drop both tables");
            }
            return r.getLong(1);
        }
    }

    /** The first sequence of each key already stored (under the lock, so no writer changes them meanwhile). */
    private Map<String, Long> firstSequences(Connection c, List<Write> writes) throws SQLException {
        List<String> keys = new ArrayList<>(
                new java.util.LinkedHashSet<>(writes.stream().map(Write::key).toList()));
        Map<String, Long> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT item_key, first_seq FROM " + table + " WHERE item_key IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    s.setString(i + 1, chunk.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.put(r.getString(1), r.getLong(2));
                    }
                }
            }
        }
        return found;
    }

    @Override
    public List<Row> changedAfter(long after, int limit) {
        open();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                // One statement, one snapshot: with commits in sequence order it holds a prefix of the numbers.
                try (PreparedStatement s =
                        c.prepareStatement("SELECT item_key, kind, first_seq, seq, deleted, body FROM " + table
                                + " WHERE seq > ? ORDER BY seq LIMIT ?")) {
                    s.setLong(1, after);
                    s.setInt(2, limit);
                    List<Row> rows = new ArrayList<>();
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            rows.add(new Row(
                                    r.getString(1),
                                    r.getString(2),
                                    r.getLong(3),
                                    r.getLong(4),
                                    r.getBoolean(5),
                                    r.getString(6)));
                        }
                    }
                    return List.copyOf(rows);
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure(NAME, "read", what(), e);
        }
    }

    @Override
    public long lastSequence() {
        open();
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                try (PreparedStatement s =
                                c.prepareStatement("SELECT last_seq FROM " + sequenceTable + " WHERE id = 1");
                        ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getLong(1) : 0L;
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure(NAME, "read", what(), e);
        }
    }

    @Override
    public int purgeDeleted(long sequence) {
        open();
        try {
            return Jdbc.inTransactionValue(dataSource, c -> {
                lockSequence(c); // a writer replacing a tombstone counts on its row staying until it commits
                try (PreparedStatement s =
                        c.prepareStatement("DELETE FROM " + table + " WHERE deleted = TRUE AND seq <= ?")) {
                    s.setLong(1, sequence);
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure(NAME, "purge", what(), e);
        }
    }

    /** Marks the store closed; the data source stays open (it is the application's) and the tables stay. */
    @Override
    public void close() {
        closed = true;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("this graph store is closed");
        }
    }

    private String what() {
        return "the graph table " + table;
    }

    @Override
    public String toString() {
        return "JdbcGraphStore[" + table + "]";
    }

    /** Builds a {@link JdbcGraphStore}. */
    public static final class Builder {
        /** The longest table name (after the schema): with {@code _sequence} it fits PostgreSQL's 63 characters. */
        public static final int MAX_TABLE_NAME = 54;

        private final DataSource dataSource;
        private String table = "switchboard_graph";

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The items' table's name, optionally with its schema: letters, digits and {@code _}, not starting with a
         * digit, at most {@value #MAX_TABLE_NAME} characters after the schema; the sequence table is named after it
         * with {@code _sequence}.
         */
        public Builder table(String table) {
            String checked = Jdbc.tableName(table);
            // PostgreSQL cuts names at 63 characters: <table>_sequence and <table>_seq_idx must stay whole.
            if (checked.length() - checked.indexOf('.') - 1 > MAX_TABLE_NAME) {
                throw new IllegalArgumentException("graph table name '" + checked + "' is too long: at most "
                        + MAX_TABLE_NAME + " characters after the schema, so that its _sequence table fits PostgreSQL's"
                        + " 63");
            }
            this.table = checked;
            return this;
        }

        /**
         * The store, its tables created or upgraded to the version this code knows ({@link JdbcSchema}).
         *
         * @throws PermanentException when the database is neither H2 nor PostgreSQL, its tables are newer than this
         *     code knows, or it refuses to create them
         * @throws TransientException when the database cannot be reached; nothing was created
         */
        public JdbcGraphStore build() {
            String product;
            try {
                product = Jdbc.autoCommitValue(dataSource, c -> c.getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                throw new TransientException(
                        NAME,
                        "open",
                        "cannot reach the database of the graph store (SQLState " + e.getSQLState()
                                + "); check that the database is up and the data source's address, then build again",
                        e);
            }
            boolean postgres = product.startsWith("PostgreSQL");
            if (!postgres && !product.startsWith("H2")) {
                throw new PermanentException(
                        NAME,
                        "open",
                        "the graph store runs on H2 or PostgreSQL, but the data source is " + product
                                + ": hand JdbcGraphStore a PostgreSQL (or H2) data source, or use GraphStore.inMemory()"
                                + " for one instance");
            }
            schema(table).migrate(dataSource);
            return new JdbcGraphStore(dataSource, table);
        }
    }
}
