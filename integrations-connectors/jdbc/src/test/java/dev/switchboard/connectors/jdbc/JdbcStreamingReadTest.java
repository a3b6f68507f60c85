package dev.switchboard.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connectors.jdbc.support.TestDatabases;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.model.Record;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read of any length streams in constant memory: a forked JVM with a 128 MB heap reads a million rows
 * through the connector and the governed read loop, from H2 (a file database, so the rows are not in the
 * heap) and from PostgreSQL. A reader that buffered the table (a result set without a fetch size on
 * PostgreSQL, which reads it whole, or one query for the whole table) runs out of heap. Long profile:
 * {@code ./mvnw -B -Plong verify}.
 */
@Tag("long")
class JdbcStreamingReadTest {
    static final int ROWS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void aMillionH2RowsReadInA128MegabyteHeap() throws Exception {
        assertThat(fork("h2", dir.resolve("big").toString())).contains("read " + ROWS);
    }

    @Test
    void aMillionPostgresRowsReadInA128MegabyteHeap() throws Exception {
        assertThat(fork("postgres", "")).contains("read " + ROWS);
    }

    private List<String> fork(String database, String path) throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        BigRead.class.getName(),
                        database,
                        path)
                .redirectErrorStream(true)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        assertThat(child.waitFor(15, TimeUnit.MINUTES)).isTrue();
        lines.stream().filter(l -> !l.contains("DEBUG")).forEach(l -> System.out.println("[forked read] " + l));
        assertThat(child.exitValue()).as("the child's output: %s", lines).isZero();
        return lines;
    }

    /** The forked reader: fills a table server-side, reads it through Switchboard, prints the count. */
    public static final class BigRead {
        public static void main(String[] args) throws Exception {
            DataSource ds;
            String fill;
            if (args[0].equals("h2")) {
                JdbcDataSource h2 = new JdbcDataSource();
                h2.setURL("jdbc:h2:file:" + args[1] + ";DATABASE_TO_LOWER=TRUE");
                ds = h2;
                // SYSTEM_RANGE's column is upper case, which DATABASE_TO_LOWER does not fold.
                fill = "INSERT INTO big SELECT \"X\", 'customer number ' || \"X\", CAST(\"X\" AS NUMERIC(20, 2)) / 100,"
                        + " DATEADD(SECOND, \"X\", TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00')"
                        + " FROM SYSTEM_RANGE(1, " + ROWS + ")";
            } else {
                ds = TestDatabases.newPostgresDatabase();
                fill = "INSERT INTO big SELECT x, 'customer number ' || x, x::numeric(20, 2) / 100,"
                        + " timestamptz '2024-01-01 00:00:00+00' + x * interval '1 second'"
                        + " FROM generate_series(1, " + ROWS + ") x";
            }
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                        + " amount NUMERIC(20, 2) NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                s.execute(fill);
            }
            try (Switchboard sb = Switchboard.builder()
                    .resource("big-db", ds)
                    .accessPolicy(AccessPolicy.allowAll())
                    .connection(ConnectionConfig.builder("db")
                            .connector("jdbc")
                            .settings(Map.of(JdbcConnector.DATA_SOURCE, "big-db"))
                            .build())
                    .build()) {
                long n = 0;
                AgentContext ctx = AgentContext.of(Principal.user("ana", "acme"));
                try (RecordStream stream =
                        sb.connection("db").read(ctx, ReadRequest.of("big").pageSize(5000))) {
                    for (Record r : stream) {
                        n++;
                        if (n % 250_000 == 0) {
                            Runtime rt = Runtime.getRuntime();
                            System.out.println("at " + n + " heap in use " + (rt.totalMemory() - rt.freeMemory()));
                        }
                    }
                }
                System.out.println("read " + n);
            }
        }
    }
}
