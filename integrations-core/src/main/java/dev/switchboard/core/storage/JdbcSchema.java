package dev.switchboard.core.storage;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema version of a store's tables, and the upgrades that bring them to the version the code knows. Every
 * JDBC store of the project declares one, and {@link #migrate} runs when the store is opened, so a database
 * written by an older Switchboard upgrades itself on start (docs/storage.md lists each store's versions).
 *
 * <pre>{@code
 * JdbcSchema schema = JdbcSchema.builder("positions:" + table)
 *     .recognize(table)                                   // tables of version 1 made before versions were kept
 *     .version(1, "positions", c -> execute(c, "CREATE TABLE IF NOT EXISTS " + table + " (...)"))
 *     .version(2, "add updated_at", c -> execute(c, "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS ..."))
 *     .build();
 * schema.migrate(dataSource);
 * }</pre>
 *
 * <p>Versions are kept in one table, {@value #VERSIONS_TABLE}{@code (component, version)}, a row per component
 * (a store and its table names). {@link #migrate}:
 *
 * <ul>
 *   <li>creates that table if missing, and the component's row (version 0) if missing;
 *   <li>in one {@code READ COMMITTED} transaction, locks the row ({@code SELECT ... FOR UPDATE}): instances that
 *       start at once wait for each other, and the second finds the work done;
 *   <li>takes a database without a version row whose {@linkplain Builder#recognize recognized tables} exist as
 *       version 1 (the layout from before versions were kept);
 *   <li>refuses a version newer than the code knows with a {@link PermanentException} saying to upgrade
 *       Switchboard, changing nothing;
 *   <li>applies each missing version in order, recording each, and commits.
 * </ul>
 *
 * <p>PostgreSQL runs DDL inside the transaction, so an upgrade is all or nothing. H2 commits at every DDL
 * statement, which also ends the row lock: write every migration so that running it twice, or from two instances
 * at once, is correct ({@code IF NOT EXISTS}, {@code IF EXISTS}, data steps that skip rows already converted).
 */
public final class JdbcSchema {
    /** The table that holds every component's version. */
    public static final String VERSIONS_TABLE = "switchboard_schema_versions";

    private static final Logger log = LoggerFactory.getLogger(JdbcSchema.class);
    private static final String NAME = "switchboard";

    private final String component;
    private final List<String> recognized;
    private final List<Step> steps;

    /** One version's change, applied inside the upgrade's transaction on its connection. */
    @FunctionalInterface
    public interface Migration {
        void apply(Connection connection) throws SQLException;
    }

    private record Step(int version, String description, Migration migration) {}

    private JdbcSchema(String component, List<String> recognized, List<Step> steps) {
        this.component = component;
        this.recognized = List.copyOf(recognized);
        this.steps = List.copyOf(steps);
    }

    /**
     * A schema for {@code component}: a name unique per store and set of tables, such as
     * {@code "quarantine:switchboard_quarantine"} (at most 255 characters).
     */
    public static Builder builder(String component) {
        return new Builder(component);
    }

    /** The component's name. */
    public String component() {
        return component;
    }

    /** The newest version this code knows. */
    public int latestVersion() {
        return steps.size();
    }

    /**
     * Brings the component's tables to {@link #latestVersion()}, creating them on an empty database. Safe to call
     * from several instances at once, and again: an up-to-date database is left as it is.
     *
     * @return the version the tables are at now
     * @throws PermanentException when the tables are at a version newer than this code knows (upgrade
     *     Switchboard), or the database refuses the statements (missing privileges, a conflicting table)
     * @throws TransientException when the database failed otherwise; nothing of the failed version was recorded
     */
    public int migrate(DataSource dataSource) {
        try {
            createVersionsTable(dataSource);
            Jdbc.autoCommit(dataSource, this::insertRow);
            return Jdbc.inTransactionValue(dataSource, this::upgrade);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * The version recorded for {@code component}, if any (a database of version 1 from before versions were kept
     * has none until a store opens it).
     */
    public static OptionalInt installedVersion(DataSource dataSource, String component) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                if (!tableExists(c, VERSIONS_TABLE)) {
                    return OptionalInt.empty();
                }
                try (PreparedStatement s =
                        c.prepareStatement("SELECT version FROM " + VERSIONS_TABLE + " WHERE component = ?")) {
                    s.setString(1, component);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next() && r.getInt(1) > 0 ? OptionalInt.of(r.getInt(1)) : OptionalInt.empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw new TransientException(
                    NAME,
                    "schema",
                    "cannot read the schema version of " + component + " (SQLState " + e.getSQLState() + ")",
                    e);
        }
    }

    private static void createVersionsTable(DataSource dataSource) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                Jdbc.autoCommit(dataSource, c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE IF NOT EXISTS " + VERSIONS_TABLE
                                + " (component VARCHAR(255) PRIMARY KEY, version INT NOT NULL)");
                    }
                    return null;
                });
                return;
            } catch (SQLException e) {
                // Instances starting at once can race on CREATE TABLE IF NOT EXISTS in PostgreSQL's catalog.
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    private @Nullable Void insertRow(Connection c) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT version FROM " + VERSIONS_TABLE + " WHERE component = ?")) {
            s.setString(1, component);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return null;
                }
            }
        }
        try (PreparedStatement s =
                c.prepareStatement("INSERT INTO " + VERSIONS_TABLE + " (component, version) VALUES (?, 0)")) {
            s.setString(1, component);
            s.executeUpdate();
        } catch (SQLException e) {
            if (!Jdbc.isDuplicateKey(e)) { // another instance inserted it first: the row is there
                throw e;
            }
        }
        return null;
    }

    private Integer upgrade(Connection c) throws SQLException {
        int version;
        try (PreparedStatement s =
                c.prepareStatement("SELECT version FROM " + VERSIONS_TABLE + " WHERE component = ? FOR UPDATE")) {
            s.setString(1, component);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("the version row of " + component + " vanished", "40001");
                }
                version = r.getInt(1);
            }
        }
        if (version == 0 && !recognized.isEmpty() && allExist(c, recognized)) {
            log.info("Tables of {} exist without a recorded version: taken as version 1", component);
            version = 1;
            record(c, 1);
        }
        if (version > latestVersion()) {
            throw new PermanentException(
                    NAME,
                    "schema",
                    "the tables of " + component + " are at schema version " + version
                            + ", newer than this Switchboard knows (" + latestVersion()
                            + "): upgrade Switchboard; an older one cannot use them, and nothing was changed");
        }
        for (Step step : steps.subList(version, steps.size())) {
            log.info("Upgrading {} to schema version {}: {}", component, step.version(), step.description());
            step.migration().apply(c);
            record(c, step.version());
        }
        return latestVersion();
    }

    private void record(Connection c, int version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE " + VERSIONS_TABLE + " SET version = ? WHERE component = ? AND version < ?")) {
            s.setInt(1, version);
            s.setString(2, component);
            s.setInt(3, version);
            s.executeUpdate();
        }
    }

    private static boolean allExist(Connection c, List<String> tables) throws SQLException {
        for (String table : tables) {
            if (!tableExists(c, table)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a table exists, as the database resolves the name (case, schema, search path): a query of it that
     * fails is rolled back to a savepoint, so the transaction goes on (PostgreSQL would abort it otherwise).
     */
    private static boolean tableExists(Connection c, String table) throws SQLException {
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
            if (savepoint != null) {
                c.releaseSavepoint(savepoint);
            }
            return true;
        } catch (SQLException e) {
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            if (e.getSQLState() != null && e.getSQLState().startsWith("42")) { // undefined table
                return false;
            }
            throw e;
        }
    }

    private SwitchboardException failure(SQLException e) {
        String state = e.getSQLState() == null ? "none" : e.getSQLState();
        String what = "cannot bring the tables of " + component + " to schema version " + latestVersion()
                + " (SQLState " + state + ", error code " + e.getErrorCode() + ")";
        if (state.startsWith("42")) {
            return new PermanentException(
                    NAME,
                    "schema",
                    what + ": the database refused a statement (missing privileges to create or alter tables, or a"
                            + " table of that name with another layout); fix it and start again. Nothing of the failed"
                            + " version was recorded",
                    e);
        }
        return new TransientException(
                NAME, "schema", what + "; nothing of the failed version was recorded, start again", e);
    }

    @Override
    public String toString() {
        return "JdbcSchema[" + component + " v" + latestVersion() + "]";
    }

    /** Builds a {@link JdbcSchema}: its versions in order from 1. */
    public static final class Builder {
        private final String component;
        private final List<String> recognized = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();

        private Builder(String component) {
            Objects.requireNonNull(component, "component");
            if (component.isBlank() || component.length() > 255) {
                throw new IllegalArgumentException("a component name has 1 to 255 characters: '" + component + "'");
            }
            this.component = component;
        }

        /**
         * Tables whose presence, when no version is recorded, means the database is at version 1: it was written
         * before versions were kept.
         */
        public Builder recognize(String... tables) {
            for (String table : tables) {
                recognized.add(Jdbc.tableName(table));
            }
            return this;
        }

        /**
         * The change that makes version {@code version} out of the one before; version 1 creates the tables.
         * Versions are given in order, 1, 2, 3...
         */
        public Builder version(int version, String description, Migration migration) {
            if (version != steps.size() + 1) {
                throw new IllegalArgumentException(
                        "versions are declared in order from 1: expected " + (steps.size() + 1) + ", got " + version);
            }
            steps.add(new Step(
                    version,
                    Objects.requireNonNull(description, "description"),
                    Objects.requireNonNull(migration, "migration")));
            return this;
        }

        public JdbcSchema build() {
            if (steps.isEmpty()) {
                throw new IllegalStateException("a schema has at least version 1");
            }
            return new JdbcSchema(component, recognized, steps);
        }
    }

    /** Runs each statement on {@code c}: a convenience for migrations made of DDL. */
    public static void execute(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
