package dev.switchboard.oauth.store;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenLease;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.KeyDestroyedException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.storage.Jdbc;
import dev.switchboard.core.storage.JdbcSchema;
import dev.switchboard.oauth.internal.CredentialCodec;
import dev.switchboard.oauth.internal.LegacyTokenBlob;
import dev.switchboard.oauth.internal.TokenScopes;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} in a SQL database: H2 for one instance, PostgreSQL for several instances
 * sharing it. Credentials are sealed with {@link Keys} (envelope encryption: AES-256-GCM under a data key per scope,
 * the row's key authenticated too, so a blob cannot be copied to another row); a {@code PER_PRINCIPAL} grant
 * ({@code connection/tenant/user}) is sealed under its user's scope ({@code KeyScope.user}), so crypto-shredding the
 * user makes it unreadable, and {@link #load} then treats it as deleted; other grants under
 * {@code switchboard/tokens}.
 *
 * <ul>
 *   <li><b>Versions</b> are compared and set in one {@code UPDATE ... WHERE version = ?}. A deleted credential leaves
 *       its row with its version and no payload (a tombstone), so versions never repeat for a key.
 *   <li><b>Leases</b> are a row per key with owner, expiry and epoch. The expiry is computed and compared in the
 *       database's time ({@code clock_timestamp()} in PostgreSQL, {@code CURRENT_TIMESTAMP} elsewhere), never by an
 *       instance's clock, so instances whose clocks disagree still exclude each other. A lease is taken in a
 *       transaction that locks its row, and every acquisition increments the epoch; a release ends the lease and keeps
 *       the epoch.
 *   <li><b>Fenced writes</b>: {@link #compareAndSet(String, long, Credential, TokenLease)} locks the lease row
 *       ({@code SELECT ... FOR UPDATE}), checks that owner and epoch still hold it unexpired, and writes, in one
 *       transaction: a take-over waits for that transaction and then finds the new version.
 *   <li><b>Reauthorization marks</b> live in the row ({@code reauth_version}), so every instance sees them.
 *   <li><b>Connections</b> are set to what each statement relies on, whatever the pool's defaults: auto-commit at
 *       {@code READ COMMITTED} for single statements, an explicit {@code READ COMMITTED} transaction, committed, for
 *       the rest ({@code autoCommit=false} pools included). Every statement has a timeout
 *       ({@link Builder#statementTimeout}, default 5 s), so a locked row or a stalled database fails a call with a
 *       {@link TransientException} instead of hanging it.
 * </ul>
 *
 * <p>Tables, created or upgraded when the store is opened ({@link JdbcSchema}, component {@code tokens:<prefix>}):
 * {@code <prefix>tokens(token_key, version, payload, updated_at, reauth_version)} and
 * {@code <prefix>token_leases(token_key, owner, expires_at, epoch)}, {@code expires_at} in epoch milliseconds of the
 * database's time. Schema version 1 held payloads sealed directly under a master key; version 2 holds envelope-sealed
 * payloads, and the upgrade re-seals every row; version 3 adds tombstones, reauthorization marks, lease epochs and
 * lease expiry in the database's time.
 */
public final class JdbcTokenStore implements TokenStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcTokenStore.class);
    private static final String COMPONENT = "token-store";

    private final DataSource dataSource;
    private final Keys keys;
    private final Clock clock;
    private final String tokens;
    private final String leases;
    private final int timeoutSeconds;
    /** The database's time, in epoch milliseconds, as SQL; chosen when the store is opened. */
    private String databaseNow = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

    private JdbcTokenStore(Builder b) {
        this.dataSource = b.dataSource;
        this.keys = b.keys;
        this.clock = b.clock;
        this.tokens = b.prefix + "tokens";
        this.leases = b.prefix + "token_leases";
        this.timeoutSeconds = (int) Math.max(1, (b.statementTimeout.toMillis() + 999) / 1000);
    }

    /**
     * Opens the store with tables {@code switchboard_tokens} and {@code switchboard_token_leases}, creating or
     * upgrading them.
     */
    public static JdbcTokenStore open(DataSource dataSource, Keys keys, Clock clock) {
        return builder(dataSource, keys).clock(clock).open();
    }

    /**
     * Opens the store with tables {@code <prefix>tokens} and {@code <prefix>token_leases}, creating them if missing
     * and upgrading them to the schema version this code knows (an upgrade from version 1 re-seals every stored
     * credential with {@code keys}, whose master keys must include the ones that sealed them).
     *
     * @throws PermanentException if the tables are newer than this code knows, or a stored credential cannot be
     *     read with these keys (nothing is changed then)
     */
    public static JdbcTokenStore open(DataSource dataSource, Keys keys, Clock clock, String tablePrefix) {
        return builder(dataSource, keys).clock(clock).tablePrefix(tablePrefix).open();
    }

    /** A store over {@code dataSource}, sealing with {@code keys}; see {@link Builder} for the defaults. */
    public static Builder builder(DataSource dataSource, Keys keys) {
        return new Builder(dataSource, keys);
    }

    private JdbcSchema schema() {
        return JdbcSchema.builder("tokens:" + tokens)
                .recognize(tokens, leases)
                .version(
                        1,
                        "tokens and refresh leases",
                        c -> JdbcSchema.execute(
                                c,
                                "CREATE TABLE IF NOT EXISTS " + tokens
                                        + " (token_key VARCHAR(512) PRIMARY KEY, version BIGINT NOT NULL,"
                                        + " payload BYTEA NOT NULL, updated_at BIGINT NOT NULL)",
                                "CREATE TABLE IF NOT EXISTS " + leases
                                        + " (token_key VARCHAR(512) PRIMARY KEY, owner VARCHAR(200) NOT NULL,"
                                        + " expires_at BIGINT NOT NULL)"))
                .version(2, "payloads envelope-sealed with Keys", this::resealLegacyPayloads)
                .version(
                        3,
                        "tombstones, reauthorization marks, lease epochs; lease expiry in the database's time",
                        c -> JdbcSchema.execute(
                                c,
                                "ALTER TABLE " + tokens + " ALTER COLUMN payload DROP NOT NULL",
                                "ALTER TABLE " + tokens + " ADD COLUMN IF NOT EXISTS reauth_version BIGINT",
                                "ALTER TABLE " + leases + " ADD COLUMN IF NOT EXISTS epoch BIGINT DEFAULT 0 NOT NULL"))
                .build();
    }

    /** The upgrade to version 2: every payload sealed under a master key directly is sealed again with keys. */
    private void resealLegacyPayloads(Connection c) throws SQLException {
        record Row(String key, byte[] payload) {}
        List<Row> legacy = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT token_key, payload FROM " + tokens);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                byte[] payload = r.getBytes(2);
                if (payload != null && LegacyTokenBlob.isLegacy(payload)) {
                    legacy.add(new Row(r.getString(1), payload));
                }
            }
        }
        try (PreparedStatement s =
                c.prepareStatement("UPDATE " + tokens + " SET payload = ? WHERE token_key = ? AND payload = ?")) {
            for (Row row : legacy) {
                byte[] plain = LegacyTokenBlob.open(
                        keys.masterKeys(),
                        row.payload(),
                        context(row.key()),
                        "table " + tokens + " for '" + row.key() + "'");
                s.setBytes(1, seal(row.key(), plain));
                s.setString(2, row.key());
                s.setBytes(3, row.payload());
                s.executeUpdate();
            }
        }
        if (!legacy.isEmpty()) {
            log.info("Re-sealed {} stored credentials in {} with envelope encryption", legacy.size(), tokens);
        }
    }

    @Override
    public Optional<Credential> load(String key) {
        StoredRow row;
        try {
            row = Jdbc.autoCommit(dataSource, c -> {
                try (PreparedStatement s =
                        prepare(c, "SELECT version, payload FROM " + tokens + " WHERE token_key = ?")) {
                    s.setString(1, key);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next() ? new StoredRow(r.getLong(1), r.getBytes(2)) : null;
                    }
                }
            });
        } catch (SQLException e) {
            throw failure("load", e);
        }
        byte[] payload = row == null ? null : row.payload();
        if (row == null || payload == null) {
            return Optional.empty(); // never stored, or deleted
        }
        // Decoded after the connection went back: opening may read a data key through another connection.
        Credential credential;
        try {
            credential = decode(key, payload);
        } catch (KeyDestroyedException e) {
            // Its user was crypto-shredded: the grant is gone for good, so its payload goes too.
            log.info("The stored credential of '{}' was crypto-shredded (scope {}): deleted", key, e.scope());
            deleteVersion(key, row.version());
            return Optional.empty();
        }
        if (credential.version() != row.version()) {
            throw new PermanentException(
                    COMPONENT,
                    "load",
                    "the stored credential for '" + key
                            + "' does not match its row's version: the row was edited by hand; authorize the connection again");
        }
        return Optional.of(credential);
    }

    private record StoredRow(long version, byte @Nullable [] payload) {}

    @Override
    public long lastVersion(String key) {
        try {
            Long version = Jdbc.autoCommit(dataSource, c -> {
                try (PreparedStatement s = prepare(c, "SELECT version FROM " + tokens + " WHERE token_key = ?")) {
                    s.setString(1, key);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next() ? r.getLong(1) : null;
                    }
                }
            });
            return version == null ? 0 : version;
        } catch (SQLException e) {
            throw failure("load", e);
        }
    }

    private void deleteVersion(String key, long version) {
        try {
            Jdbc.autoCommit(dataSource, c -> {
                try (PreparedStatement s = prepare(
                        c,
                        "UPDATE " + tokens + " SET payload = NULL, reauth_version = NULL"
                                + " WHERE token_key = ? AND version = ? AND payload IS NOT NULL")) {
                    s.setString(1, key);
                    s.setLong(2, version);
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("delete", e);
        }
    }

    /** The database's time in epoch milliseconds, as an SQL expression. */
    private String now() {
        return databaseNow;
    }

    /** A statement with this store's timeout. */
    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            s.setQueryTimeout(timeoutSeconds);
        } catch (SQLException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private byte[] seal(String key, byte[] plain) {
        return keys.seal(TokenScopes.of(key), plain, context(key).getBytes(StandardCharsets.UTF_8));
    }

    private Credential decode(String key, byte[] blob) {
        byte[] plain;
        try {
            plain = keys.open(blob, context(key).getBytes(StandardCharsets.UTF_8));
        } catch (KeyDestroyedException e) {
            throw e;
        } catch (PermanentException e) {
            throw new PermanentException(
                    COMPONENT,
                    "load",
                    "the stored credential for '" + key + "' in table " + tokens + " cannot be read: "
                            + e.getMessage() + ". Nothing was changed: configure the right keys, or delete it and"
                            + " authorize the connection again");
        }
        try {
            return CredentialCodec.decode(plain);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new PermanentException(COMPONENT, "load", "the credential for '" + key + "' is malformed", e);
        }
    }

    private String context(String key) {
        return "switchboard-token-row:" + tokens + ":" + key;
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, Credential next) {
        TokenStore.checkNextVersion(expectedVersion, next);
        byte[] payload = seal(key, CredentialCodec.encode(next));
        try {
            return Jdbc.autoCommitValue(dataSource, c -> write(c, key, expectedVersion, next, payload, false));
        } catch (SQLException e) {
            throw failure("store", e);
        }
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, Credential next, TokenLease lease) {
        TokenStore.checkNextVersion(expectedVersion, next);
        byte[] payload = seal(key, CredentialCodec.encode(next));
        try {
            return Jdbc.inTransactionValue(dataSource, c -> {
                // Locks the lease row: a take-over waits for this transaction, then finds the new version.
                try (PreparedStatement s = prepare(
                        c,
                        "SELECT epoch FROM " + leases
                                + " WHERE token_key = ? AND owner = ? AND epoch = ? AND expires_at > " + now()
                                + " FOR UPDATE")) {
                    s.setString(1, key);
                    s.setString(2, lease.owner());
                    s.setLong(3, lease.epoch());
                    try (ResultSet r = s.executeQuery()) {
                        if (!r.next()) {
                            return false; // expired, released or taken over
                        }
                    }
                }
                return write(c, key, expectedVersion, next, payload, true);
            });
        } catch (SQLException e) {
            throw failure("store", e);
        }
    }

    @Override
    public boolean fencesWrites() {
        return true;
    }

    /**
     * The version-checked write. In a transaction a duplicate key is left to {@link Jdbc#inTransaction}, which runs
     * the transaction again (PostgreSQL aborts it at the error); the existence check before the insert makes that
     * rare.
     */
    private boolean write(
            Connection c, String key, long expectedVersion, Credential next, byte[] payload, boolean inTransaction)
            throws SQLException {
        if (expectedVersion == 0) {
            try (PreparedStatement s = prepare(c, "SELECT 1 FROM " + tokens + " WHERE token_key = ?")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return false; // stored, or deleted: its versions go on
                    }
                }
            }
            try (PreparedStatement s = prepare(
                    c, "INSERT INTO " + tokens + " (token_key, version, payload, updated_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, key);
                s.setLong(2, next.version());
                s.setBytes(3, payload);
                s.setLong(4, clock.millis());
                return s.executeUpdate() == 1;
            } catch (SQLException e) {
                if (!inTransaction && Jdbc.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        }
        try (PreparedStatement s = prepare(
                c,
                "UPDATE " + tokens + " SET version = ?, payload = ?, updated_at = ?, reauth_version = NULL"
                        + " WHERE token_key = ? AND version = ?")) {
            s.setLong(1, next.version());
            s.setBytes(2, payload);
            s.setLong(3, clock.millis());
            s.setString(4, key);
            s.setLong(5, expectedVersion);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public boolean delete(String key) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                try (PreparedStatement s = prepare(
                        c,
                        "UPDATE " + tokens + " SET payload = NULL, reauth_version = NULL, updated_at = ?"
                                + " WHERE token_key = ? AND payload IS NOT NULL")) {
                    s.setLong(1, clock.millis());
                    s.setString(2, key);
                    return s.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            throw failure("delete", e);
        }
    }

    @Override
    public boolean markNeedsReauthorization(String key, long version) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                try (PreparedStatement s = prepare(
                        c,
                        "UPDATE " + tokens + " SET reauth_version = ? WHERE token_key = ? AND version = ?"
                                + " AND payload IS NOT NULL AND (reauth_version IS NULL OR reauth_version <> ?)")) {
                    s.setLong(1, version);
                    s.setString(2, key);
                    s.setLong(3, version);
                    s.setLong(4, version);
                    return s.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            throw failure("mark", e);
        }
    }

    @Override
    public boolean needsReauthorization(String key, long version) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                try (PreparedStatement s = prepare(
                        c,
                        "SELECT 1 FROM " + tokens + " WHERE token_key = ? AND version = ? AND reauth_version = ?"
                                + " AND payload IS NOT NULL")) {
                    s.setString(1, key);
                    s.setLong(2, version);
                    s.setLong(3, version);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next();
                    }
                }
            });
        } catch (SQLException e) {
            throw failure("load", e);
        }
    }

    @Override
    public Optional<TokenLease> acquireLease(String key, String owner, Duration ttl) {
        try {
            return Jdbc.inTransactionValue(dataSource, c -> {
                try (PreparedStatement s = prepare(
                        c,
                        "SELECT owner, epoch, CASE WHEN expires_at <= " + now() + " THEN 1 ELSE 0 END FROM " + leases
                                + " WHERE token_key = ? FOR UPDATE")) {
                    s.setString(1, key);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            boolean free = owner.equals(r.getString(1)) || r.getInt(3) == 1;
                            if (!free) {
                                return Optional.<TokenLease>empty();
                            }
                            long epoch = r.getLong(2) + 1;
                            try (PreparedStatement u = prepare(
                                    c,
                                    "UPDATE " + leases + " SET owner = ?, epoch = ?, expires_at = " + now()
                                            + " + ? WHERE token_key = ?")) {
                                u.setString(1, owner);
                                u.setLong(2, epoch);
                                u.setLong(3, ttl.toMillis());
                                u.setString(4, key);
                                u.executeUpdate();
                            }
                            return Optional.of(new TokenLease(key, owner, epoch));
                        }
                    }
                }
                // No lease row yet. Two instances inserting at once: one gets a duplicate key, and its transaction
                // runs again (Jdbc.inTransaction) and finds the other's lease.
                try (PreparedStatement s = prepare(
                        c,
                        "INSERT INTO " + leases + " (token_key, owner, expires_at, epoch) VALUES (?, ?, " + now()
                                + " + ?, 1)")) {
                    s.setString(1, key);
                    s.setString(2, owner);
                    s.setLong(3, ttl.toMillis());
                    s.executeUpdate();
                }
                return Optional.of(new TokenLease(key, owner, 1));
            });
        } catch (SQLException e) {
            throw failure("lease", e);
        }
    }

    @Override
    public boolean tryLease(String key, String owner, Duration ttl) {
        return acquireLease(key, owner, ttl).isPresent();
    }

    @Override
    public boolean renewLease(TokenLease lease, Duration ttl) {
        return renew(lease.key(), lease.owner(), lease.epoch(), ttl);
    }

    @Override
    public boolean renewLease(String key, String owner, Duration ttl) {
        return renew(key, owner, null, ttl);
    }

    private boolean renew(String key, String owner, @Nullable Long epoch, Duration ttl) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                try (PreparedStatement s = prepare(
                        c,
                        "UPDATE " + leases + " SET expires_at = " + now() + " + ? WHERE token_key = ? AND owner = ?"
                                + (epoch == null ? "" : " AND epoch = ?") + " AND expires_at > " + now())) {
                    s.setLong(1, ttl.toMillis());
                    s.setString(2, key);
                    s.setString(3, owner);
                    if (epoch != null) {
                        s.setLong(4, epoch);
                    }
                    return s.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            throw failure("lease", e);
        }
    }

    @Override
    public void releaseLease(TokenLease lease) {
        release(lease.key(), lease.owner(), lease.epoch());
    }

    @Override
    public void releaseLease(String key, String owner) {
        release(key, owner, null);
    }

    /** Ends the lease at once; the row stays, so the next acquisition's epoch is greater. */
    private void release(String key, String owner, @Nullable Long epoch) {
        try {
            Jdbc.autoCommit(dataSource, c -> {
                try (PreparedStatement s = prepare(
                        c,
                        "UPDATE " + leases + " SET expires_at = 0 WHERE token_key = ? AND owner = ?"
                                + (epoch == null ? "" : " AND epoch = ?"))) {
                    s.setString(1, key);
                    s.setString(2, owner);
                    if (epoch != null) {
                        s.setLong(3, epoch);
                    }
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            // The lease expires by itself; failing the refresh for it would be worse.
            log.warn("Could not release the refresh lease of '{}' (SQLState {})", key, e.getSQLState());
        }
    }

    private SwitchboardException failure(String operation, SQLException e) {
        return Jdbc.failure(COMPONENT, operation, "the token tables " + tokens + " and " + leases, e);
    }

    @Override
    public String toString() {
        return "JdbcTokenStore[" + tokens + "]";
    }

    /** Opens a {@link JdbcTokenStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private final Keys keys;
        private Clock clock = Clock.systemUTC();
        private String prefix = "switchboard_";
        private Duration statementTimeout = Duration.ofSeconds(5);

        private Builder(DataSource dataSource, Keys keys) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.keys = Objects.requireNonNull(keys, "keys");
        }

        /** Stamps rows' {@code updated_at} (lease times are the database's). Default: the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Tables {@code <prefix>tokens} and {@code <prefix>token_leases} (default prefix {@code switchboard_}). */
        public Builder tablePrefix(String prefix) {
            if (!prefix.matches("[a-zA-Z0-9_]*")) {
                throw new IllegalArgumentException("table prefix must be letters, digits and '_': " + prefix);
            }
            this.prefix = prefix;
            return this;
        }

        /**
         * The longest any statement may run (default 5 s, whole seconds, at least 1); keep it well below the refresh
         * lease's ttl, so that renewing a lease cannot outlast it.
         */
        public Builder statementTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("statement timeout must be positive: " + timeout);
            }
            this.statementTimeout = timeout;
            return this;
        }

        /**
         * Opens the store, creating its tables or upgrading them to the schema version this code knows.
         *
         * @throws PermanentException if the tables are newer than this code knows, or a stored credential cannot be
         *     read with these keys (nothing is changed then)
         */
        public JdbcTokenStore open() {
            JdbcTokenStore store = new JdbcTokenStore(this);
            store.schema().migrate(dataSource);
            store.databaseNow = databaseTime(dataSource);
            return store;
        }

        /** The database's time in epoch milliseconds, as SQL: per statement in PostgreSQL, standard SQL elsewhere. */
        private static String databaseTime(DataSource dataSource) {
            try {
                String product =
                        Jdbc.autoCommitValue(dataSource, c -> c.getMetaData().getDatabaseProductName());
                return product.toLowerCase(java.util.Locale.ROOT).contains("postgres")
                        ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
                        : "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
            } catch (SQLException e) {
                throw Jdbc.failure(COMPONENT, "open", "the token database", e);
            }
        }
    }
}
