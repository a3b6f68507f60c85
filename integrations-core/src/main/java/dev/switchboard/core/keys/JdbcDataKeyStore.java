package dev.switchboard.core.keys;

import dev.switchboard.core.storage.Jdbc;
import dev.switchboard.core.storage.JdbcSchema;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataKeyStore} in a SQL table: H2 for one instance, PostgreSQL for several sharing it. Plain JDBC.
 *
 * <pre>{@code
 * DataKeyStore dataKeys = JdbcDataKeyStore.builder(dataSource).build();   // table switchboard_data_keys
 * Keys keys = Keys.builder(KeyProvider.fromEnvironment("SWITCHBOARD_MASTER_KEYS"), dataKeys).build();
 * }</pre>
 *
 * <p>Table (schema version 1, created or upgraded by {@link Builder#build()} through {@link JdbcSchema}):
 * {@code (scope, version, master_key_id, wrapped, created_at, destroyed_at)}, primary key (scope, version);
 * instants as epoch nanoseconds. Each method is one statement in auto-commit: {@link #add} is an insert that a
 * duplicate key refuses, {@link #rewrap} and {@link #destroy} are conditional updates, so concurrent instances
 * never both win. Errors never quote values.
 */
public final class JdbcDataKeyStore implements DataKeyStore {
    private static final String NAME = "data-key-store";
    private static final String COLUMNS = "scope, version, master_key_id, wrapped, created_at, destroyed_at";

    private final DataSource dataSource;
    private final String table;

    private JdbcDataKeyStore(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
    }

    /** A store on {@code dataSource}, in table {@code switchboard_data_keys} unless {@link Builder#table} says otherwise. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The schema of {@code table}: what {@link Builder#build()} migrates. */
    static JdbcSchema schema(String table) {
        return JdbcSchema.builder("data-keys:" + table)
                .version(
                        1,
                        "data keys per scope and version",
                        c -> JdbcSchema.execute(
                                c,
                                "CREATE TABLE IF NOT EXISTS "
                                        + table
                                        + " (scope VARCHAR(512) NOT NULL, version INT NOT NULL, master_key_id VARCHAR(255),"
                                        + " wrapped BYTEA, created_at BIGINT NOT NULL, destroyed_at BIGINT,"
                                        + " PRIMARY KEY (scope, version))"))
                .build();
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    @Override
    public Optional<WrappedDataKey> find(KeyScope scope, int version) {
        return query(
                        "find",
                        "SELECT " + COLUMNS + " FROM " + table + " WHERE scope = ? AND version = ?",
                        List.of(scope.value(), version),
                        1)
                .stream()
                .findFirst();
    }

    @Override
    public Optional<WrappedDataKey> latest(KeyScope scope) {
        return query(
                        "find",
                        "SELECT " + COLUMNS + " FROM " + table + " WHERE scope = ? ORDER BY version DESC",
                        List.of(scope.value()),
                        1)
                .stream()
                .findFirst();
    }

    @Override
    public boolean add(WrappedDataKey key) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                try (PreparedStatement s =
                        c.prepareStatement("INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, key.scope().value());
                    s.setInt(2, key.version());
                    s.setString(3, key.masterKeyId());
                    byte @Nullable [] wrapped = key.wrapped();
                    if (wrapped == null) {
                        s.setNull(4, Types.VARBINARY);
                    } else {
                        s.setBytes(4, wrapped);
                    }
                    s.setLong(5, Jdbc.epochNanos(key.createdAt()));
                    Instant destroyedAt = key.destroyedAt();
                    if (destroyedAt == null) {
                        s.setNull(6, Types.BIGINT);
                    } else {
                        s.setLong(6, Jdbc.epochNanos(destroyedAt));
                    }
                    return s.executeUpdate() == 1;
                } catch (SQLException e) {
                    if (Jdbc.isDuplicateKey(e)) {
                        return false; // another instance made this version first
                    }
                    throw e;
                }
            });
        } catch (SQLException e) {
            throw failure("add", e);
        }
    }

    @Override
    public boolean rewrap(KeyScope scope, int version, String expectedMasterKeyId, String masterKeyId, byte[] wrapped) {
        return update(
                        "rewrap",
                        "UPDATE " + table + " SET master_key_id = ?, wrapped = ? WHERE scope = ? AND version = ?"
                                + " AND master_key_id = ? AND destroyed_at IS NULL",
                        s -> {
                            s.setString(1, masterKeyId);
                            s.setBytes(2, wrapped);
                            s.setString(3, scope.value());
                            s.setInt(4, version);
                            s.setString(5, expectedMasterKeyId);
                        })
                == 1;
    }

    @Override
    public int destroy(KeyScope scope, Instant at) {
        return update(
                "destroy",
                "UPDATE " + table + " SET master_key_id = NULL, wrapped = NULL, destroyed_at = ?"
                        + " WHERE (scope = ? OR scope LIKE ? ESCAPE '!') AND destroyed_at IS NULL",
                s -> {
                    s.setLong(1, Jdbc.epochNanos(at));
                    s.setString(2, scope.value());
                    s.setString(3, likeEscape(scope.value()) + "/%");
                });
    }

    /** {@code value} as a LIKE pattern that matches itself only (escape character {@code !}). */
    private static String likeEscape(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @Override
    public List<WrappedDataKey> list(@Nullable WrappedDataKey after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit is at least 1: " + limit);
        }
        if (after == null) {
            return query("list", "SELECT " + COLUMNS + " FROM " + table + " ORDER BY scope, version", List.of(), limit);
        }
        return query(
                "list",
                "SELECT " + COLUMNS + " FROM " + table
                        + " WHERE scope > ? OR (scope = ? AND version > ?) ORDER BY scope, version",
                List.of(after.scope().value(), after.scope().value(), after.version()),
                limit);
    }

    private List<WrappedDataKey> query(String operation, String sql, List<Object> parameters, int limit) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setMaxRows(limit);
                    for (int i = 0; i < parameters.size(); i++) {
                        s.setObject(i + 1, parameters.get(i));
                    }
                    List<WrappedDataKey> found = new ArrayList<>();
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next() && found.size() < limit) {
                            found.add(decode(r));
                        }
                    }
                    return List.copyOf(found);
                }
            });
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    private WrappedDataKey decode(ResultSet r) throws SQLException {
        String scope = r.getString(1);
        int version = r.getInt(2);
        long destroyedAt = r.getLong(6);
        boolean destroyed = !r.wasNull();
        try {
            return new WrappedDataKey(
                    KeyScope.of(scope),
                    version,
                    r.getString(3),
                    r.getBytes(4),
                    Jdbc.instant(r.getLong(5)),
                    destroyed ? Jdbc.instant(destroyedAt) : null);
        } catch (IllegalArgumentException e) {
            throw new dev.switchboard.core.error.PermanentException(
                    NAME,
                    "read",
                    "the row of data key '" + scope + "' version " + version + " in table " + table
                            + " was edited outside Switchboard (" + e.getMessage() + "); restore it from a backup");
        }
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private int update(String operation, String sql, Binder binder) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    binder.bind(s);
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    private RuntimeException failure(String operation, SQLException e) {
        return Jdbc.failure(NAME, operation, "the data key table " + table, e);
    }

    @Override
    public String toString() {
        return "JdbcDataKeyStore[" + table + "]";
    }

    /** Builds a {@link JdbcDataKeyStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = "switchboard_data_keys";

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The table's name, optionally with its schema: letters, digits and {@code _}, not starting with a digit.
         */
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
        public JdbcDataKeyStore build() {
            schema(table).migrate(dataSource);
            return new JdbcDataKeyStore(dataSource, table);
        }
    }
}
