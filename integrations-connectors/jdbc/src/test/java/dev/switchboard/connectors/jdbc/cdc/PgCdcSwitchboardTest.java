package dev.switchboard.connectors.jdbc.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connectors.jdbc.JdbcConnector;
import dev.switchboard.connectors.jdbc.JdbcQuery;
import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.connectors.jdbc.cdc.CdcTesting.Db;
import dev.switchboard.connectors.jdbc.support.TestDatabases;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.cache.ReadCache;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.model.Record;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The change feed as an application meets it: a {@code jdbc} connection with {@code cdc.streams}, followed by
 * {@code Switchboard.subscribe}. Each change's record is the row exactly as a read returns it (id, data, version,
 * ACL), so a consumer holding either applies the other by (id, version).
 */
class PgCdcSwitchboardTest {
    private static final AgentContext INDEXER = AgentContext.of(Principal.system("indexer"));
    private static final AgentContext ANA = AgentContext.of(Principal.user("ana", "acme"));

    /** Every kind of column the connector maps, a tenant column and a soft-delete column. */
    private static final String ITEMS = "CREATE TABLE public.items (id BIGINT PRIMARY KEY, amount NUMERIC(30,10),"
            + " at TIMESTAMPTZ, local_at TIMESTAMP, day DATE, clock TIME, ref UUID, doc JSONB, raw_doc JSON,"
            + " counts INT[], tags TEXT[], bytes BYTEA, active BOOLEAN, small SMALLINT, ratio DOUBLE PRECISION,"
            + " part REAL, name TEXT, missing TEXT, tenant_id TEXT NOT NULL, deleted_at TIMESTAMPTZ)";

    /** A composite key of text (with the id separator in it) and a non-integer number. */
    private static final String PAIRS = "CREATE TABLE public.pairs (code TEXT, rev NUMERIC(6,2), note TEXT,"
            + " tenant_id TEXT NOT NULL, PRIMARY KEY (code, rev))";

    private static final String ROW_1 = "INSERT INTO items VALUES (1, 12345678901234567890.0123456789,"
            + " '2024-03-01 12:34:56.789+02', '2024-03-01 12:34:56', '2024-03-01', '12:34:56',"
            + " 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{\"a\": [1, 2.5, 1e3], \"b\": null}', '{\"x\": \"y\"}',"
            + " '{1,2,NULL}', '{\"a,b\",\"c\\\"d\",NULL,plain}', '\\x0102ff', true, 7, 0.1, 1.5, 'Zoë', NULL,"
            + " 'acme', NULL)";

    @Test
    void aChangeCommittedAfterSubscribeReturnedArrivesAsTheRowAReadReturns() {
        Db db = Db.fresh();
        db.sql(ITEMS, PAIRS);
        try (Switchboard sb = switchboard(db, "items,pairs", Map.of()).build()) {
            List<ChangeEvent> events = new CopyOnWriteArrayList<>();
            try (Subscription sub = sb.subscribe(INDEXER, manual("items", "pairs"), events::add)) {
                // Committed before the first poll: the slot must already be capturing when subscribe returns.
                db.sql(
                        ROW_1,
                        "INSERT INTO items (id, amount, name, tenant_id) VALUES (2, -0.5000000000, 'two', 'globex')",
                        "INSERT INTO pairs VALUES ('a/b c', 1.50, 'first', 'acme'), ('a', 2.00, 'second', 'acme')",
                        "UPDATE items SET name = 'renamed', amount = 0.1 WHERE id = 2");
                awaitEvents(sub, events, 5);

                assertThat(events).allSatisfy(e -> assertThat(e.origin()).isEqualTo(ChangeEvent.Origin.PUSH));
                // In commit order within each stream (each stream is a reader of its own).
                assertThat(events.stream().filter(e -> e.stream().equals("items")))
                        .extracting(ChangeEvent::recordId)
                        .containsExactly("1", "2", "2");
                assertThat(events.stream().filter(e -> e.stream().equals("pairs")))
                        .extracting(ChangeEvent::recordId)
                        .containsExactly("a%2Fb+c/1.50", "a/2.00");

                // The last event of each record carries the row as a read returns it now.
                Map<String, Record> fed = new LinkedHashMap<>();
                events.forEach(e -> fed.put(e.stream() + "/" + e.recordId(), e.record()));
                List<Record> read = new ArrayList<>(readAll(sb, INDEXER, "items"));
                read.addAll(readAll(sb, INDEXER, "pairs"));
                assertThat(read).hasSize(4);
                for (Record r : read) {
                    Record f = fed.get(r.stream() + "/" + r.id());
                    assertThat(f).as(r.toString()).isNotNull();
                    assertThat(f.data()).as(r.toString()).isEqualTo(r.data());
                    assertThat(f.version()).as(r.toString()).isEqualTo(r.version());
                    assertThat(f.acl()).as(r.toString()).isEqualTo(r.acl());
                    assertThat(f.source()).as(r.toString()).isEqualTo(r.source());
                    assertThat(f.updatedAt())
                            .as("the commit's time stands in for a missing cursor")
                            .isNotNull();
                }
                // numeric precision, not a double; the composite key's values as the read gives them.
                assertThat(fed.get("items/1").data().get("amount").toJson())
                        .isEqualTo("12345678901234567890.0123456789");
                assertThat(fed.get("items/2").data().string("name")).isEqualTo("renamed");
            }
        }
    }

