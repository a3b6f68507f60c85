package dev.switchboard.connectors.jdbc.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The databases of the JDBC connector's tests: fresh in-memory H2 databases, and one embedded PostgreSQL per
 * test JVM started with {@code wal_level=logical}, so the same server serves reads and change data capture.
 * Each test makes its own database in it ({@link #newPostgresDatabase}), so tests stay independent.
 */
public final class TestDatabases {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static io.zonky.test.db.postgres.embedded.@Nullable EmbeddedPostgres postgres;

    private TestDatabases() {}

    /** A new, empty H2 database in memory, kept until the JVM exits. */
    public static DataSource newH2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:jdbc-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    /** The embedded PostgreSQL, started on first use with logical replication enabled and stopped at exit. */
    public static synchronized io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setServerConfig("wal_level", "logical")
                        .setServerConfig("max_replication_slots", "20")
                        .setServerConfig("max_wal_senders", "20")
                        // zonky turns it off; then the change feed sees a commit only at the WAL writer's next
                        // flush (200 ms), and the latency measured would be the embedded defaults', not a server's.
                        .setServerConfig("synchronous_commit", "on")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }));
        }
        return postgres;
    }

    /**
     * A new, empty database in the embedded PostgreSQL, as its superuser {@code postgres} (which bypasses
     * row-level security: tests of it connect as a role of their own), through a data source that opens a
     * connection per call.
     */
    public static DataSource newPostgresDatabase() {
        String name = "jdbc_test_" + DATABASES.incrementAndGet();
        try (Connection c = postgres().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the test database " + name, e);
        }
        return postgresDataSource(name, "postgres", null);
    }

    /** A data source for {@code database} of the embedded PostgreSQL as {@code user}. */
    public static DataSource postgresDataSource(String database, String user, @Nullable String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(postgres().getJdbcUrl(user, database));
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** The name of the database behind a data source made here. */
    public static String databaseOf(DataSource dataSource) {
        return ((PGSimpleDataSource) dataSource).getDatabaseName();
    }
}
