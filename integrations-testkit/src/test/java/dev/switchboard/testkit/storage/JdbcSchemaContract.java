package dev.switchboard.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.storage.JdbcSchema;
import dev.switchboard.testkit.support.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JdbcSchema} against one database; subclassed for H2 and PostgreSQL. */
abstract class JdbcSchemaContract {
    protected DataSource db;
    protected String table;

    /** A database to run on (it may hold other tests' tables). */
    protected abstract DataSource database();

    @BeforeEach
    void setUp() {
        db = database();
        table = Databases.freshTable("widgets");
    }

    private int count(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }

    private void execute(String... sql) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** Versions: 1 creates the table, 2 adds a column, 3 inserts a row (a data step). */
    private JdbcSchema.Builder widgets(int versions) {
        JdbcSchema.Builder b = JdbcSchema.builder("widgets:" + table)
                .recognize(table)
                .version(
                        1,
                        "widgets, and a seed row",
                        c -> JdbcSchema.execute(
                                c,
                                "CREATE TABLE IF NOT EXISTS " + table + " (id INT PRIMARY KEY)",
                                "INSERT INTO " + table + " (id) VALUES (100)"));
        if (versions >= 2) {
            b.version(
                    2,
                    "a name",
                    c -> JdbcSchema.execute(
                            c,
                            "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS name VARCHAR(50) DEFAULT 'unnamed'"));
        }
        if (versions >= 3) {
            b.version(
                    3,
                    "the first widget",
                    c -> JdbcSchema.execute(c, "INSERT INTO " + table + " (id, name) VALUES (1, 'first')"));
        }
        return b;
    }

    @Test
    void anEmptyDatabaseGetsEveryVersionInOrderOnce() throws Exception {
        JdbcSchema schema = widgets(3).build();
        assertThat(schema.migrate(db)).isEqualTo(3);
        assertThat(JdbcSchema.installedVersion(db, "widgets:" + table)).hasValue(3);
        assertThat(count("SELECT COUNT(*) FROM " + table + " WHERE name = 'first'"))
                .isEqualTo(1);
        assertThat(schema.migrate(db)).isEqualTo(3); // up to date: nothing runs again
        assertThat(count("SELECT COUNT(*) FROM " + table)).isEqualTo(2);
    }

    @Test
    void tablesFromBeforeVersionsWereKeptAreVersion1AndUpgradeWithTheirRows() throws Exception {
        execute(
                "CREATE TABLE " + table + " (id INT PRIMARY KEY)",
                "INSERT INTO " + table + " (id) VALUES (7)",
                "INSERT INTO " + table + " (id) VALUES (8)");
        assertThat(JdbcSchema.installedVersion(db, "widgets:" + table)).isEmpty();
        assertThat(widgets(3).build().migrate(db)).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM " + table + " WHERE name = 'unnamed' AND id IN (7, 8)"))
                .isEqualTo(2);
        // version 1 was taken as installed, not run again: no seed row
        assertThat(count("SELECT COUNT(*) FROM " + table + " WHERE id = 100")).isZero();
        assertThat(count("SELECT COUNT(*) FROM " + table + " WHERE name = 'first'"))
                .isEqualTo(1);
    }

    @Test
    void aDatabaseNewerThanTheCodeIsRefusedAndLeftAsItIs() throws Exception {
        widgets(3).build().migrate(db);
        assertThatThrownBy(() -> widgets(2).build().migrate(db))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("schema version 3, newer than this Switchboard knows (2)")
                .hasMessageContaining("upgrade Switchboard");
        assertThat(JdbcSchema.installedVersion(db, "widgets:" + table)).hasValue(3);
    }

    @Test
    void aFailedVersionIsNotRecordedAndTheNextStartRetriesIt() throws Exception {
        widgets(1).build().migrate(db);
        JdbcSchema broken = widgets(1)
                .version(
                        2,
                        "broken",
                        c -> JdbcSchema.execute(c, "ALTER TABLE " + table + "_missing ADD COLUMN oops INT"))
                .build();
        assertThatThrownBy(() -> broken.migrate(db))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("widgets:" + table)
                .hasMessageContaining("Nothing of the failed version was recorded");
        assertThat(JdbcSchema.installedVersion(db, "widgets:" + table)).hasValue(1);
        assertThat(widgets(2).build().migrate(db)).isEqualTo(2);
    }

    @Test
    void instancesStartingAtOnceApplyEachVersionOnce() throws Exception {
        String runs = Databases.freshTable("runs");
        execute("CREATE TABLE " + runs + " (version INT NOT NULL)");
        int instances = 8;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        // Inside version 1, an instance waits (briefly) for a second one to get there too: with the row lock none
        // can, so the first goes on alone; without it, two meet and both apply the version.
        CountDownLatch twoInside = new CountDownLatch(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                results.add(pool.submit(() -> {
                    // data steps only: each run leaves a row, so a version applied twice is counted
                    JdbcSchema schema = JdbcSchema.builder("runs:" + runs)
                            .version(1, "one", c -> {
                                twoInside.countDown();
                                awaitQuietly(twoInside);
                                JdbcSchema.execute(c, "INSERT INTO " + runs + " VALUES (1)");
                            })
                            .version(2, "two", c -> JdbcSchema.execute(c, "INSERT INTO " + runs + " VALUES (2)"))
                            .build();
                    start.await();
                    return schema.migrate(db);
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT COUNT(*) FROM " + runs + " WHERE version = 1")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM " + runs + " WHERE version = 2")).isEqualTo(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(300, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void connectionsHandedOutInATransactionAreSetUpAndCommitted() throws Exception {
        DataSource pooled = Databases.inTransactionByDefault(db);
        assertThat(widgets(3).build().migrate(pooled)).isEqualTo(3);
        // seen from another connection: committed
        assertThat(JdbcSchema.installedVersion(db, "widgets:" + table)).hasValue(3);
        assertThat(count("SELECT COUNT(*) FROM " + table)).isEqualTo(2);
    }
}
