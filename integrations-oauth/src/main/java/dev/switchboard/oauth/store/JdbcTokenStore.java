package dev.switchboard.oauth.store;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.oauth.internal.CredentialCodec;
import dev.switchboard.oauth.internal.Sealer;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} in a SQL database: H2 for one instance, PostgreSQL for several instances
 * sharing it. Credentials are sealed with AES-256-GCM exactly like {@link EncryptedFileTokenStore}
 * (the row's key is authenticated too, so a blob cannot be copied to another row). Versions are
 * compared and set in one {@code UPDATE ... WHERE version = ?}; the refresh lease is a row per key
 * with owner and expiry, taken with a conditional {@code UPDATE} or an {@code INSERT}, renewed and
 * released only by its owner. Every statement runs in auto-commit.
 *
 * <p>Tables (created if missing): {@code <prefix>tokens(token_key, version, payload)} and
 * {@code <prefix>token_leases(token_key, owner, expires_at)}; expiry is epoch milliseconds by the
 * injected clock, so instances need roughly synchronized clocks (well within the lease ttl).
 */
public final class JdbcTokenStore implements TokenStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcTokenStore.class);

    private final DataSource dataSource;
    private final Sealer sealer;
    private final Clock clock;
    private final String tokens;
    private final String leases;

    private JdbcTokenStore(DataSource dataSource, KeyProvider keys, Clock clock, String prefix) {
        this.dataSource = dataSource;
        this.sealer = new Sealer(keys, new SecureRandom());
        this.clock = clock;
        if (!prefix.matches("[a-zA-Z0-9_]*")) {
            throw new IllegalArgumentException("table prefix must be letters, digits and '_': " + prefix);
        }
        this.tokens = prefix + "tokens";
        this.leases = prefix + "token_leases";
    }

    /** Opens the store with tables {@code switchboard_tokens} and {@code switchboard_token_leases}. */
    public static JdbcTokenStore open(DataSource dataSource, KeyProvider keys, Clock clock) {
        return open(dataSource, keys, clock, "switchboard_");
    }

    /** Opens the store with tables {@code <prefix>tokens} and {@code <prefix>token_leases}, creating them if missing. */
    public static JdbcTokenStore open(DataSource dataSource, KeyProvider keys, Clock clock, String tablePrefix) {
        JdbcTokenStore store = new JdbcTokenStore(dataSource, keys, clock, tablePrefix);
        store.createTables();
        return store;
    }

    private void createTables() {
        String[] ddl = {
            "CREATE TABLE IF NOT EXISTS " + tokens + " (token_key VARCHAR(512) PRIMARY KEY, version BIGINT NOT NULL,"
                    + " payload BYTEA NOT NULL, updated_at BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS " + leases
                    + " (token_key VARCHAR(512) PRIMARY KEY, owner VARCHAR(200) NOT NULL,"
                    + " expires_at BIGINT NOT NULL)"
        };
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                for (String sql : ddl) {
                    s.execute(sql);
                }
                return;
            } catch (SQLException e) {
                // Several instances starting at once can race on CREATE TABLE IF NOT EXISTS in PostgreSQL.
                if (attempt >= 3) {
                    throw failure("open", e);
                }
            }
        }
    }

    @Override
    public Optional<Credential> load(String key) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT version, payload FROM " + tokens + " WHERE token_key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                long version = r.getLong(1);
                Credential credential = decode(key, r.getBytes(2));
                if (credential.version() != version) {
                    throw new PermanentException(
                            "token-store",
                            "load",
                            "the stored credential for '" + key
                                    + "' does not match its row's version: the row was edited by hand; authorize the connection again");
                }
                return Optional.of(credential);
            }
        } catch (SQLException e) {
            throw failure("load", e);
        }
    }

    private Credential decode(String key, byte[] blob) {
        byte[] plain = sealer.open(blob, context(key), "table " + tokens + " for '" + key + "'");
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
        byte[] payload = sealer.seal(CredentialCodec.encode(next), context(key));
        try (Connection c = dataSource.getConnection()) {
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
        try (Connection c = dataSource.getConnection();
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
        try (Connection c = dataSource.getConnection()) {
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
        try (Connection c = dataSource.getConnection();
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
        try (Connection c = dataSource.getConnection();
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
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) { // unique violation, in PostgreSQL and H2 alike
                return true;
            }
        }
        return false;
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
