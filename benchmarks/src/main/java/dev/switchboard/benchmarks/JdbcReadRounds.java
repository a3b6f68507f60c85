package dev.switchboard.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link JdbcReadBenchmark} round by round, the plain JDBC loop and the connector interleaved (the side
 * that goes first alternates), each a fresh fork against one embedded PostgreSQL started here, and prints the
 * rows/s of each side and the ratio of every round with their spread (goal: at least 0.8x).
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am -DskipTests -Pjmh package -Djmh.main=dev.switchboard.benchmarks.JdbcReadRounds -Djmh.args=5
 * </pre>
 * (the argument is the number of rounds).
 */
public final class JdbcReadRounds {
    private JdbcReadRounds() {}

    private static final int ROWS = 100_000;
    private static final int WARMUPS = 12;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Rounds measures = new Rounds();
        Rounds.printMachine("at the start");
        try (EmbeddedPostgres server = JdbcBenchDatabase.start()) {
            String url = server.getJdbcUrl("postgres", "postgres");
            try (HikariDataSource ds = JdbcBenchDatabase.pool(url, 1)) {
                JdbcBenchDatabase.fill(ds, ROWS);
            }
            for (int r = 0; r < rounds; r++) {
                double[][] ms = Rounds.pair(r, "plain", "switchboard", side -> run(url, side));
                measures.add("full read, 100k rows, rows/s", "rows/s", ROWS * 1e3 / ms[0][0], ROWS * 1e3 / ms[1][0]);
            }
        }
        measures.print("plain JDBC loop");
        Rounds.printMachine("at the end");
    }

    /** One fork of one side: {ms per full read}. */
    private static double[] run(String url, String method) throws RunnerException {
        // 12 warm-up iterations, not 5: with 5, most of Switchboard's forks were still compiling (0.3-0.9 s of the
        // 6 s measured), so the ratio measured its longer path's JIT, not its reads.
        RunResult result = Rounds.run(Rounds.options(JdbcReadBenchmark.class, method, 2)
                .warmupIterations(WARMUPS)
                .param("rows", Integer.toString(ROWS))
                .jvmArgsAppend("-Djdbc.url=" + url));
        return new double[] {result.getPrimaryResult().getScore()};
    }
}
