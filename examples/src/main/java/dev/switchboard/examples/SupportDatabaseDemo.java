package dev.switchboard.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.connectors.jdbc.JdbcConnector;
import dev.switchboard.connectors.jdbc.PostgresChangeFeed;
import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
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
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.model.Record;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The demo's support database: an embedded PostgreSQL holding {@code customers} and {@code orders} of two
 * tenants, which the application reaches through its own HikariCP pool. The pool is handed to the
 * Switchboard as a resource and read through the JDBC connector by an agent user who sees only their
 * tenant; a second read is answered by the read cache (the cache's hit counter and the pool's borrow count
 * show it). Agent memory follows the tables through change data capture (logical replication), so when
 * another application commits a customer's new tier, the event arrives, the cached page is dropped, and
 * the agent's next read shows the new tier.
 */
final class SupportDatabaseDemo {
    static final String CONNECTION = "support-db";
    static final String RESOURCE = "support-db";
    static final String TENANT = "acme";
    static final String OTHER_TENANT = "globex";
    /** The customer whose tier the other application changes. */
    static final String CHANGED_ID = "3";

    static final String NEW_TIER = "platinum";
    /** The subscriber that stands for agent memory: its positions, and its replication slots, carry this name. */
    static final String MEMORY = "demo-memory";
    /** How long the demo waits for the change event before it gives up. */
    static final Duration CHANGE_WAIT = Duration.ofSeconds(10);

    private static final String[] NAMES = {
        "Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Litware",
        "Adatum", "Proseware", "Lamna", "Fourth Coffee", "Margie's Travel", "Alpine Ski"
    };
    private static final String[] TIERS = {"basic", "gold", "silver"};

    private SupportDatabaseDemo() {}

    /**
     * What the section observed.
     *
     * @param customers customers the agent's first read returned (its tenant's only)
     * @param orders orders the agent's first read returned
     * @param heldCustomers customers the database holds, over both tenants
     * @param cacheHits read-cache hits of the second read
     * @param poolBorrowsOnSecondRead connections the second read borrowed from the pool
     * @param event the change event the commit produced, if it arrived in time
     * @param tierBefore the changed customer's tier as the agent read it before the commit
     * @param tierAfter the same customer's tier in the agent's read after the event
     * @param slotsDropped replication slots dropped once the subscription was closed
     */
    record SupportRead(
            List<Record> customers,
            List<Record> orders,
            int heldCustomers,
            double cacheHits,
            double poolBorrowsOnSecondRead,
            Optional<ChangeEvent> event,
            String tierBefore,
            String tierAfter,
            int slotsDropped) {}

    static SupportRead run(PrintStream out) {
        long started = System.nanoTime();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical") // change data capture reads the logical log
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10")
                // as a server ships it (zonky turns it off): a commit's WAL is flushed, and so sent, at once
                .setServerConfig("synchronous_commit", "on")
                .start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            int held = createSupportDatabase(url);
            MeterRegistry meters = new SimpleMeterRegistry();
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(url);
            hc.setUsername("postgres");
            hc.setMaximumPoolSize(4);
            hc.setPoolName("support-app");
            hc.setMetricRegistry(meters); // hikaricp.connections.usage counts every borrow
            try (HikariDataSource pool = new HikariDataSource(hc)) {
                return readAndFollow(out, url, pool, meters, held, started);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start or stop", e);
        }
    }