    @Test
    void aSoftDeleteAndARowDeleteArriveAsDeletes() {
        Db db = Db.fresh();
        db.sql(ITEMS, "ALTER TABLE items REPLICA IDENTITY FULL");
        db.sql(ROW_1, "INSERT INTO items (id, name, tenant_id) VALUES (2, 'two', 'acme')");
        try (Switchboard sb = switchboard(db, "items", Map.of(JdbcConnector.SOFT_DELETE_PREFIX + "items", "deleted_at"))
                .build()) {
            List<ChangeEvent> events = new CopyOnWriteArrayList<>();
            try (Subscription sub = sb.subscribe(INDEXER, manual("items"), events::add)) {
                db.sql("UPDATE items SET deleted_at = now() WHERE id = 1", "DELETE FROM items WHERE id = 2");
                awaitEvents(sub, events, 2);
                assertThat(events).extracting(e -> e.recordId() + " " + e.op()).containsExactly("1 DELETE", "2 DELETE");
                // A read gives the soft-deleted row as a tombstone, and no longer the deleted one.
                assertThat(readAll(sb, INDEXER, "items"))
                        .extracting(r -> r.id() + " " + r.deleted())
                        .containsExactly("1 true");
            }
        }
    }

    @Test
    void aSubscriberSeesOnlyItsTenantsRowsAndEveryChangeDropsTheCachedPages() {
        Db db = Db.fresh();
        db.sql(PAIRS, "INSERT INTO pairs VALUES ('x', 1, 'mine', 'acme'), ('y', 1, 'theirs', 'globex')");
        MeterRegistry meters = new SimpleMeterRegistry();
        try (Switchboard sb = switchboard(db, "pairs", Map.of())
                .accessPolicy(AccessPolicy.rowLevel())
                .readCache(ReadCache.inMemory(64))
                .meterRegistry(meters)
                .build()) {
            assertThat(readAll(sb, ANA, "pairs"))
                    .extracting(r -> r.data().string("note"))
                    .containsExactly("mine");
            assertThat(readAll(sb, ANA, "pairs")).hasSize(1);
            assertThat(cachePages(meters, "hit")).isEqualTo(1);

            List<ChangeEvent> events = new CopyOnWriteArrayList<>();
            try (Subscription sub = sb.subscribe(ANA, manual("pairs"), events::add)) {
                // globex's row first: ana is not told of it, but the cache forgets the page all the same.
                db.sql("UPDATE pairs SET note = 'theirs, changed' WHERE code = 'y'");
                db.sql("UPDATE pairs SET note = 'mine, changed' WHERE code = 'x'");
                awaitEvents(sub, events, 1);
                assertThat(events).extracting(ChangeEvent::recordId).containsExactly("x/1.00");
            }
            double misses = cachePages(meters, "miss");
            assertThat(readAll(sb, ANA, "pairs"))
                    .extracting(r -> r.data().string("note"))
                    .containsExactly("mine, changed");
            assertThat(cachePages(meters, "miss")).isEqualTo(misses + 1);
        }
    }

    @Test
    void twoSubscribersOfOneTableEachHaveTheirOwnSlotAndHearEveryChange() {
        Db db = Db.fresh();
        db.sql(PAIRS);
        try (Switchboard sb = switchboard(db, "pairs", Map.of()).build()) {
            List<ChangeEvent> memory = new CopyOnWriteArrayList<>();
            List<ChangeEvent> indexer = new CopyOnWriteArrayList<>();
            try (Subscription m = sb.subscribe(
                            INDEXER,
                            ChangeRequest.builder("memory", "db")
                                    .streams("pairs")
                                    .manual()
                                    .build(),
                            memory::add);
                    Subscription i = sb.subscribe(INDEXER, manual("pairs"), indexer::add)) {
                db.sql("INSERT INTO pairs VALUES ('a', 1, 'first', 'acme')");
                awaitEvents(m, memory, 1);
                // memory acknowledged its event; the indexer's slot still holds it.
                db.sql("INSERT INTO pairs VALUES ('b', 1, 'second', 'acme')");
                awaitEvents(m, memory, 2);
                awaitEvents(i, indexer, 2);
                assertThat(memory).extracting(ChangeEvent::recordId).containsExactly("a/1.00", "b/1.00");
                assertThat(indexer).extracting(ChangeEvent::recordId).containsExactly("a/1.00", "b/1.00");
            }
            assertThat(db.query("SELECT string_agg(slot_name, ',' ORDER BY slot_name) FROM pg_replication_slots"
                            + " WHERE slot_name LIKE '" + db.slotPrefix() + "%'"))
                    .isEqualTo(db.slotPrefix() + "_db_pairs_indexer," + db.slotPrefix() + "_db_pairs_memory");
        }
    }

