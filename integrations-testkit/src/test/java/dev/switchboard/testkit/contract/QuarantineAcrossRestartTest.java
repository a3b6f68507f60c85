package dev.switchboard.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.drift.JdbcQuarantineStore;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.drift.QuarantineView;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.RecordedVendor;
import dev.switchboard.testkit.fake.Recording;
import dev.switchboard.testkit.support.TestKeys;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quarantine end to end on a durable store: a read under QUARANTINE keeps the records that break
 * the contract in an H2 table, and a new Switchboard (as after a restart) on the same database lists
 * and releases them.
 */
class QuarantineAcrossRestartTest {
    /** The catalog's first page with one price retyped to text and one status the contract never listed. */
    @RegisterExtension
    static final RecordedVendor CATALOG = new RecordedVendor(Recording.fromClasspath("recordings/catalog")
            .set("GET", "/items", "/items/0/price", new JsonString("12.50"))
            .set("GET", "/items", "/items/1/status", new JsonString("recalled")));

    private final String url = "jdbc:h2:mem:quarantine-e2e-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    private QuarantineStore store() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        // the same master key and data keys in the same database: what the first instance sealed, the next opens
        return JdbcQuarantineStore.builder(ds).keys(TestKeys.in(ds)).build();
    }

    private FakeConnection connection(QuarantineStore store) {
        return FakeConnection.to(CATALOG, "catalog")
                .connector(new CatalogConnector())
                .driftPolicy(DriftPolicy.QUARANTINE)
                .quarantineStore(store)
                .build();
    }

    @Test
    void quarantinedRecordsOutliveTheSwitchboardThatKeptThemAndCanBeReleased() {
        List<Record> delivered;
        try (FakeConnection first = connection(store())) {
            delivered = first.readAll(ReadRequest.of("items"));
        }
        assertThat(delivered).extracting(Record::id).containsExactly("i3");

        try (FakeConnection restarted = connection(store())) {
            QuarantineView quarantine = restarted.switchboard().quarantine(restarted.context());
            String connection = restarted.connection().id();
            List<QuarantinedRecord> kept = quarantine.list(connection, "items");
            assertThat(kept)
                    .extracting(QuarantinedRecord::id, QuarantinedRecord::connector, QuarantinedRecord::policy)
                    .containsExactly(
                            tuple("i1", "catalog", DriftPolicy.QUARANTINE),
                            tuple("i2", "catalog", DriftPolicy.QUARANTINE));
            assertThat(kept.get(0).drifts())
                    .extracting(Drift::field, Drift::kind)
                    .containsExactly(tuple("price", Drift.Kind.TYPE_CHANGED));
            assertThat(kept.get(1).drifts())
                    .extracting(Drift::field, Drift::kind)
                    .containsExactly(tuple("status", Drift.Kind.UNKNOWN_VALUE));
            assertThat(kept.get(0).record().data().string("price")).isEqualTo("12.50"); // kept as read, never coerced
            assertThat(kept.get(0).reason()).contains("price").doesNotContain("12.50");

            assertThat(quarantine.release(connection, "items", "i1"))
                    .hasValueSatisfying(q -> assertThat(q).isEqualTo(kept.get(0)));
            assertThat(quarantine.list(connection, "items")).hasSize(1);
        }
        assertThat(store().list("fake-connection", "items"))
                .extracting(QuarantinedRecord::id)
                .containsExactly("i2");
    }
}
