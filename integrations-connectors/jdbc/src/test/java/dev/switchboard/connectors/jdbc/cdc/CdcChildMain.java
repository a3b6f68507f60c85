package dev.switchboard.connectors.jdbc.cdc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.connectors.jdbc.cdc.CdcTesting.Follower;
import dev.switchboard.connectors.jdbc.internal.cdc.StreamTable;
import dev.switchboard.core.change.JdbcPositionStore;
import dev.switchboard.core.change.PositionStore;
import dev.switchboard.core.error.TransientException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A child JVM of {@link PgCdcCrashTest}: follows table {@code rows} as core would, storing positions in a
 * {@link JdbcPositionStore} on the same database, and appends each delivered event to a file (unbuffered, so a
 * SIGKILL loses nothing written) before its position is stored. Runs until killed.
 *
 * <p>Arguments: JDBC URL (user postgres), output file, owner name, slot prefix. Writes {@code READY} to standard output once
 * its reader is open (the slot exists).
 */
public final class CdcChildMain {
    private CdcChildMain() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String owner = args[2];
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(2);
        HikariDataSource ds = new HikariDataSource(pool); // as an application would: a position saved per event
        PositionStore positions = JdbcPositionStore.builder(ds).build();
        PostgresChangeFeedSettings settings = PostgresChangeFeedSettings.builder(CdcTesting.CONNECTION, url, "postgres")
                .slotPrefix(args[3])
                .leaseDuration(Duration.ofSeconds(2))
                .owner(owner)
                .build();
        StreamTable rows = new StreamTable("rows", "public", "rows", List.of("id"), List.of());
        try (FileOutputStream out = new FileOutputStream(args[1], true)) {
            Follower follower = new Follower(settings, rows, positions);
            follower.open();
            System.out.println("READY");
            System.out.flush();
            while (true) {
                try {
                    follower.pollOnce(Duration.ofMillis(250), e -> {
                        try {
                            out.write((owner + " " + e.op() + " " + e.recordId() + " " + e.position() + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                        } catch (IOException io) {
                            throw new UncheckedIOException(io);
                        }
                    });
                } catch (TransientException e) {
                    // as core does: close, and open a reader from the stored position
                    follower.close();
                    Thread.sleep(250);
                    follower.open();
                }
            }
        }
    }
}
