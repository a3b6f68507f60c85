package dev.switchboard.testkit.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.drift.JdbcQuarantineStore;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.model.Record;
import dev.switchboard.testkit.QuarantineStoreContract;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class H2JdbcQuarantineStoreTest extends QuarantineStoreContract {
    private String url;

    private JdbcDataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        return ds;
    }

    @Override
    protected QuarantineStore createStore() {
        url = "jdbc:h2:mem:quarantine-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        return JdbcQuarantineStore.builder(dataSource()).build().createTableIfMissing();
    }

    @Override
    protected QuarantineStore reopen() {
        return JdbcQuarantineStore.builder(dataSource()).build().createTableIfMissing();
    }

    @Test
    void aMissingTableIsAPermanentErrorSayingHowToCreateIt() {
        JdbcQuarantineStore fresh = JdbcQuarantineStore.builder(dataSource())
                .table("ops_quarantine")
                .build();
        assertThatThrownBy(() -> fresh.put(quarantined("c-1", "v1", T0)))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("ops_quarantine")
                .hasMessageContaining("createTableIfMissing()")
                .hasMessageNotContaining("Zoë");
        assertThat(fresh.createTableIfMissing().count(CONNECTION, STREAM)).isZero();
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
    void aRowEditedByHandIsAClearErrorNamingTheRowNotItsValues() throws Exception {
        store.put(quarantined("c-1", "v1", T0));
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE switchboard_quarantine SET data = '{\"name\": \"Zoë\", ' WHERE record_id = 'c-1'");
        }
        assertThatThrownBy(() -> store.list(CONNECTION, STREAM))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("record 'c-1' of stream 'contacts' of connection 'crm-acme'")
                .hasMessageContaining("fix or delete the row")
                .hasMessageNotContaining("Zoë")
                .hasNoCause();
    }

    @Test
    void theRecordIsStoredAsReadableJsonText() throws Exception {
        QuarantinedRecord kept = quarantined("c-1", "v1", T0);
        store.put(kept);
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement();
                var r = s.executeQuery("SELECT data, drifts, quarantined_at, policy FROM switchboard_quarantine")) {
            assertThat(r.next()).isTrue();
            Record record = kept.record();
            assertThat(dev.switchboard.core.json.Json.parse(r.getString(1))).isEqualTo(record.data());
            assertThat(r.getString(2)).contains("\"kind\":\"TYPE_CHANGED\"", "\"field\":\"amount\"");
            assertThat(r.getString(3)).isEqualTo("2026-03-01T10:15:30.123456789Z");
            assertThat(r.getString(4)).isEqualTo("QUARANTINE");
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
        assertThat(builder.table("ops.quarantine").build().table()).isEqualTo("ops.quarantine");
    }
}
