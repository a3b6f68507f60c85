package dev.switchboard.oauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenLease;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.keys.KeyProvider;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.storage.JdbcSchema;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.internal.CredentialCodec;
import dev.switchboard.oauth.internal.TokenScopes;
import dev.switchboard.oauth.support.LegacyBlobs;
import dev.switchboard.oauth.support.Postgres;
import dev.switchboard.oauth.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Token tables of schema version 1 (created here by hand with its DDL, rows sealed directly under a master key)
 * upgrade when a store opens them: every row is re-sealed with envelope encryption and still loads. Tables of schema
 * version 2 (the same DDL, envelope-sealed rows of credential format 1, leases expiring by the instances' clocks)
 * upgrade to version 3 with their data: tombstones, reauthorization marks and lease epochs work on the old rows, and a
 * lease taken before the upgrade is still held.
 */
class JdbcTokenStoreUpgradeTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));

    private static final Credential SHARED = Credential.builder("shared-access")
            .refreshToken("shared-refresh")
            .version(3)
            .expiresAt(Instant.parse("2026-01-01T01:00:00Z"))
            .attributes(Map.of("instance_url", "https://example.my.salesforce.com"))
            .build();
    private static final Credential USER =
            Credential.builder("user-access").version(1).build();

    /** The version 1 DDL, as JdbcTokenStore created it before schema versions. */
    private static void createVersion1(Connection c, String prefix) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + prefix + "tokens (token_key VARCHAR(512) PRIMARY KEY,"
                    + " version BIGINT NOT NULL, payload BYTEA NOT NULL, updated_at BIGINT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + prefix + "token_leases (token_key VARCHAR(512) PRIMARY KEY,"
                    + " owner VARCHAR(200) NOT NULL, expires_at BIGINT NOT NULL)");
        }
    }

    private static void insert(Connection c, String prefix, String key, Credential credential) throws Exception {
        byte[] payload = LegacyBlobs.seal(
                TestKeys.K1,
                "k1",
                CredentialCodec.encode(credential),
                "switchboard-token-row:" + prefix + "tokens:" + key);
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO " + prefix + "tokens (token_key, version, payload, updated_at) VALUES (?, ?, ?, ?)")) {
            s.setString(1, key);
            s.setLong(2, credential.version());
            s.setBytes(3, payload);
            s.setLong(4, 1_700_000_000_000L);
            s.executeUpdate();
        }
    }

    private void upgradesWithItsData(DataSource ds) throws Exception {
        String prefix = "v1_" + TABLES.incrementAndGet() + "_";
        try (Connection c = ds.getConnection()) {
            createVersion1(c, prefix);
            insert(c, prefix, "crm", SHARED);
            insert(c, prefix, "crm/t-1/u-1", USER);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + prefix + "token_leases VALUES ('crm', 'instance-a', 1700000000000)");
            }
        }

        // a master key missing for the old rows: the upgrade refuses and changes nothing
        assertThatThrownBy(() -> JdbcTokenStore.open(
                        ds, TestKeys.in(ds, prefix, KeyProvider.of("k2", TestKeys.K2)), clock, prefix))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("'k1'");
        assertThat(payloadMagics(ds, prefix)).containsOnly("SBT1");

        JdbcTokenStore store = JdbcTokenStore.open(ds, TestKeys.in(ds, prefix), clock, prefix);
        assertThat(store.load("crm")).contains(SHARED);
        assertThat(store.load("crm/t-1/u-1")).contains(USER);
        assertThat(payloadMagics(ds, prefix)).containsOnly("SBE1"); // no old-format blob remains
        assertThat(JdbcSchema.installedVersion(ds, "tokens:" + prefix + "tokens"))
                .hasValue(3);
        // leases came through as they were
        assertThat(store.tryLease("crm", "instance-b", Duration.ofSeconds(30))).isTrue();
        // and the store works on
        assertThat(store.compareAndSet("crm", 3, SHARED.newBuilder().version(4).build()))
                .isTrue();
        assertThat(JdbcTokenStore.open(ds, TestKeys.in(ds, prefix), clock, prefix)
                        .load("crm"))
                .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo(4));
    }

    private static java.util.List<String> payloadMagics(DataSource ds, String prefix) throws Exception {
        java.util.List<String> magics = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT payload FROM " + prefix + "tokens")) {
            while (r.next()) {
                magics.add(new String(r.getBytes(1), 0, 4, StandardCharsets.US_ASCII));
            }
        }
        return magics;
    }

    @Test
    void aVersion1TableUpgradesWithItsDataOnH2() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tokens-v1-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        upgradesWithItsData(ds);
    }

    @Test
    void aVersion1TableUpgradesWithItsDataOnPostgres() throws Exception {
        upgradesWithItsData(Postgres.newDataSource());
    }

    /** Version 2 as it was: version 1's DDL, recorded as version 2, rows envelope-sealed in credential format 1. */
    private static void createVersion2(DataSource ds, String prefix, Map<String, Credential> rows, long leaseExpiresAt)
            throws Exception {
        Keys keys = TestKeys.in(ds, prefix);
        try (Connection c = ds.getConnection()) {
            createVersion1(c, prefix);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + JdbcSchema.VERSIONS_TABLE
                        + " (component VARCHAR(255) PRIMARY KEY, version INT NOT NULL)");
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO " + JdbcSchema.VERSIONS_TABLE + " (component, version) VALUES (?, 2)")) {
                s.setString(1, "tokens:" + prefix + "tokens");
                s.executeUpdate();
            }
            for (Map.Entry<String, Credential> row : rows.entrySet()) {
                byte[] payload = keys.seal(
                        TokenScopes.of(row.getKey()),
                        CredentialCodec.encodeFormat1(row.getValue()),
                        ("switchboard-token-row:" + prefix + "tokens:" + row.getKey())
                                .getBytes(StandardCharsets.UTF_8));
                try (PreparedStatement s = c.prepareStatement("INSERT INTO " + prefix
                        + "tokens (token_key, version, payload, updated_at) VALUES (?, ?, ?, ?)")) {
                    s.setString(1, row.getKey());
                    s.setLong(2, row.getValue().version());
                    s.setBytes(3, payload);
                    s.setLong(4, 1_700_000_000_000L);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + prefix
                    + "token_leases (token_key, owner, expires_at) VALUES ('crm', 'instance-a', ?)")) {
                s.setLong(1, leaseExpiresAt);
                s.executeUpdate();
            }
        }
    }

    private void version2UpgradesWithItsData(DataSource ds) throws Exception {
        String prefix = "v2_" + TABLES.incrementAndGet() + "_";
        // A lease taken by an instance's clock a minute before it runs out, as version 2 wrote it.
        createVersion2(ds, prefix, Map.of("crm", SHARED, "crm/t-1/u-1", USER), System.currentTimeMillis() + 60_000);

        JdbcTokenStore store = JdbcTokenStore.open(ds, TestKeys.in(ds, prefix), clock, prefix);

        assertThat(JdbcSchema.installedVersion(ds, "tokens:" + prefix + "tokens"))
                .hasValue(3);
        assertThat(store.load("crm")).contains(SHARED);
        assertThat(store.load("crm/t-1/u-1")).contains(USER);
        // the lease taken before the upgrade is still held, and its owner's next acquisition gets an epoch
        assertThat(store.tryLease("crm", "instance-b", Duration.ofSeconds(30))).isFalse();
        TokenLease lease =
                store.acquireLease("crm", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        assertThat(lease.epoch()).isPositive();
        assertThat(store.compareAndSet("crm", 3, SHARED.newBuilder().version(4).build(), lease))
                .isTrue();
        // marks and tombstones on the old rows
        assertThat(store.markNeedsReauthorization("crm/t-1/u-1", 1)).isTrue();
        assertThat(store.needsReauthorization("crm/t-1/u-1", 1)).isTrue();
        assertThat(store.delete("crm/t-1/u-1")).isTrue();
        assertThat(store.lastVersion("crm/t-1/u-1")).isEqualTo(1);
        assertThat(store.compareAndSet("crm/t-1/u-1", 0, USER)).isFalse();
        // and a store opened again finds it all as it was left
        JdbcTokenStore again = JdbcTokenStore.open(ds, TestKeys.in(ds, prefix), clock, prefix);
        assertThat(again.load("crm"))
                .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo(4));
        assertThat(again.load("crm/t-1/u-1")).isEmpty();
        assertThat(again.lastVersion("crm/t-1/u-1")).isEqualTo(1);
    }

    @Test
    void aVersion2TableUpgradesWithItsDataOnH2() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tokens-v2-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        version2UpgradesWithItsData(ds);
    }

    @Test
    void aVersion2TableUpgradesWithItsDataOnPostgres() throws Exception {
        version2UpgradesWithItsData(Postgres.newDataSource());
    }
}
