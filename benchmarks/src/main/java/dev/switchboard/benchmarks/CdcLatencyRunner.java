package dev.switchboard.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.connectors.jdbc.JdbcConnector;
import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.model.Record;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Change-data-capture latency (issue 13): one thread commits single-row updates to table {@code u} at a steady
 * rate (paced by schedule: update {@code s} is due at start + s / rate, never "sleep after each"), each carrying
 * its sequence number; {@code Switchboard.subscribe} follows the table through the jdbc connector's logical
 * replication feed ({@code cdc.streams}), and the listener stamps the arrival of each sequence number. Latency
 * is arrival minus the return of that update's auto-commit {@code executeUpdate} (commit return, not the
 * server's commit time). The warm-up's updates must arrive too but are left out of the percentiles.
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am -DskipTests -Pjmh package -Djmh.main=dev.switchboard.benchmarks.CdcLatencyRunner -Djmh.args="20 5 1000"
 * </pre>
 * (measured seconds, warm-up seconds, updates per second).
 */
public final class CdcLatencyRunner {
    private CdcLatencyRunner() {}

    private static final int ROWS = 1_000;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int warmSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int warm = warmSeconds * rate;
        int total = warm + seconds * rate;
        long[] committed = new long[total];
        long[] arrived = new long[total];
        AtomicLong events = new AtomicLong();
        AtomicLong foreign = new AtomicLong();
        Rounds.printMachine("at the start");
        try (EmbeddedPostgres server = JdbcBenchDatabase.start()) {
            String url = server.getJdbcUrl("postgres", "postgres");
            try (HikariDataSource pool = JdbcBenchDatabase.pool(url, 3)) {
                try (Connection c = pool.getConnection();
                        Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE u (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, name TEXT NOT NULL,"
                            + " updated_at TIMESTAMPTZ NOT NULL)");
                    s.execute("INSERT INTO u SELECT x, -1, 'row ' || x, now() FROM generate_series(1, " + ROWS + ") x");
                }
                try (Switchboard sb = Switchboard.builder()
                        .resource("bench-db", pool)
                        .accessPolicy(AccessPolicy.allowAll())
                        .connection(ConnectionConfig.builder("db")
                                .connector(JdbcConnector.ID)
                                .settings(Map.of(
                                        JdbcConnector.DATA_SOURCE,
                                        "bench-db",
                                        JdbcConnector.TABLES,
                                        "u",
                                        JdbcConnector.CDC_STREAMS,
                                        "u",
                                        PostgresChangeFeedSettings.CDC_JDBC_URL,
                                        url,
                                        PostgresChangeFeedSettings.CDC_USER,
                                        "postgres"))
                                .build())
                        .build()) {
                    AgentContext system = AgentContext.of(Principal.system("cdc-bench"));
                    try (Subscription sub = sb.subscribe(
                            system,
                            ChangeRequest.builder("cdc-bench", "db")
                                    .streams("u")
                                    .build(),
                            e -> {
                                long now = System.nanoTime();
                                events.incrementAndGet();
                                long seq = seqOf(e);
                                if (seq < 0 || seq >= total) {
                                    foreign.incrementAndGet();
                                } else if (arrived[(int) seq] == 0) {
                                    arrived[(int) seq] = now;
                                }
                            })) {
                        Thread.sleep(2_000); // the slot and the stream start
                        long maxBehind = write(pool, committed, rate);
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (missing(arrived) > 0 && System.nanoTime() < deadline) {
                            Thread.sleep(50);
                        }
                        report(committed, arrived, warm, rate, maxBehind, events.get(), foreign.get());
                        sub.lastFailure().ifPresent(f -> System.out.println("subscription's last failure: " + f));
                    }
                }
            }
        }
        Rounds.printMachine("at the end");
    }

    /** Commits {@code committed.length} updates paced by schedule; returns how late the latest one started, ns. */
    private static long write(HikariDataSource pool, long[] committed, int rate) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long maxBehind = 0;
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE u SET seq = ?, updated_at = now() WHERE id = ?")) {
            c.setAutoCommit(true);
            long start = System.nanoTime();
            for (int s = 0; s < committed.length; s++) {
                long due = start + s * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                maxBehind = Math.max(maxBehind, now - due);
                ps.setLong(1, s);
                ps.setLong(2, 1 + s % ROWS);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("update " + s + " changed no row");
                }
                committed[s] = System.nanoTime();
            }
            double took = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "committed %d updates in %.2f s (%.0f/s; asked %d/s)%n",
                    committed.length,
                    took,
                    committed.length / took,
                    rate);
        }
        return maxBehind;
    }

    private static long seqOf(ChangeEvent e) {
        Record r = e.record();
        if (r == null) {
            return -1;
        }
        return ((JsonNumber) Objects.requireNonNull(r.data().get("seq")))
                .value()
                .longValue();
    }

    private static int missing(long[] arrived) {
        int n = 0;
        for (long a : arrived) {
            if (a == 0) {
                n++;
            }
        }
        return n;
    }

    private static void report(
            long[] committed, long[] arrived, int warm, int rate, long maxBehind, long events, long foreign) {
        int measured = committed.length - warm;
        double[] ms = new double[measured];
        int before = 0;
        for (int i = 0; i < measured; i++) {
            long a = arrived[warm + i];
            ms[i] = a == 0 ? Double.POSITIVE_INFINITY : (a - committed[warm + i]) / 1e6;
            if (a != 0 && a < committed[warm + i]) {
                before++;
            }
        }
        Arrays.sort(ms);
        int lost = missing(arrived);
        System.out.printf(
                Locale.ROOT,
                "committed %d (warm-up %d), arrived %d distinct, %d events in all (%d not of this run), %d never"
                        + " arrived%n",
                committed.length,
                warm,
                committed.length - lost,
                events,
                foreign,
                lost);
        System.out.printf(
                Locale.ROOT,
                "latency, commit return to listener, %d updates after warm-up at %d/s: p50 %.2f ms, p99 %.2f ms,"
                        + " max %.2f ms (%d arrived before their commit returned)%n",
                measured,
                rate,
                ms[measured / 2],
                ms[(int) Math.ceil(measured * 0.99) - 1],
                ms[measured - 1],
                before);
        System.out.printf(
                Locale.ROOT,
                "kept up: writer at most %.2f ms behind schedule; %s%n",
                maxBehind / 1e6,
                lost == 0 ? "every update arrived" : "NOT every update arrived");
        if (lost != 0) {
            throw new IllegalStateException(lost + " committed updates never arrived");
        }
    }
}
