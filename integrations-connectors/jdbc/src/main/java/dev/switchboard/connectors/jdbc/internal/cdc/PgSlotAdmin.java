package dev.switchboard.connectors.jdbc.internal.cdc;

import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.storage.JdbcSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The plain SQL side of a change feed, on one ordinary (not replication) connection kept open: the slot, the
 * publication, the replica identity check, the lease and the slot's lag. Not thread-safe (one reader's).
 */
final class PgSlotAdmin implements AutoCloseable {
    /** SQLState of a slot used by another walsender, or dropped while one runs. */
    static final String OBJECT_IN_USE = "55006";

    private final PostgresChangeFeedSettings settings;
    private final PGSimpleDataSource dataSource;
    private @Nullable Connection connection;

    PgSlotAdmin(PostgresChangeFeedSettings settings) {
        this.settings = settings;
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(settings.jdbcUrl());
        ds.setUser(settings.user());
        String password = settings.password();
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setApplicationName("switchboard-cdc");
        this.dataSource = ds;
    }

    /** The open connection, opened again after a failure closed it. */
    private Connection sql() throws SQLException {
        Connection c = connection;
        if (c == null || c.isClosed()) {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            connection = c;
        }
        return c;
    }

    /** Runs work; a failed statement closes the connection, so the next call opens a fresh one. */
    private <T> T run(Work<T> work) throws SQLException {
        try {
            return work.run(sql());
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Creates the lease table if missing (versioned with core's {@link JdbcSchema}). */
    void ensureLeaseTable() {
        String table = settings.leaseTable();
        JdbcSchema.builder("cdc-lease:" + table)
                .version(
                        1,
                        "replication slot leases",
                        c -> JdbcSchema.execute(
                                c,
                                "CREATE TABLE IF NOT EXISTS " + table + " (slot_name VARCHAR(63) PRIMARY KEY,"
                                        + " owner VARCHAR(255) NOT NULL, expires_at TIMESTAMPTZ NOT NULL)"))
                .build()
                .migrate(dataSource);
    }

    /**
     * Checks that updates and deletes of the table can be reported by key: REPLICA IDENTITY FULL, or DEFAULT with a
     * primary key, or INDEX, whose columns hold the stream's key columns.
     *
     * @throws PermanentException naming the table and the {@code ALTER TABLE} to run
     */
    void checkReplicaIdentity(StreamTable table, String connector, String operation) throws SQLException {
        run(c -> {
            long oid;
            char identity;
            try (PreparedStatement s = c.prepareStatement("SELECT c.oid, c.relreplident FROM pg_class c JOIN"
                    + " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?"
                    + " AND c.relkind IN ('r', 'p')")) {
                s.setString(1, table.schema());
                s.setString(2, table.table());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new PermanentException(
                                connector,
                                operation,
                                "change data capture follows tables only, and there is no table "
                                        + table.qualifiedName() + " (views and foreign tables have no changes to"
                                        + " follow): poll the stream instead");
                    }
                    oid = r.getLong(1);
                    identity = r.getString(2).charAt(0);
                }
            }
            String fix = "run ALTER TABLE " + table.quotedName() + " REPLICA IDENTITY FULL (or give the table a"
                    + " primary key and keep REPLICA IDENTITY DEFAULT)";
            if (identity == 'n') {
                throw new PermanentException(
                        connector,
                        operation,
                        "table " + table.qualifiedName() + " has REPLICA IDENTITY NOTHING: its updates and deletes"
                                + " cannot be reported by key (PostgreSQL would even refuse them once the table is"
                                + " published); " + fix);
            }
            if (identity == 'f') {
                return Boolean.TRUE;
            }
            Set<String> columns = new LinkedHashSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                    + " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ? AND "
                    + (identity == 'i' ? "i.indisreplident" : "i.indisprimary"))) {
                s.setLong(1, oid);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        columns.add(r.getString(1));
                    }
                }
            }
            if (columns.isEmpty()) {
                throw new PermanentException(
                        connector,
                        operation,
                        "table " + table.qualifiedName() + " has REPLICA IDENTITY DEFAULT but no primary key: its"
                                + " updates and deletes cannot be reported by key; " + fix);
            }
            if (!columns.containsAll(table.keyColumns())) {
                throw new PermanentException(
                        connector,
                        operation,
                        "the replica identity of table " + table.qualifiedName() + " (" + columns + ") does not"
                                + " hold the stream's key columns " + table.keyColumns() + ", so a change of the"
                                + " key cannot be reported; " + fix);
            }
            return Boolean.TRUE;
        });
    }

    /** Creates the publication for the table, or adds the table to it. */
    void ensurePublication(String publication, StreamTable table) throws SQLException {
        run(c -> {
            boolean exists;
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
                s.setString(1, publication);
                try (ResultSet r = s.executeQuery()) {
                    exists = r.next();
                }
            }
            try (Statement s = c.createStatement()) {
                if (!exists) {
                    s.execute("CREATE PUBLICATION " + StreamTable.quote(publication) + " FOR TABLE "
                            + table.quotedName());
                    return Boolean.TRUE;
                }
            } catch (SQLException e) {
                if (!"42710".equals(e.getSQLState())) { // another instance created it first
                    throw e;
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_publication_tables WHERE pubname = ?"
                    + " AND schemaname = ? AND tablename = ?")) {
                s.setString(1, publication);
                s.setString(2, table.schema());
                s.setString(3, table.table());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return Boolean.TRUE;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER PUBLICATION " + StreamTable.quote(publication) + " ADD TABLE " + table.quotedName());
            } catch (SQLException e) {
                if (!"42710".equals(e.getSQLState())) {
                    throw e;
                }
            }
            return Boolean.TRUE;
        });
    }

    /**
     * Creates the logical slot with {@code pgoutput} if missing.
     *
     * @return whether it was created now
     */
    boolean ensureSlot(String slot, String connector, String operation) throws SQLException {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT plugin, database = current_database()"
                    + " FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, slot);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        if (!"pgoutput".equals(r.getString(1)) || !r.getBoolean(2)) {
                            throw new PermanentException(
                                    connector,
                                    operation,
                                    "replication slot " + slot + " exists but is not a pgoutput slot of this database:"
                                            + " drop it (SELECT pg_drop_replication_slot('" + slot + "')) or choose"
                                            + " another slot prefix");
                        }
                        return false;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                s.setString(1, slot);
                s.execute();
                return true;
            } catch (SQLException e) {
                if ("42710".equals(e.getSQLState())) { // created by another instance meanwhile
                    return false;
                }
                throw e;
            }
        });
    }

    /** Takes the lease on the slot if it is free, expired or ours (times in the database's clock). */
    boolean tryAcquire(String slot) throws SQLException {
        String table = settings.leaseTable();
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (slot_name, owner, expires_at)"
                    + " VALUES (?, ?, now() + make_interval(secs => ?)) ON CONFLICT (slot_name) DO UPDATE"
                    + " SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at WHERE " + table
                    + ".owner = EXCLUDED.owner OR " + table + ".expires_at <= now() RETURNING owner")) {
                s.setString(1, slot);
                s.setString(2, settings.owner());
                s.setDouble(3, settings.leaseDuration().toMillis() / 1000.0);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    /** Extends our lease; false when it is no longer ours (another instance took it over). */
    boolean renew(String slot) throws SQLException {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE " + settings.leaseTable()
                    + " SET expires_at = now() + make_interval(secs => ?) WHERE slot_name = ? AND owner = ?")) {
                s.setDouble(1, settings.leaseDuration().toMillis() / 1000.0);
                s.setString(2, slot);
                s.setString(3, settings.owner());
                return s.executeUpdate() == 1;
            }
        });
    }

    /** Gives up our lease, so a standby takes the slot at its next poll. */
    void release(String slot) throws SQLException {
        run(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("DELETE FROM " + settings.leaseTable() + " WHERE slot_name = ? AND owner = ?")) {
                s.setString(1, slot);
                s.setString(2, settings.owner());
                return s.executeUpdate();
            }
        });
    }

    /** The process id of the walsender streaming from the slot, if one does. */
    OptionalInt activePid(String slot) throws SQLException {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL")) {
                s.setString(1, slot);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? OptionalInt.of(r.getInt(1)) : OptionalInt.empty();
                }
            }
        });
    }

    /** Ends the backend of a walsender holding the slot (an expired lease's owner that still streams). */
    boolean terminate(int pid) throws SQLException {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                s.setInt(1, pid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() && r.getBoolean(1);
                }
            }
        });
    }

    /** The WAL the slot holds back, in bytes: {@code pg_current_wal_lsn() - confirmed_flush_lsn}. */
    OptionalLong lag(String slot) throws SQLException {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT (pg_current_wal_lsn() - confirmed_flush_lsn)::bigint"
                    + " FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, slot);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        long lag = r.getLong(1);
                        return r.wasNull() ? OptionalLong.empty() : OptionalLong.of(lag);
                    }
                    return OptionalLong.empty();
                }
            }
        });
    }

    /** Whether the slot exists. */
    boolean slotExists(String slot) throws SQLException {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, slot);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    /**
     * Drops the slot, its publication and its lease row; a slot still streaming to a walsender is waited for up to
     * {@code waitMillis} (a closed stream's walsender takes a moment to exit).
     *
     * @return whether the slot existed
     */
    boolean drop(String slot, long waitMillis) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        boolean existed;
        while (true) {
            try {
                existed = run(c -> {
                    try (PreparedStatement s = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name)"
                            + " FROM pg_replication_slots WHERE slot_name = ?")) {
                        s.setString(1, slot);
                        try (ResultSet r = s.executeQuery()) {
                            return r.next();
                        }
                    }
                });
                break;
            } catch (SQLException e) {
                if (!OBJECT_IN_USE.equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
        run(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP PUBLICATION IF EXISTS " + StreamTable.quote(slot));
            }
            try (PreparedStatement s =
                    c.prepareStatement("DELETE FROM " + settings.leaseTable() + " WHERE slot_name = ?")) {
                s.setString(1, slot);
                s.executeUpdate();
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) { // no lease table: nothing to delete
                    throw e;
                }
            }
            return Boolean.TRUE;
        });
        return existed;
    }

    /** The names of the publication's tables, for tests and messages. */
    List<String> publicationTables(String publication) throws SQLException {
        return run(c -> {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ?")) {
                s.setString(1, publication);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        tables.add(r.getString(1));
                    }
                }
            }
            return tables;
        });
    }

    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a broken connection: nothing more to release
            }
        }
    }
}
