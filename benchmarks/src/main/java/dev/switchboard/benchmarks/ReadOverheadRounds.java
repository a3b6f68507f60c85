package dev.switchboard.benchmarks;

import dev.switchboard.benchmarks.replay.HubSpotReplay;
import dev.switchboard.benchmarks.replay.ReplayServerProcess;
import dev.switchboard.benchmarks.replay.Tape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;

/**
 * Runs {@link ReadOverheadBenchmark} round by round, the floor and Switchboard interleaved (the side that goes
 * first alternates), against one replay server in its own process, and prints each measure with the ratio of
 * every round and their spread. Every run checks that the server answered every request from its tape.
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am -DskipTests -Pjmh package -Djmh.main=dev.switchboard.benchmarks.ReadOverheadRounds -Djmh.args=5
 * </pre>
 * (the argument is the number of rounds; a second argument {@code per-call} leaves out the bulk read, whose tape
 * takes about 15 minutes to record; see docs/benchmarks.md).
 */
public final class ReadOverheadRounds {
    private ReadOverheadRounds() {}

    /**
     * Warm-up iterations (of 2 s) for the per-call runs: at 8 threads on 2 cores the compiler settled only after
     * about 15 (it competes with eight busy threads), and with 5 the 8-thread ratio measured the JIT.
     */
    private static final int PER_CALL_WARMUPS = 20;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        boolean bulkToo = args.length < 2 || !args[1].equals("per-call");
        Path dir = Files.createTempDirectory("tapes");
        Rounds measures = new Rounds();
        Rounds.printMachine("at the start");

        // Per call: one page of three contacts, 1 and 8 threads.
        Path[] small = HubSpotReplay.record(3, 3, dir);
        try (ReplayServerProcess server = ReplayServerProcess.start(HubSpotReplay.serverTape(small[0], small[1]))) {
            System.out.printf(
                    Locale.ROOT,
                    "one page: %d bytes received per call by each side%n",
                    Tape.read(small[1]).responseBytes());
            for (int r = 0; r < rounds; r++) {
                for (int threads : new int[] {1, 8}) {
                    double[][] avg = Rounds.pair(
                            r, "raw", "switchboard", side -> run(server, small[1], side, 3, threads, false, 2));
                    double[][] lat = Rounds.pair(
                            r,
                            "raw",
                            "switchboard",
                            side -> run(server, small[1], side + "Latency", 3, threads, true, 2));
                    String t = threads + (threads == 1 ? " thread" : " threads");
                    if (threads == 1) {
                        measures.add("one page, p50 latency, " + t, "µs", lat[0][0], lat[1][0]);
                        measures.add(
                                "one page, CPU of the calling thread per call",
                                "µs",
                                avg[0][2] / 1000,
                                avg[1][2] / 1000);
                        measures.add("one page, bytes allocated per call", "B", avg[0][1], avg[1][1]);
                    } else {
                        measures.add(
                                "one page, calls/s, " + t,
                                "calls/s",
                                threads * 1e6 / avg[0][0],
                                threads * 1e6 / avg[1][0]);
                    }
                }
            }
            check(server);
        }

        // Bulk: 100,000 contacts, 100 a page.
        int bulk = 100_000;
        if (!bulkToo) {
            measures.print("raw OkHttp + Jackson");
            Rounds.printMachine("at the end");
            return;
        }
        Path[] big = HubSpotReplay.record(bulk, 100, dir);
        try (ReplayServerProcess server = ReplayServerProcess.start(HubSpotReplay.serverTape(big[0], big[1]))) {
            for (int r = 0; r < rounds; r++) {
                double[][] avg =
                        Rounds.pair(r, "raw", "switchboard", side -> run(server, big[1], side, bulk, 1, false, 5));
                measures.add(
                        "bulk read, 100k contacts, records/s",
                        "records/s",
                        bulk * 1e6 / avg[0][0],
                        bulk * 1e6 / avg[1][0]);
                measures.add("bulk read, CPU per record", "µs", avg[0][2] / 1000 / bulk, avg[1][2] / 1000 / bulk);
                measures.add("bulk read, bytes allocated per record", "B", avg[0][1] / bulk, avg[1][1] / bulk);
            }
            check(server);
        }

        measures.print("raw OkHttp + Jackson");
        Rounds.printMachine("at the end");
    }

    /**
     * One JMH run of one method: {time per op in µs (p50 for latency runs), bytes allocated per op, CPU ns per
     * op}.
     */
    private static double[] run(
            ReplayServerProcess server, Path op, String method, int records, int threads, boolean latency, int seconds)
            throws RunnerException {
        ChainedOptionsBuilder options = Rounds.options(ReadOverheadBenchmark.class, method, seconds)
                .warmupIterations(records == 3 ? PER_CALL_WARMUPS : 5)
                .param("records", Integer.toString(records))
                .threads(threads)
                .jvmArgsAppend("-Dreplay.url=" + server.baseUrl(), "-Dreplay.op=" + op);
        if (!latency) {
            options.addProfiler(GCProfiler.class);
        }
        RunResult result = Rounds.run(options);
        if (latency) {
            return new double[] {result.getPrimaryResult().getStatistics().getPercentile(50), 0, 0};
        }
        Map<String, Result> secondary = result.getSecondaryResults();
        double alloc = Rounds.score(secondary, "gc.alloc.rate.norm");
        double cpu = Rounds.score(secondary, "cpuNanos") / Rounds.score(secondary, "calls");
        return new double[] {result.getPrimaryResult().getScore(), alloc, cpu};
    }

    private static void check(ReplayServerProcess server) {
        long[] hm = server.hitsAndMisses();
        if (hm[1] != 0 || hm[0] == 0) {
            throw new IllegalStateException(
                    "the replay server answered " + hm[0] + " requests and missed " + hm[1] + ": the sides differ");
        }
        System.out.printf(Locale.ROOT, "replay server: %d requests answered from the tape, none missed%n", hm[0]);
    }
}
