package dev.switchboard.connectors.jdbc.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connectors.jdbc.PostgresChangeFeed;
import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.connectors.jdbc.cdc.CdcTesting.Db;
import dev.switchboard.connectors.jdbc.cdc.CdcTesting.Follower;
import dev.switchboard.connectors.jdbc.internal.cdc.PgChangeReader;
import dev.switchboard.connectors.jdbc.internal.cdc.StreamTable;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.PositionStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/** Resuming, acknowledging, the lease between instances, the slot's life, and latency. */
class PgCdcResumeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final StreamTable ROWS = new StreamTable("rows", "public", "rows", List.of("id"), List.of());

    private static Db rowsDb() {
        Db db = Db.fresh();
        db.sql("CREATE TABLE rows (id INT PRIMARY KEY, v INT)");
        return db;
    }

    private static List<String> ids(List<ChangeEvent> events) {
        return events.stream().map(e -> e.op() + " " + e.recordId()).toList();
    }

    @Test
    void aReopenedFeedResumesAfterTheStoredPositionWithNothingMissedOrRepeated() throws Exception {
        Db db = rowsDb();
        PositionStore positions = PositionStore.inMemory();
        Follower first = new Follower(db.settings().build(), ROWS, positions);
        PgChangeReader reader = first.open();
        for (int i = 1; i <= 3; i++) {
            db.sql("INSERT INTO rows VALUES (" + i + ", 0)");
        }
        // One transaction of four changes, to stop inside it.
        db.transaction(
                "INSERT INTO rows VALUES (4, 0)",
                "INSERT INTO rows VALUES (5, 0)",
                "INSERT INTO rows VALUES (6, 0)",
                "INSERT INTO rows VALUES (7, 0)");
        // Deliver and store five events only: 1, 2, 3, then 4 and 5 of the four-change transaction.
        List<ChangeEvent> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < 7 && System.nanoTime() < deadline) {
            got.addAll(reader.poll(Duration.ofMillis(250)));
        }
        assertThat(ids(got))
                .containsExactly("UPSERT 1", "UPSERT 2", "UPSERT 3", "UPSERT 4", "UPSERT 5", "UPSERT 6", "UPSERT 7");
        for (ChangeEvent e : got.subList(0, 5)) {
            positions.save(
                    "subscriber",
                    CdcTesting.CONNECTION,
                    "rows",
                    dev.switchboard.core.Checkpoint.at("rows", e.position()).value());
            reader.acknowledge(e.position());
        }
        reader.close();
        first.reader = null;
        db.sql("INSERT INTO rows VALUES (8, 0)", "UPDATE rows SET v = 1 WHERE id = 1", "DELETE FROM rows WHERE id = 2");

        Follower second = new Follower(db.settings().build(), ROWS, positions);
        second.open();
        List<ChangeEvent> rest = second.await(5, WAIT);
        assertThat(ids(rest)).containsExactly("UPSERT 6", "UPSERT 7", "UPSERT 8", "UPSERT 1", "DELETE 2");
        assertThat(second.await(1, Duration.ofSeconds(1))).as("nothing more").isEmpty();
        second.close();
    }

    @Test
    void theSlotIsConfirmedOnlyUpToAcknowledgedTransactions() throws Exception {
        Db db = rowsDb();
        Follower f = new Follower(db.settings().build(), ROWS, PositionStore.inMemory());
        PgChangeReader reader = f.open();
        String slot = reader.slot();
        db.sql("INSERT INTO rows VALUES (1, 0)");
        assertThat(f.await(1, WAIT)).hasSize(1); // delivered, stored, acknowledged
        db.sql("INSERT INTO rows VALUES (2, 0)");
        List<ChangeEvent> unacknowledged = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (unacknowledged.isEmpty() && System.nanoTime() < deadline) {
            unacknowledged.addAll(reader.poll(Duration.ofMillis(250)));
        }
        assertThat(ids(unacknowledged)).containsExactly("UPSERT 2");
        // Idle polls (keepalives) must not confirm past the event core has not stored.
        for (int i = 0; i < 4; i++) {
            assertThat(reader.poll(Duration.ofMillis(250))).isEmpty();
        }
        String commit = unacknowledged.get(0).position().cursor();
        assertThat(db.query("SELECT confirmed_flush_lsn < '" + commit + "'::pg_lsn FROM pg_replication_slots"
                        + " WHERE slot_name = '" + slot + "'"))
                .as("the slot's confirmed position is before the unacknowledged transaction's commit")
                .isEqualTo("t");
        reader.acknowledge(unacknowledged.get(0).position());
        assertThat(db.query("SELECT confirmed_flush_lsn > '" + commit + "'::pg_lsn FROM pg_replication_slots"
                        + " WHERE slot_name = '" + slot + "'"))
                .as("acknowledged: confirmed past its commit")
                .isEqualTo("t");
        f.close();
    }

    @Test
    void aStandbyTakesTheSlotOverWhenTheHoldersLeaseExpiresEndingItsStream() throws Exception {
        Db db = rowsDb();
        PositionStore positions = PositionStore.inMemory();
        PostgresChangeFeedSettings settingsA = db.settings().owner("instance-a").build();
        PostgresChangeFeedSettings settingsB = db.settings().owner("instance-b").build();
        Follower a = new Follower(settingsA, ROWS, positions);
        Follower b = new Follower(settingsB, ROWS, positions);
        a.open();
        b.open();
        a.pollOnce(Duration.ofMillis(100), e -> {});
        assertThat(a.reader().holdsLease()).isTrue();

        db.sql("INSERT INTO rows VALUES (1, 0)");
        int aliveRounds = 0;
        List<ChangeEvent> byA = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // 3 s: longer than the 2 s lease, renewed by A's polls
            byA.addAll(a.pollOnce(Duration.ofMillis(125), e -> {}));
            assertThat(b.pollOnce(Duration.ofMillis(125), e -> {})).isEmpty();
            aliveRounds++;
        }
        assertThat(b.reader().holdsLease()).as("a standby while A renews").isFalse();
        assertThat(ids(byA)).containsExactly("UPSERT 1");
        assertThat(aliveRounds).isEqualTo(12);

        // A dies without closing: its walsender still holds the slot; it no longer renews.
        db.sql("INSERT INTO rows VALUES (2, 0)", "INSERT INTO rows VALUES (3, 0)");
        long started = System.nanoTime();
        int standbyPolls = 0;
        List<ChangeEvent> byB = new ArrayList<>();
        while (byB.size() < 2 && System.nanoTime() - started < WAIT.toNanos()) {
            byB.addAll(b.pollOnce(Duration.ofMillis(250), e -> {}));
            if (!b.reader().holdsLease()) {
                standbyPolls++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "lease takeover: B took the slot after %d standby polls, all changes in %.2f s%n",
                standbyPolls, seconds);
        assertThat(ids(byB)).containsExactly("UPSERT 2", "UPSERT 3");
        // The lease is 2 s and a standby poll waits 250 ms: a handful of polls, not the whole wait.
        assertThat(standbyPolls).isBetween(1, 20);
        assertThat(db.query("SELECT owner FROM switchboard_cdc_lease WHERE slot_name = '"
                        + b.reader().slot() + "'"))
                .isEqualTo("instance-b");
        // A's walsender was ended: its next poll fails, and a new reader of A would be a standby.
        assertThatThrownBy(() -> a.pollOnce(Duration.ofMillis(250), e -> {})).isInstanceOf(TransientException.class);
        b.close();
        a.close();
    }

    @Test
    void closeWithDropRemovesTheSlotAndPublicationAndTheLagIsAGauge() throws Exception {
        Db db = rowsDb();
        Follower f = new Follower(db.settings().build(), ROWS, PositionStore.inMemory());
        PgChangeReader reader = f.open();
        String slot = reader.slot();
        assertThat(slot).isEqualTo(db.slotPrefix() + "_pg_test_rows_subscriber");
        assertThat(db.query("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .as("created on first start")
                .isEqualTo("1");
        db.sql("INSERT INTO rows VALUES (1, 0)");
        assertThat(f.await(1, WAIT)).hasSize(1);
        Thread.sleep(150); // past the 100 ms lag check interval
        f.pollOnce(Duration.ofMillis(50), e -> {});
        Gauge lag = f.meters
                .find("switchboard.cdc.slot.lag")
                .tags("connection", CdcTesting.CONNECTION, "slot", slot)
                .gauge();
        assertThat(lag).isNotNull();
        assertThat(lag.value()).isGreaterThanOrEqualTo(0);

        reader.close(true);
        assertThat(db.query("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .isEqualTo("0");
        assertThat(db.query("SELECT count(*) FROM pg_publication WHERE pubname = '" + slot + "'"))
                .isEqualTo("0");
        assertThat(f.meters.find("switchboard.cdc.slot.lag").gauge())
                .as("removed on close")
                .isNull();
    }

    @Test
    void aSlotHoldingBackMoreWalThanTheThresholdIsLoggedAtWarnAndShownByTheGauge() throws Exception {
        Db db = rowsDb();
        Follower f = new Follower(db.settings().lagWarnBytes(1L << 20).build(), ROWS, PositionStore.inMemory());
        PgChangeReader reader = f.open(); // the slot exists from here; nothing reads it yet
        db.sql("INSERT INTO rows SELECT g, 0 FROM generate_series(1, 200000) g"); // several MiB of WAL, well past 1 MiB
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PgChangeReader.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            reader.poll(Duration.ofMillis(10)); // the first poll measures the lag
        } finally {
            logger.detachAppender(logs);
        }
        Gauge lag = f.meters.find("switchboard.cdc.slot.lag").gauge();
        assertThat(lag).isNotNull();
        assertThat(lag.value()).isGreaterThan(1 << 20);
        assertThat(logs.list)
                .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m)
                        .contains(reader.slot())
                        .contains("holds back")
                        .contains("bytes of WAL")
                        .doesNotContain("jdbc:postgresql"));
        reader.close(true);
    }

    @Test
    void dropSlotRefusesASlotInUseAndDropsAnIdleOne() throws Exception {
        Db db = rowsDb();
        PostgresChangeFeedSettings settings = db.settings().build();
        Follower f = new Follower(settings, ROWS, PositionStore.inMemory());
        f.open();
        f.pollOnce(Duration.ofMillis(100), e -> {});
        assertThatThrownBy(() -> PostgresChangeFeed.dropSlot(settings, "rows", CdcTesting.SUBSCRIBER))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("in use");
        f.close();
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean dropped = false;
        while (!dropped && System.nanoTime() < deadline) {
            try {
                dropped = PostgresChangeFeed.dropSlot(settings, "rows", CdcTesting.SUBSCRIBER);
            } catch (PermanentException stillExiting) {
                Thread.sleep(50); // the closed stream's walsender is exiting
            }
        }
        assertThat(dropped).isTrue();
        assertThat(PostgresChangeFeed.dropSlot(settings, "rows", CdcTesting.SUBSCRIBER))
                .as("gone")
                .isFalse();
    }

    @Test
    void anUpdateReachesPollWithinASecond() throws Exception {
        Db db = rowsDb();
        db.sql("INSERT INTO rows VALUES (1, 0)");
        Follower f = new Follower(db.settings().build(), ROWS, PositionStore.inMemory());
        f.open();
        f.pollOnce(Duration.ofMillis(100), e -> {});
        int n = 100;
        AtomicLongArray committedAt = new AtomicLongArray(n + 1);
        // Updates committed 20 ms apart by another thread; each one's latency is from its commit to the poll that
        // returned it.
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= n; i++) {
                db.sql("UPDATE rows SET v = " + i + " WHERE id = 1");
                committedAt.set(i, System.nanoTime());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long[] latencies = new long[n];
        int received = 0;
        writer.start();
        long deadline = System.nanoTime() + WAIT.toNanos() * 3;
        while (received < n && System.nanoTime() < deadline) {
            for (ChangeEvent e : f.pollOnce(Duration.ofMillis(250), x -> {})) {
                long now = System.nanoTime();
                int v = e.record().data().number("v").intValueExact();
                assertThat(v).as("in commit order").isEqualTo(received + 1);
                long committed;
                while ((committed = committedAt.get(v)) == 0) {
                    Thread.onSpinWait(); // the event came before the writer noted its commit's time
                }
                latencies[received++] = Math.max(0, now - committed);
            }
        }
        writer.join();
        assertThat(received).isEqualTo(n);
        int slow = 0;
        for (long l : latencies) {
            if (l > Duration.ofSeconds(1).toNanos()) {
                slow++;
            }
        }
        Arrays.sort(latencies);
        System.out.printf(
                "commit-to-poll latency over %d updates: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d over 1 s%n",
                n, latencies[n / 2] / 1e6, latencies[n * 99 / 100 - 1] / 1e6, latencies[n - 1] / 1e6, slow);
        // Counting, with a generous bound: the p99 (the 99th of 100) under 5 s, and nearly all under 1 s.
        assertThat(latencies[n * 99 / 100 - 1]).isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(slow).isLessThanOrEqualTo(5);
        f.close();
    }
}
