package dev.switchboard.connectors.jdbc.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connectors.jdbc.cdc.CdcTesting.Db;
import dev.switchboard.connectors.jdbc.cdc.CdcTesting.Follower;
import dev.switchboard.connectors.jdbc.internal.cdc.PgChangeFeed;
import dev.switchboard.connectors.jdbc.internal.cdc.StreamTable;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.PositionStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Record;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Inserts, updates and deletes of a real PostgreSQL table arrive through logical replication as change events. */
class PgCdcChangesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String TYPES_TABLE = "CREATE TABLE public.items (id BIGINT PRIMARY KEY, amount NUMERIC(30,10),"
            + " at TIMESTAMPTZ, local_at TIMESTAMP, day DATE, clock TIME, ref UUID, doc JSONB, raw_doc JSON,"
            + " counts INT[], tags TEXT[], bytes BYTEA, active BOOLEAN, small SMALLINT, ratio DOUBLE PRECISION,"
            + " name TEXT, missing TEXT)";

    private static StreamTable items() {
        return new StreamTable(
                "items",
                "public",
                "items",
                List.of("id"),
                List.of(
                        "id",
                        "amount",
                        "at",
                        "local_at",
                        "day",
                        "clock",
                        "ref",
                        "doc",
                        "raw_doc",
                        "counts",
                        "tags",
                        "bytes",
                        "active",
                        "small",
                        "ratio",
                        "name",
                        "missing"));
    }

    @Test
    void insertsUpdatesAndDeletesArriveInCommitOrderWithTheReadsValues() throws Exception {
        Db db = Db.fresh();
        db.sql(TYPES_TABLE);
        Follower f = new Follower(db.settings().build(), items(), PositionStore.inMemory());
        f.open();
        assertThat(f.pollOnce(Duration.ofMillis(300), e -> {})).isEmpty(); // holds the lease, streams

        db.sql("INSERT INTO items VALUES (1, 12345678901234567890.0123456789, '2024-03-01 12:34:56.789+02',"
                + " '2024-03-01 12:34:56', '2024-03-01', '12:34:56', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',"
                + " '{\"a\": [1, 2.5], \"b\": null}', '{\"x\": \"y\"}', '{1,2,NULL}', '{\"a,b\",\"c\\\"d\",NULL,plain}',"
                + " '\\x0102ff', true, 7, 0.1, 'Zoë', NULL)");
        db.sql("UPDATE items SET amount = 0.5, active = false, name = 'renamed' WHERE id = 1");
        db.transaction(
                "INSERT INTO items (id, name) VALUES (2, 'two')",
                "INSERT INTO items (id, name) VALUES (3, 'three')",
                "DELETE FROM items WHERE id = 2");
        db.sql("DELETE FROM items WHERE id = 1");

        List<ChangeEvent> events = f.await(6, WAIT);
        assertThat(events)
                .extracting(e -> e.op() + " " + e.recordId())
                .containsExactly("UPSERT 1", "UPSERT 1", "UPSERT 2", "UPSERT 3", "DELETE 2", "DELETE 1");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.origin()).isEqualTo(ChangeEvent.Origin.PUSH);
            assertThat(e.connection()).isEqualTo(CdcTesting.CONNECTION);
            assertThat(e.stream()).isEqualTo("items");
        });
        // Positions sort as text in commit order, then change order.
        List<String> positions = events.stream()
                .map(e -> e.position().cursor() + "/" + e.position().id())
                .toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(events.get(2).position().cursor())
                .isEqualTo(events.get(4).position().cursor());

        JsonObject inserted = events.get(0).record().data();
        assertThat(inserted.get("id")).isEqualTo(new JsonNumber(new BigDecimal("1")));
        assertThat(inserted.number("amount")).isEqualByComparingTo("12345678901234567890.0123456789");
        assertThat(inserted.number("amount").toPlainString()).isEqualTo("12345678901234567890.0123456789");
        assertThat(inserted.string("at")).isEqualTo("2024-03-01T10:34:56.789Z");
        assertThat(inserted.string("local_at")).isEqualTo("2024-03-01T12:34:56");
        assertThat(inserted.string("day")).isEqualTo("2024-03-01");
        assertThat(inserted.string("clock")).isEqualTo("12:34:56");
        assertThat(inserted.string("ref")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(inserted.get("doc"))
                .isEqualTo(JsonObject.builder()
                        .put("a", JsonArray.of(JsonNumber.of(1), new JsonNumber(new BigDecimal("2.5"))))
                        .put("b", JsonNull.INSTANCE)
                        .build());
        assertThat(inserted.get("raw_doc"))
                .isEqualTo(JsonObject.builder().put("x", "y").build());
        assertThat(inserted.get("counts"))
                .isEqualTo(JsonArray.of(JsonNumber.of(1), JsonNumber.of(2), JsonNull.INSTANCE));
        assertThat(inserted.get("tags"))
                .isEqualTo(JsonArray.of(
                        new JsonString("a,b"), new JsonString("c\"d"), JsonNull.INSTANCE, new JsonString("plain")));
        assertThat(inserted.string("bytes")).isEqualTo("AQL/");
        assertThat(inserted.get("active")).isEqualTo(JsonBoolean.TRUE);
        assertThat(inserted.get("small")).isEqualTo(JsonNumber.of(7));
        assertThat(inserted.number("ratio")).isEqualByComparingTo("0.1");
        assertThat(inserted.string("name")).isEqualTo("Zoë");
        assertThat(inserted.get("missing")).isEqualTo(JsonNull.INSTANCE);
        assertThat(inserted.names())
                .containsExactly(
                        "id",
                        "amount",
                        "at",
                        "local_at",
                        "day",
                        "clock",
                        "ref",
                        "doc",
                        "raw_doc",
                        "counts",
                        "tags",
                        "bytes",
                        "active",
                        "small",
                        "ratio",
                        "name",
                        "missing");

        Record updated = events.get(1).record();
        assertThat(updated.data().number("amount")).isEqualByComparingTo("0.5");
        assertThat(updated.data().get("active")).isEqualTo(JsonBoolean.FALSE);
        assertThat(updated.data().string("name")).isEqualTo("renamed");
        assertThat(updated.data().string("at")).isEqualTo("2024-03-01T10:34:56.789Z");
        assertThat(updated.version())
                .isNotNull()
                .isNotEqualTo(events.get(0).record().version());
        assertThat(updated.updatedAt()).isAfter(Instant.now().minusSeconds(120));

        Record tombstone = events.get(5).record();
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.data())
                .isEqualTo(JsonObject.builder().put("id", 1L).build());
        assertThat(tombstone.version()).isNotNull().isNotEqualTo(updated.version());
        f.close();
    }

    @Test
    void anUpdateOfTheKeyArrivesAsADeleteOfTheOldIdThenAnUpsertOfTheNew() throws Exception {
        Db db = Db.fresh();
        db.sql("CREATE TABLE pairs (a TEXT, b INT, note TEXT, PRIMARY KEY (a, b))");
        StreamTable pairs = new StreamTable("pairs", "public", "pairs", List.of("a", "b"), List.of("a", "b", "note"));
        Follower f = new Follower(db.settings().build(), pairs, PositionStore.inMemory());
        f.open();
        db.sql("INSERT INTO pairs VALUES ('x/y', 1, 'n')");
        db.sql("UPDATE pairs SET b = 2 WHERE a = 'x/y'");
        db.sql("UPDATE pairs SET note = 'same key' WHERE a = 'x/y'");

        List<ChangeEvent> events = f.await(4, WAIT);
        assertThat(events)
                .extracting(e -> e.op() + " " + e.recordId())
                .containsExactly("UPSERT x%2Fy/1", "DELETE x%2Fy/1", "UPSERT x%2Fy/2", "UPSERT x%2Fy/2");
        assertThat(events.get(1).position().cursor())
                .isEqualTo(events.get(2).position().cursor());
        assertThat(events.get(1).record().data())
                .isEqualTo(JsonObject.builder().put("a", "x/y").put("b", 1L).build());
        assertThat(events.get(3).record().data().string("note")).isEqualTo("same key");
        f.close();
    }

    @Test
    void anUnchangedToastValueIsFilledUnderReplicaIdentityFullAndOtherwiseTheEventNamesTheRecordOnly()
            throws Exception {
        Db db = Db.fresh();
        db.sql(
                "CREATE TABLE docs (id INT PRIMARY KEY, body TEXT, n INT)",
                "ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL"); // out of line, uncompressed
        StreamTable docs = new StreamTable("docs", "public", "docs", List.of("id"), List.of("id", "body", "n"));
        Follower f = new Follower(db.settings().build(), docs, PositionStore.inMemory());
        f.open();
        String big = randomText(20_000);
        db.sql("INSERT INTO docs VALUES (1, '" + big + "', 0)");
        db.sql("UPDATE docs SET n = 1 WHERE id = 1"); // body unchanged: not sent

        List<ChangeEvent> events = f.await(2, WAIT);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).record().data().string("body")).isEqualTo(big);
        assertThat(events.get(1).op()).isEqualTo(ChangeEvent.Op.UPSERT);
        assertThat(events.get(1).recordId()).isEqualTo("1");
        assertThat(events.get(1).record())
                .as("the data is incomplete: the consumer reads the row")
                .isNull();
        assertThat(events.get(1).position()).isNotNull();

        db.sql("ALTER TABLE docs REPLICA IDENTITY FULL");
        db.sql("UPDATE docs SET n = 2 WHERE id = 1");
        List<ChangeEvent> full = f.await(1, WAIT);
        assertThat(full).hasSize(1);
        assertThat(full.get(0).record().data().string("body")).isEqualTo(big);
        assertThat(full.get(0).record().data().get("n")).isEqualTo(JsonNumber.of(2));
        f.close();
    }

    @Test
    void aTableWithoutReplicaIdentityIsReportedAtStartAndLeftUnpublished() {
        Db db = Db.fresh();
        db.sql(
                "CREATE TABLE nothing (id INT PRIMARY KEY, v TEXT)",
                "ALTER TABLE nothing REPLICA IDENTITY NOTHING",
                "CREATE TABLE nokey (id INT, v TEXT)");
        var settings = db.settings().build();
        StreamTable nothing = new StreamTable("nothing", "public", "nothing", List.of("id"), List.of());
        assertThatThrownBy(() -> PgChangeFeed.open(
                        settings,
                        CdcTesting.call("nothing", Map.of()),
                        nothing,
                        new SimpleMeterRegistry(),
                        Clock.systemUTC()))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("public.nothing")
                .hasMessageContaining("REPLICA IDENTITY NOTHING")
                .hasMessageContaining("ALTER TABLE \"public\".\"nothing\" REPLICA IDENTITY FULL");
        StreamTable nokey = new StreamTable("nokey", "public", "nokey", List.of("id"), List.of());
        assertThatThrownBy(() -> PgChangeFeed.open(
                        settings,
                        CdcTesting.call("nokey", Map.of()),
                        nokey,
                        new SimpleMeterRegistry(),
                        Clock.systemUTC()))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("public.nokey")
                .hasMessageContaining("no primary key")
                .hasMessageContaining("ALTER TABLE \"public\".\"nokey\" REPLICA IDENTITY FULL");
        // Nothing was published or created: the application's updates of the table still work.
        db.sql("INSERT INTO nothing VALUES (1, 'a')", "UPDATE nothing SET v = 'b' WHERE id = 1");
        assertThat(db.query("SELECT count(*) FROM pg_publication_tables WHERE tablename IN ('nothing', 'nokey')"))
                .isEqualTo("0");
        assertThat(db.query("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE '%nothing%'"))
                .isEqualTo("0");
    }

    @Test
    void aTruncateStopsTheFeedAfterTheEventsBeforeItUnlessTheSettingsSayToPassOverIt() throws Exception {
        Db db = Db.fresh();
        db.sql("CREATE TABLE t (id INT PRIMARY KEY)");
        StreamTable t = new StreamTable("t", "public", "t", List.of("id"), List.of());
        Follower f = new Follower(db.settings().build(), t, PositionStore.inMemory());
        f.open();
        db.sql("INSERT INTO t VALUES (1)", "TRUNCATE t", "INSERT INTO t VALUES (2)");

        assertThat(f.await(1, WAIT)).extracting(ChangeEvent::recordId).containsExactly("1");
        assertThatThrownBy(() -> f.pollOnce(Duration.ofSeconds(2), e -> {}))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("table public.t was truncated")
                .hasMessageContaining("truncates(SKIP)");
        f.close();

        Follower skipping = new Follower(
                db.settings()
                        .truncates(dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings.Truncates.SKIP)
                        .build(),
                t,
                f.positions);
        skipping.open();
        assertThat(skipping.await(1, WAIT)).extracting(ChangeEvent::recordId).containsExactly("2");
        skipping.close();
    }

    static String randomText(int length) {
        Random random = new Random(42);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }
}
