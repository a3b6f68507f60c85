package dev.switchboard.testkit.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/** One embedded PostgreSQL for the test JVM, started on first use and stopped at exit. */
public final class EmbeddedPostgres {
    private static io.zonky.test.db.postgres.embedded.@Nullable EmbeddedPostgres instance;

    private EmbeddedPostgres() {}

    /** The JDBC URL of the embedded PostgreSQL (user {@code postgres}, no password), for other processes. */
    public static String jdbcUrl() {
        return ((PGSimpleDataSource) dataSource()).getUrl();
    }

    /** A data source opening a new connection on every call to getConnection. */
    public static synchronized DataSource dataSource() {
        if (instance == null) {
            try {
                instance = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }));
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(instance.getJdbcUrl("postgres", "postgres"));
        ds.setUser("postgres");
        return ds;
    }
}
