package dev.switchboard.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded PostgreSQL of the JDBC benchmarks: a server in its own process (outside the measuring JVM),
 * started with logical replication enabled so the same server serves reads and change data capture, and the
 * benchmarks' table {@code t} with realistic columns.
 */
final class JdbcBenchDatabase {
    /** The columns both sides of the read benchmark select, in this order. */
    static final String COLUMNS = "id, name, email, amount, updated_at, active, ref, attrs";

    private JdbcBenchDatabase() {}

    static EmbeddedPostgres start() throws IOException {
        return EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10")
                // zonky turns it off for test speed; then a commit returns before its WAL is flushed, and the
                // change feed sees it only after the WAL writer's next flush (wal_writer_delay, 200 ms): a
                // latency of the embedded defaults, not of a server. On, as a server ships.
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    /** A HikariCP pool on {@code url} as {@code postgres}. */
    static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    /** (Re)creates table {@code t} with {@code rows} rows, ids 1..rows. */
    static void fill(HikariDataSource ds, int rows) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS t");
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL,"
                    + " amount NUMERIC(12, 2) NOT NULL, updated_at TIMESTAMPTZ NOT NULL, active BOOLEAN NOT NULL,"
                    + " ref UUID NOT NULL, attrs JSONB NOT NULL)");
            s.execute("INSERT INTO t SELECT x, 'Customer ' || x, 'customer' || x || '@example.com',"
                    + " (x % 100000)::numeric(12, 2) / 100 + 10,"
                    + " timestamptz '2024-01-01 00:00:00+00' + x * interval '1 second', x % 3 <> 0,"
                    + " md5(x::text)::uuid,"
                    + " jsonb_build_object('tier', x % 5, 'region', 'eu-' || (x % 7), 'tags', jsonb_build_array('a', 'b'))"
                    + " FROM generate_series(1, " + rows + ") x");
            s.execute("VACUUM ANALYZE t");
        }
    }
}