    private static SupportRead readAndFollow(
            PrintStream out, String url, HikariDataSource pool, MeterRegistry meters, int held, long started) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(JdbcConnector.DATA_SOURCE, RESOURCE);
        settings.put(JdbcConnector.TABLES, "customers,orders");
        settings.put(JdbcConnector.CURSOR_PREFIX + "customers", "updated_at");
        settings.put(JdbcConnector.CURSOR_PREFIX + "orders", "updated_at");
        // Each row's ACL names its tenant: the row-level policy shows a user only theirs.
        settings.put(JdbcConnector.TENANT_COLUMN_PREFIX + "customers", "tenant_id");
        settings.put(JdbcConnector.TENANT_COLUMN_PREFIX + "orders", "tenant_id");
        // Both tables are followed through the database's log (logical replication), not polled.
        settings.put(JdbcConnector.CDC_STREAMS, "customers,orders");
        // The replication connection is its own, not one of the pool's.
        settings.put(PostgresChangeFeedSettings.CDC_JDBC_URL, url);
        settings.put(PostgresChangeFeedSettings.CDC_USER, "postgres");
        ConnectionConfig config = ConnectionConfig.builder(CONNECTION)
                .connector(JdbcConnector.ID)
                .settings(settings)
                .build();
        AgentContext agent = AgentContext.of(Principal.user("u-7", TENANT).withRoles("support"));
        try (Switchboard switchboard = Switchboard.builder()
                .resource(RESOURCE, pool) // the application's pool; Switchboard never closes it
                .connection(config)
                .accessPolicy(AccessPolicy.rowLevel())
                .readCache(ReadCache.inMemory(64))
                .meterRegistry(meters)
                .auditSink(AuditSink.inMemory()) // kept out of the demo's output; section 10 shows an audit trail
                .build()) {
            out.printf(
                    "  embedded PostgreSQL, %d customers and %d orders over tenants %s and %s; connection %s ->"
                            + " connector %s%n  through the application's HikariCP pool (resource \"%s\"), agent"
                            + " %s of tenant %s%n",
                    held,
                    count(url, "orders"),
                    TENANT,
                    OTHER_TENANT,
                    CONNECTION,
                    JdbcConnector.ID,
                    RESOURCE,
                    agent.principal().userId(),
                    TENANT);

            // --- The first read: from the database, through the pool, into the cache. ---
            double borrows0 = borrows(meters);
            List<Record> customers = new ArrayList<>();
            Checkpoint checkpoint = readAll(switchboard, agent, "customers", customers);
            List<Record> orders = new ArrayList<>();
            readAll(switchboard, agent, "orders", orders);
            double borrows1 = borrows(meters);
            out.printf(
                    "  read       customers %d of %d (tenant %s only), orders %d; %.0f pool borrows%n",
                    customers.size(), held, TENANT, orders.size(), borrows1 - borrows0);
            Record sample = orders.get(0);
            out.printf("  sample     orders/%s %s%n", sample.id(), sample.data().toJson());
            out.printf(
                    "  checkpoint %s%n             = customers after updated_at %s, id %s%n",
                    checkpoint.value(),
                    checkpoint.position().map(p -> p.cursor()).orElse("-"),
                    checkpoint.position().map(p -> p.id()).orElse("-"));

            // --- The same read again: the pages come from the read cache, the pool is not asked. ---
            double hits0 = cache(meters, "hit");
            List<Record> again = new ArrayList<>();
            readAll(switchboard, agent, "customers", again);
            double hits = cache(meters, "hit") - hits0;
            double borrowsAgain = borrows(meters) - borrows1;
            out.printf(
                    "  read again customers %d; switchboard.cache.pages{result=hit} +%.0f, pool borrows +%.0f%n",
                    again.size(), hits, borrowsAgain);

            // --- Agent memory follows the tables through the database's change log. ---
            String tierBefore = tierOf(customers, CHANGED_ID);
            // The event to wait for carries a version other than the one read: not a replay of the row as it was.
            String versionBefore = customers.stream()
                    .filter(r -> r.id().equals(CHANGED_ID))
                    .map(Record::version)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
            CountDownLatch changed = new CountDownLatch(1);
            long[] heardAt = new long[1];
            Optional<ChangeEvent> event;
            long committedAt;
            try (Subscription memory = switchboard.subscribe(
                    AgentContext.of(Principal.system(MEMORY)),
                    ChangeRequest.builder(MEMORY, CONNECTION)
                            .streams("customers", "orders")
                            .build(),
                    e -> {
                        heard.add(e);
                        if (isTheChange(e, versionBefore)) {
                            heardAt[0] = System.nanoTime();
                            changed.countDown();
                        }
                    })) {
                // Another application commits through its own connection, not the Switchboard.
                committedAt = commitTierChange(url);
                out.printf(
                        "  other app  UPDATE customers SET tier = '%s' WHERE id = %s (was %s), committed%n",
                        NEW_TIER, CHANGED_ID, tierBefore);
                boolean arrived = changed.await(CHANGE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                event = heard.stream()
                        .filter(e -> isTheChange(e, versionBefore))
                        .findFirst();
                if (arrived && event.isPresent()) {
                    ChangeEvent e = event.get();
                    out.printf(
                            "  memory     %d events heard; the change: %s %s %s/%s version %.12s..., position %s, %d ms"
                                    + " after the commit%n",
                            heard.size(),
                            e.origin(),
                            e.op(),
                            e.stream(),
                            e.recordId(),
                            e.version(),
                            e.position() == null ? "-" : e.position().cursor(),
                            TimeUnit.NANOSECONDS.toMillis(heardAt[0] - committedAt));
                } else {
                    out.printf("  memory     heard nothing of customers/%s within %s%n", CHANGED_ID, CHANGE_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the change event", e);
            }

            // --- The agent's next read: the cached page was dropped by the event, so it is read afresh. ---
            double misses0 = cache(meters, "miss");
            List<Record> fresh = new ArrayList<>();
            readAll(switchboard, agent, "customers", fresh);
            String tierAfter = tierOf(fresh, CHANGED_ID);
            out.printf(
                    "  read       customers/%s tier %s -> %s (switchboard.cache.pages{result=miss} +%.0f)%n",
                    CHANGED_ID, tierBefore, tierAfter, cache(meters, "miss") - misses0);

            // --- The demo's feed is gone for good: its slots are dropped, or they would keep the server's WAL. ---
            PostgresChangeFeedSettings feed = PostgresChangeFeedSettings.fromSettings(CONNECTION, settings, null);
            int slotsDropped = 0;
            for (String stream : List.of("customers", "orders")) {
                if (PostgresChangeFeed.dropSlot(feed, stream, MEMORY)) {
                    slotsDropped++;
                }
            }
            out.printf(
                    "  slots      %d replication slots dropped (%s, ...): an abandoned slot fills the database's disk%n",
                    slotsDropped, feed.slotName("customers", MEMORY));
            out.printf(
                    "  => done in %.1f s; closing the Switchboard, the pool and PostgreSQL%n",
                    (System.nanoTime() - started) / 1e9);
            return new SupportRead(
                    List.copyOf(customers),
                    List.copyOf(orders),
                    held,
                    hits,
                    borrowsAgain,
                    event,
                    tierBefore,
                    tierAfter,
                    slotsDropped);
        }
    }

    private static Checkpoint readAll(Switchboard switchboard, AgentContext agent, String stream, List<Record> into) {
        try (RecordStream records = switchboard.connection(CONNECTION).read(agent, ReadRequest.of(stream))) {
            for (Record r : records) {
                into.add(r);
            }
            return records.checkpoint();
        }
    }

    private static boolean isTheChange(ChangeEvent e, @Nullable String versionBefore) {
        return e.stream().equals("customers")
                && e.recordId().equals(CHANGED_ID)
                && !Objects.equals(e.version(), versionBefore);
    }

    private static String tierOf(List<Record> customers, String id) {
        return customers.stream()
                .filter(r -> r.id().equals(id))
                .map(r -> r.data().string("tier"))
                .findFirst()
                .orElse("(not visible)");
    }

    /** Creates and fills the two tables; returns how many customers it holds. */
    private static int createSupportDatabase(String url) {
        try (Connection c = DriverManager.getConnection(url, "postgres", null);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL,"
                    + " tier text NOT NULL, tenant_id text NOT NULL, updated_at timestamptz NOT NULL)");
            // tenant_id on orders too: each row carries its own tenant for its ACL.
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers,"
                    + " amount numeric(12,2) NOT NULL, currency char(3) NOT NULL, status text NOT NULL,"
                    + " tenant_id text NOT NULL, placed_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO customers VALUES (?, ?, ?, ?, ?,"
                    + " timestamptz '2026-11-02 09:00:00+00' + ? * interval '1 hour')")) {
                for (int i = 1; i <= NAMES.length; i++) {
                    p.setLong(1, i);
                    p.setString(2, NAMES[i - 1]);
                    p.setString(3, "support@" + NAMES[i - 1].toLowerCase().replaceAll("[^a-z]", "") + ".example");
                    p.setString(4, TIERS[i % TIERS.length]);
                    p.setString(5, i % 2 == 1 ? TENANT : OTHER_TENANT);
                    p.setInt(6, i);
                    p.addBatch();
                }
                p.executeBatch();
            }
            // Three orders per customer; amounts with cents that a double would blur (1249.90, 0.10 steps).
            s.execute(
                    "INSERT INTO orders SELECT c.id * 10 + n, c.id, round(1249.90 - (c.id - 1) * 37.15 + (n - 1) * 0.10, 2),"
                            + " CASE WHEN c.tenant_id = 'acme' THEN 'EUR' ELSE 'USD' END,"
                            + " (ARRAY['open','paid','paid','lost'])[1 + (c.id + n) % 4], c.tenant_id,"
                            + " c.updated_at + n * interval '1 day', c.updated_at + n * interval '1 day' + interval '5 minutes'"
                            + " FROM customers c, generate_series(1, 3) n");
            return NAMES.length;
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the support database", e);
        }
    }

    private static long commitTierChange(String url) {
        try (Connection c = DriverManager.getConnection(url, "postgres", null);
                PreparedStatement p =
                        c.prepareStatement("UPDATE customers SET tier = ?, updated_at = now() WHERE id = ?")) {
            p.setString(1, NEW_TIER);
            p.setLong(2, Long.parseLong(CHANGED_ID));
            p.executeUpdate(); // auto-commit: committed when this returns
            return System.nanoTime();
        } catch (SQLException e) {
            throw new IllegalStateException("the other application's update failed", e);
        }
    }

    private static int count(String url, String table) {
        try (Connection c = DriverManager.getConnection(url, "postgres", null);
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not count " + table, e);
        }
    }

    /** Connections borrowed from the application's pool so far. */
    private static double borrows(MeterRegistry meters) {
        return DemoSummary.count(meters, "hikaricp.connections.usage");
    }

    /** Pages the read cache was asked for with this result ({@code hit} or {@code miss}). */
    private static double cache(MeterRegistry meters, String result) {
        return DemoSummary.count(meters, "switchboard.cache.pages", "result", result);
    }
}
