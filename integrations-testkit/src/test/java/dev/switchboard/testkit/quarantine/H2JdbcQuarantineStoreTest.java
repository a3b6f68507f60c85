package dev.switchboard.testkit.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.drift.JdbcQuarantineStore;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.storage.JdbcSchema;
import dev.switchboard.testkit.QuarantineStoreContract;
import dev.switchboard.testkit.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class H2JdbcQuarantineStoreTest extends QuarantineStoreContract {
    private String url;
    private Keys keys;

    private JdbcDataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        return ds;
    }

    @Override
    protected QuarantineStore createStore() {
        url = "jdbc:h2:mem:quarantine-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        keys = TestKeys.in(dataSource());
        return JdbcQuarantineStore.builder(dataSource()).keys(keys).build();
    }

    @Override
    protected QuarantineStore reopen() {
        return JdbcQuarantineStore.builder(dataSource())
                .keys(TestKeys.in(dataSource()))
                .build();
    }

    @Test
    void buildingWithoutKeysFailsAndSaysHowToGetThem() {
        assertThatThrownBy(() -> JdbcQuarantineStore.builder(dataSource()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs keys")
                .hasMessageContaining("KeyProvider.fromEnvironment")
                .hasMessageContaining("Keys.ephemeral()");
    }

    @Test
    void buildCreatesTheTableAtTheNewestSchemaVersion() {
        JdbcQuarantineStore fresh = JdbcQuarantineStore.builder(dataSource())
                .table("ops_quarantine")
                .keys(keys)
                .build();
        assertThat(fresh.count(CONNECTION, STREAM)).isZero();
        assertThat(JdbcSchema.installedVersion(dataSource(), "quarantine:ops_quarantine"))
                .hasValue(2);
    }

    @Test
    void aValueThatDoesNotFitIsRefusedWithoutQuotingIt() {
        String secretish = "v-" + "s3cr3t".repeat(100); // longer than the version column
        QuarantinedRecord tooLong = quarantined("c-1", secretish, T0);
        assertThatThrownBy(() -> store.put(tooLong))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("does not fit")
                .hasMessageNotContaining("s3cr3t")
                .hasNoCause();
        assertThat(store.count(CONNECTION, STREAM)).isZero();
    }

    @Test
    void aSealedValueEditedOrMovedByHandIsAClearErrorNamingTheRowNotItsValues() throws Exception {
        store.put(quarantined("c-1", "v1", T0));
        store.put(quarantined("c-2", "v1", T0));
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE switchboard_quarantine SET sealed ="
                    + " (SELECT sealed FROM switchboard_quarantine WHERE record_id = 'c-2') WHERE record_id = 'c-1'");
        }
        assertThatThrownBy(() -> store.list(CONNECTION, STREAM))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("record 'c-1' of stream 'contacts' of connection 'crm-acme'")
                .hasMessageContaining("integrity check")
                .hasMessageNotContaining("Zoë")
                .hasNoCause();
    }

    @Test
    void theRecordsDataAndAclAreSealedUnderItsTenantsKey() throws Exception {
        QuarantinedRecord kept = quarantined("c-1", "v1", T0);
        store.put(kept);
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM switchboard_quarantine")) {
            assertThat(r.next()).isTrue();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                columns.add(r.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(columns).contains("sealed", "drifts", "policy").doesNotContain("data", "acl");
            byte[] sealed = r.getBytes("sealed");
            String raw = new String(sealed, StandardCharsets.UTF_8);
            assertThat(raw).doesNotContain("Zoë", "Straße", "owner-9", "support");
            assertThat(Keys.scopeOf(sealed)).isEqualTo(KeyScope.tenant("tenant-7"));
            assertThat(r.getString("drifts")).contains("\"kind\":\"TYPE_CHANGED\"", "\"field\":\"amount\"");
            assertThat(r.getString("quarantined_at")).isEqualTo("2026-03-01T10:15:30.123456789Z");
        }
    }

    @Test
    void aCryptoShreddedTenantsRecordsAreGoneAndOthersStay() throws Exception {
        store.put(quarantined("c-1", "v1", T0));
        Record unowned = Record.builder().stream(STREAM)
                .id("no-acl")
                .source(new RecordSource("hubspot", CONNECTION, STREAM))
                .data(awkwardData())
                .build();
        QuarantinedRecord withoutAcl = new QuarantinedRecord(
                CONNECTION, "hubspot", STREAM, unowned, List.of(), dev.switchboard.core.DriftPolicy.QUARANTINE, "", T0);
        store.put(withoutAcl);
        store.put(quarantined("c-2", "v1", T0));

        assertThat(keys.destroy(KeyScope.tenant("tenant-7"))).isEqualTo(1);
        assertThat(store.list(CONNECTION, STREAM)).containsExactly(withoutAcl);
        assertThat(store.count(CONNECTION, STREAM)).isEqualTo(1); // their rows were removed
        store.put(quarantined("c-3", "v1", T0)); // the tenant's new records get a new data key
        assertThat(store.list(CONNECTION, STREAM))
                .extracting(QuarantinedRecord::id)
                .containsExactly("no-acl", "c-3");
        try (Connection c = dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM switchboard_quarantine")) {
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void tableNamesThatCouldInjectSqlAreRefused() {
        JdbcQuarantineStore.Builder builder = JdbcQuarantineStore.builder(dataSource());
        for (String bad : new String[] {"", "1table", "q; DROP TABLE x", "a.b.c", "quarantine-records"}) {
            assertThatThrownBy(() -> builder.table(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("letters, digits and '_'");
        }
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS ops");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(builder.table("ops.quarantine").keys(keys).build().table()).isEqualTo("ops.quarantine");
    }
}
