package dev.switchboard.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.connectors.jdbc.JdbcConnector;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.model.Record;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One full read of table {@code t} (8 columns: bigint, text, text, numeric, timestamptz, boolean, uuid, jsonb)
 * through Switchboard's {@code jdbc} connector, every page until done, against the floor: a plain JDBC loop
 * (auto-commit off, the connector's fetch size, one typed getter per column). Both use one HikariCP pool on an
 * embedded PostgreSQL in its own process. Run through {@link JdbcReadRounds}, which starts one server, passes
 * its URL as {@code -Djdbc.url} and interleaves the sides; run alone, a trial starts its own server. Each trial
 * first checks that both sides read the same rows (count and sum of ids); each operation checks both again.
 */
@State(Scope.Benchmark)
@Fork(1)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JdbcReadBenchmark {
    /** The connector's default fetch size and page size ({@link JdbcConnector#FETCH_SIZE}, PAGE_SIZE). */
    static final int FETCH_SIZE = 500;

    private static final String SELECT = "SELECT " + JdbcBenchDatabase.COLUMNS + " FROM t ORDER BY id";

    @Param({"100000"})
    public int rows;

    private @Nullable EmbeddedPostgres ownServer;
    private HikariDataSource pool;
    private Switchboard switchboard;
    private AgentContext ctx;
    private long expectedIdSum;

    @Setup(Level.Trial)
    public void start() throws IOException, SQLException {
        String url = System.getProperty("jdbc.url");
        if (url == null) {
            ownServer = JdbcBenchDatabase.start();
            url = ownServer.getJdbcUrl("postgres", "postgres");
            try (HikariDataSource ds = JdbcBenchDatabase.pool(url, 1)) {
                JdbcBenchDatabase.fill(ds, rows);
            }
        }
        pool = JdbcBenchDatabase.pool(url, 2);
        switchboard = Switchboard.builder()
                .resource("bench-db", pool)
                .accessPolicy(AccessPolicy.allowAll())
                .connection(ConnectionConfig.builder("db")
                        .connector(JdbcConnector.ID)
                        .settings(Map.of(JdbcConnector.DATA_SOURCE, "bench-db", JdbcConnector.TABLES, "t"))
                        .build())
                .build();
        ctx = AgentContext.of(Principal.user("bench", "acme"));
        expectedIdSum = (long) rows * (rows + 1) / 2;
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        long floor = plainLoop(bh);
        long ours = connector(bh);
        if (floor != ours || floor != expectedIdSum) {
            throw new IllegalStateException("the floor's id sum is " + floor + ", the connector's " + ours
                    + ", expected " + expectedIdSum + ": the sides read different rows");
        }
        bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        switchboard.close();
        pool.close();
        if (ownServer != null) {
            ownServer.close();
        }
    }

    /** Side A, the floor: one query, the connector's fetch size, every column read with its typed getter. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long plain(Blackhole bh) throws SQLException {
        return checked(plainLoop(bh));
    }

    /** Side B: the same table through {@code Switchboard.connection(..).read}, every page until done. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long switchboard(Blackhole bh) {
        return checked(connector(bh));
    }

    private long plainLoop(Blackhole bh) throws SQLException {
        long idSum = 0;
        long n = 0;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement(SELECT, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        String name = rs.getString(2);
                        String email = rs.getString(3);
                        BigDecimal amount = rs.getBigDecimal(4);
                        OffsetDateTime updatedAt = rs.getObject(5, OffsetDateTime.class);
                        boolean active = rs.getBoolean(6);
                        UUID ref = rs.getObject(7, UUID.class);
                        String attrs = rs.getString(8);
                        bh.consume(name);
                        bh.consume(email);
                        bh.consume(amount);
                        bh.consume(updatedAt);
                        bh.consume(active);
                        bh.consume(ref);
                        bh.consume(attrs);
                        idSum += id;
                        n++;
                    }
                }
            }
            c.commit();
        }
        return n == rows ? idSum : -n;
    }

    private long connector(Blackhole bh) {
        long idSum = 0;
        long n = 0;
        try (RecordStream stream = switchboard.connection("db").read(ctx, ReadRequest.of("t"))) {
            for (Record r : stream) {
                bh.consume(r);
                idSum += ((JsonNumber) Objects.requireNonNull(r.data().get("id")))
                        .value()
                        .longValueExact();
                n++;
            }
        }
        return n == rows ? idSum : -n;
    }

    private long checked(long idSum) {
        if (idSum != expectedIdSum) {
            throw new IllegalStateException("read a table whose id sum is " + idSum + ", expected " + expectedIdSum
                    + " (a negative sum is minus the rows read when the count was wrong)");
        }
        return idSum;
    }
}
