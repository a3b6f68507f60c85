package dev.switchboard.oauth.store;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.KeyDestroyedException;
import dev.switchboard.core.error.PermanentException;
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
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} in a SQL database: H2 for one instance, PostgreSQL for several instances
 * sharing it. Credentials are sealed with {@link Keys} (envelope encryption: AES-256-GCM under a data key per scope,
 * the row's key authenticated too, so a blob cannot be copied to another row); a {@code PER_PRINCIPAL} grant
 * ({@code connection/tenant/user}) is sealed under its user's scope ({@code KeyScope.user}), so crypto-shredding the
 * user makes it unreadable, and {@link #load} then treats it as deleted; other grants under
 * {@code switchboard/tokens}. Versions are compared and set in one {@code UPDATE ... WHERE version = ?}; the
 * refresh lease is a row per key with owner and expiry, taken with a conditional {@code UPDATE} or an
 * {@code INSERT}, renewed and released only by its owner. Every statement runs in auto-commit, set on each
 * connection.
 *
 * <p>Tables, created or upgraded when the store is opened ({@link JdbcSchema}, component
 * {@code tokens:<prefix>}): {@code <prefix>tokens(token_key, version, payload, updated_at)} and
 * {@code <prefix>token_leases(token_key, owner, expires_at)}; expiry is epoch milliseconds by the injected clock,
 * so instances need roughly synchronized clocks (well within the lease ttl). Schema version 1 held payloads sealed
 * directly under a master key; version 2 holds envelope-sealed payloads, and the upgrade re-seals every row.
 */
public final class JdbcTokenStore implements TokenStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcTokenStore.class);

    private final DataSource dataSource;
    private final Keys keys;
    private final Clock clock;
    private final String tokens;
    private final String leases;

    private JdbcTokenStore(DataSource dataSource, Keys keys, Clock clock, String prefix) {
        this.dataSource = dataSource;
        this.keys = keys;
        this.clock = clock;
        if (!prefix.matches("[a-zA-Z0-9_]*")) {
            throw new IllegalArgumentException("table prefix must be letters, digits and '_': " + prefix);
        }
        this.tokens = prefix + "tokens";
        this.leases = prefix + "token_leases";
    }

    /**
     * Opens the store with tables {@code switchboard_tokens} and {@code switchboard_token_leases}, creating or
     * upgrading them.
     */
    public static JdbcTokenStore open(DataSource dataSource, Keys keys, Clock clock) {
        return open(dataSource, keys, clock, "switchboard_");
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
        JdbcTokenStore store = new JdbcTokenStore(dataSource, keys, clock, tablePrefix);
        store.schema().migrate(dataSource);
        return store;
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
                if (LegacyTokenBlob.isLegacy(payload)) {
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
        long version;
        byte[] payload;
        try (Connection c = autoCommit();
                PreparedStatement s =
                        c.prepareStatement("SELECT version, payload FROM " + tokens + " WHERE token_key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                version = r.getLong(1);
                payload = r.getBytes(2);
            }
        } catch (SQLException e) {
            throw failure("load", e);
        }
        // Decoded after the connection went back: opening may read a data key through another connection.
        Credential credential;
        try {
            credential = decode(key, payload);
        } catch (KeyDestroyedException e) {
            // Its user was crypto-shredded: the grant is gone for good, so the row goes too.
            log.info("The stored credential of '{}' was crypto-shredded (scope {}): deleted", key, e.scope());
            deleteVersion(key, version);
            return Optional.empty();
        }
        if (credential.version() != version) {
            throw new PermanentException(
                    "token-store",
                    "load",
                    "the stored credential for '" + key
                            + "' does not match its row's version: the row was edited by hand; authorize the connection again");
        }
        return Optional.of(credential);
    }

    private void deleteVersion(String key, long version) {
        try (Connection c = autoCommit();
                PreparedStatement s =
                        c.prepareStatement("DELETE FROM " + tokens + " WHERE token_key = ? AND version = ?")) {
            s.setString(1, key);
            s.setLong(2, version);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure("delete", e);
        }
    }

    /**
     * A connection in auto-commit mode at {@code READ COMMITTED}, set explicitly: a pool may hand out one left in a
     * transaction, or at {@code SERIALIZABLE}, where PostgreSQL fails concurrent updates of one row.
     */
    private Connection autoCommit() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
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
                    "token-store",
                    "load",
                    "the stored credential for '" + key + "' in table " + tokens + " cannot be read: "
                            + e.getMessage() + ". Nothing was changed: configure the right keys, or delete it and"
                            + " authorize the connection again");
        }
        try {
            return CredentialCodec.decode(plain);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new PermanentException("token-store", "load", "the credential for '" + key + "' is malformed", e);
        }
    }

    private String context(String key) {
        return "switchboard-token-row:" + tokens + ":" + key;
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, Credential next) {
        TokenStore.checkNextVersion(expectedVersion, next);
        byte[] payload = seal(key, CredentialCodec.encode(next));
        try (Connection c = autoCommit()) {
            if (expectedVersion == 0) {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO " + tokens + " (token_key, version, payload, updated_at) VALUES (?, ?, ?, ?)")) {
                    s.setString(1, key);
                    s.setLong(2, next.version());
                    s.setBytes(3, payload);
                    s.setLong(4, clock.millis());
                    return s.executeUpdate() == 1;
                } catch (SQLException e) {
                    if (isDuplicateKey(e)) {
                        return false;
                    }
                    throw e;
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE " + tokens
                    + " SET version = ?, payload = ?, updated_at = ? WHERE token_key = ? AND version = ?")) {
                s.setLong(1, next.version());
                s.setBytes(2, payload);
                s.setLong(3, clock.millis());
                s.setString(4, key);
                s.setLong(5, expectedVersion);
                return s.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            throw failure("store", e);
        }
    }

    @Override
    public boolean delete(String key) {
        try (Connection c = autoCommit();
                PreparedStatement s = c.prepareStatement("DELETE FROM " + tokens + " WHERE token_key = ?")) {
            s.setString(1, key);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("delete", e);
        }
    }

    @Override
    public boolean tryLease(String key, String owner, Duration ttl) {
        long now = clock.millis();
        try (Connection c = autoCommit()) {
            try (PreparedStatement s = c.prepareStatement("UPDATE " + leases
                    + " SET owner = ?, expires_at = ? WHERE token_key = ? AND (owner = ? OR expires_at <= ?)")) {
                s.setString(1, owner);
                s.setLong(2, now + ttl.toMillis());
                s.setString(3, key);
                s.setString(4, owner);
                s.setLong(5, now);
                if (s.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement s =
                    c.prepareStatement("INSERT INTO " + leases + " (token_key, owner, expires_at) VALUES (?, ?, ?)")) {
                s.setString(1, key);
                s.setString(2, owner);
                s.setLong(3, now + ttl.toMillis());
                return s.executeUpdate() == 1;
            } catch (SQLException e) {
                if (isDuplicateKey(e)) {
                    return false; // held by another owner
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure("lease", e);
        }
    }

    @Override
    public boolean renewLease(String key, String owner, Duration ttl) {
        long now = clock.millis();
        try (Connection c = autoCommit();
                PreparedStatement s = c.prepareStatement("UPDATE " + leases
                        + " SET expires_at = ? WHERE token_key = ? AND owner = ? AND expires_at > ?")) {
            s.setLong(1, now + ttl.toMillis());
            s.setString(2, key);
            s.setString(3, owner);
            s.setLong(4, now);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("lease", e);
        }
    }

    @Override
    public void releaseLease(String key, String owner) {
        try (Connection c = autoCommit();
                PreparedStatement s =
                        c.prepareStatement("DELETE FROM " + leases + " WHERE token_key = ? AND owner = ?")) {
            s.setString(1, key);
            s.setString(2, owner);
            s.executeUpdate();
        } catch (SQLException e) {
            // The lease expires by itself; failing the refresh for it would be worse.
            log.warn("Could not release the refresh lease of '{}': {}", key, e.toString());
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        return Jdbc.isDuplicateKey(e); // unique violation, in PostgreSQL and H2 alike
    }

    private TransientException failure(String operation, SQLException e) {
        return new TransientException(
                "token-store",
                operation,
                "the token database failed (SQLState " + e.getSQLState()
                        + "); stored credentials are unchanged, try again: " + e.getMessage(),
                e);
    }

    @Override
    public String toString() {
        return "JdbcTokenStore[" + tokens + "]";
    }
}