    @Test
    void cdcSettingsThatCannotWorkFailWhenTheConnectionOpens() {
        Db db = Db.fresh();
        db.sql(PAIRS);
        assertThatThrownBy(() -> switchboard(db, "pairs", Map.of(JdbcConnector.CDC_STREAMS, "pairs,orders"))
                        .build())
                .hasStackTraceContaining("'cdc.streams' names 'orders', which this connection does not read");
        // Names from configuration never reach SQL unchecked: a stream must be one the metadata listed, a slot
        // prefix letters, digits and '_'.
        assertThatThrownBy(() -> switchboard(db, "pairs", Map.of(JdbcConnector.CDC_STREAMS, "pairs; DROP TABLE pairs"))
                        .build())
                .hasStackTraceContaining("names 'pairs; DROP TABLE pairs', which this connection does not read");
        assertThatThrownBy(() -> switchboard(
                                db, "pairs", Map.of(PostgresChangeFeedSettings.CDC_SLOT_PREFIX, "x; DROP TABLE pairs"))
                        .build())
                .hasStackTraceContaining("slotPrefix must be letters, digits and '_'");
        assertThat(db.query("SELECT count(*) FROM pairs")).isEqualTo("0");

        JdbcConnector withQuery = JdbcConnector.builder()
                .query(JdbcQuery.builder("notes")
                        .sql("SELECT code, note FROM pairs")
                        .key("code")
                        .build())
                .build();
        assertThatThrownBy(() -> switchboard(db, "pairs", Map.of(JdbcConnector.CDC_STREAMS, "notes"))
                        .connector(withQuery)
                        .build())
                .hasStackTraceContaining("a declared query: only tables can be followed");

        DataSource h2 = TestDatabases.newH2();
        h2sql(h2, "CREATE TABLE pairs (code VARCHAR(10) PRIMARY KEY, note VARCHAR(10))");
        assertThatThrownBy(() -> Switchboard.builder()
                        .resource("support-db", h2)
                        .connection(ConnectionConfig.builder("db")
                                .connector(JdbcConnector.ID)
                                .settings(Map.of(
                                        JdbcConnector.DATA_SOURCE, "support-db",
                                        JdbcConnector.CDC_STREAMS, "PAIRS",
                                        PostgresChangeFeedSettings.CDC_JDBC_URL, "jdbc:postgresql://localhost/x"))
                                .build())
                        .build())
                .hasStackTraceContaining("needs PostgreSQL (logical replication)");
    }

    // ---------------------------------------------------------------- support

    /** A connection reading and following {@code tables} (each with a tenant column), plus {@code extra} settings. */
    private static Switchboard.Builder switchboard(Db db, String tables, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(JdbcConnector.DATA_SOURCE, "support-db");
        settings.put(JdbcConnector.TABLES, tables);
        settings.put(JdbcConnector.CDC_STREAMS, tables);
        settings.put(PostgresChangeFeedSettings.CDC_JDBC_URL, db.url());
        settings.put(PostgresChangeFeedSettings.CDC_USER, "postgres");
        settings.put(PostgresChangeFeedSettings.CDC_SLOT_PREFIX, db.slotPrefix());
        for (String table : tables.split(",")) {
            settings.put(JdbcConnector.TENANT_COLUMN_PREFIX + table, "tenant_id");
        }
        settings.putAll(extra);
        return Switchboard.builder()
                .resource("support-db", db.dataSource())
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .connection(ConnectionConfig.builder("db")
                        .connector(JdbcConnector.ID)
                        .settings(settings)
                        .build());
    }

    private static ChangeRequest manual(String... streams) {
        return ChangeRequest.builder("indexer", "db").streams(streams).manual().build();
    }

    /** Polls until {@code count} events arrived; fails after 20 seconds with what did. */
    private static void awaitEvents(Subscription sub, List<ChangeEvent> events, int count) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (events.size() < count && System.nanoTime() < deadline) {
            sub.poll();
            sleep();
        }
        assertThat(sub.lastFailure()).isEmpty();
        assertThat(events).as("events delivered").hasSizeGreaterThanOrEqualTo(count);
    }

    private static List<Record> readAll(Switchboard sb, AgentContext ctx, String stream) {
        try (RecordStream s = sb.connection("db").read(ctx, ReadRequest.of(stream))) {
            List<Record> out = new ArrayList<>();
            s.forEach(out::add);
            return out;
        }
    }

    private static double cachePages(MeterRegistry meters, String result) {
        return meters.find("switchboard.cache.pages").tag("result", result).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static void h2sql(DataSource ds, String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
