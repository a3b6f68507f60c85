package dev.switchboard.benchmarks;

import dev.switchboard.benchmarks.replay.HubSpotReplay;
import dev.switchboard.benchmarks.replay.ReplayServerProcess;
import dev.switchboard.benchmarks.replay.Tape;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ReadOverheadBenchmark} round by round, the floor and Switchboard interleaved (the side that goes
 * first alternates), against one replay server in its own process, and prints each measure with the ratio of
 * every round and their spread. Every run checks that the server answered every request from its tape.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am -DskipTests package
 * java -cp "$(cat benchmarks/target/classpath.txt)" dev.switchboard.benchmarks.ReadOverheadRounds [rounds]
 * </pre>
 * (the {@code jmh} profile's {@code -Djmh.main=dev.switchboard.benchmarks.ReadOverheadRounds} does both; see
 * docs/benchmarks.md).
 */
public final class ReadOverheadRounds {
    private ReadOverheadRounds() {}

    /** One measure: the floor's and Switchboard's value per round. */
    private record Measure(String name, String unit, boolean higherIsBetter, List<double[]> rounds) {
        Measure(String name, String unit, boolean higherIsBetter) {
            this(name, unit, higherIsBetter, new ArrayList<>());
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("tapes");
        Map<String, Measure> measures = new LinkedHashMap<>();
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, load average %.2f at start, JDK %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.version());

        // Per call: one page of three contacts, 1 and 8 threads.
        Path[] small = HubSpotReplay.record(3, 3, dir);
        try (ReplayServerProcess server = ReplayServerProcess.start(HubSpotReplay.serverTape(small[0], small[1]))) {
            System.out.printf(
                    Locale.ROOT,
                    "one page: %d bytes received per call by each side%n",
                    Tape.read(small[1]).responseBytes());
            for (int r = 0; r < rounds; r++) {
                for (int threads : new int[] {1, 8}) {
                    double[][] avg = pair(r, side -> run(server, small[1], side, 3, threads, false, 2));
                    double[][] lat = pair(r, side -> run(server, small[1], side + "Latency", 3, threads, true, 2));
                    String t = threads + (threads == 1 ? " thread" : " threads");
                    if (threads == 1) {
                        add(measures, "one page, p50 latency, " + t, "µs", false, lat[0][0], lat[1][0]);
                        add(
                                measures,
                                "one page, CPU of the calling thread per call",
                                "µs",
                                false,
                                avg[0][2] / 1000,
                                avg[1][2] / 1000);
                        add(measures, "one page, bytes allocated per call", "B", false, avg[0][1], avg[1][1]);
                    } else {
                        add(
                                measures,
                                "one page, calls/s, " + t,
                                "calls/s",
                                true,
                                threads * 1e6 / avg[0][0],
                                threads * 1e6 / avg[1][0]);
                    }
                }
            }
            check(server);
        }

        // Bulk: 100,000 contacts, 100 a page.
        int bulk = 100_000;
        Path[] big = HubSpotReplay.record(bulk, 100, dir);
        try (ReplayServerProcess server = ReplayServerProcess.start(HubSpotReplay.serverTape(big[0], big[1]))) {
            for (int r = 0; r < rounds; r++) {
                double[][] avg = pair(r, side -> run(server, big[1], side, bulk, 1, false, 5));
                add(
                        measures,
                        "bulk read, 100k contacts, records/s",
                        "records/s",
                        true,
                        bulk * 1e6 / avg[0][0],
                        bulk * 1e6 / avg[1][0]);
                add(
                        measures,
                        "bulk read, CPU per record",
                        "µs",
                        false,
                        avg[0][2] / 1000 / bulk,
                        avg[1][2] / 1000 / bulk);
                add(measures, "bulk read, bytes allocated per record", "B", false, avg[0][1] / bulk, avg[1][1] / bulk);
            }
            check(server);
        }

        System.out.printf(
                Locale.ROOT,
                "%n| measure | raw OkHttp + Jackson | Switchboard | ratio per round (median, min-max) |%n| --- | --- | --- | --- |%n");
        for (Measure m : measures.values()) {
            double[] floor = m.rounds().stream().mapToDouble(v -> v[0]).toArray();
            double[] ours = m.rounds().stream().mapToDouble(v -> v[1]).toArray();
            double[] ratios =
                    m.rounds().stream().mapToDouble(v -> v[1] / v[0]).sorted().toArray();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s %s | %s %s | %.2fx (%.2f-%.2f over %d rounds) |%n",
                    m.name(),
                    fmt(median(floor)),
                    m.unit(),
                    fmt(median(ours)),
                    m.unit(),
                    median(ratios),
                    ratios[0],
                    ratios[ratios.length - 1],
                    ratios.length);
        }
        System.out.printf(
                Locale.ROOT,
                "load average at the end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private interface Side {
        double[] run(String side) throws RunnerException;
    }

    /** Both sides, the first alternating by round: [floor, switchboard]. */
    private static double[][] pair(int round, Side run) throws RunnerException {
        double[] floor;
        double[] ours;
        if (round % 2 == 0) {
            floor = run.run("raw");
            ours = run.run("switchboard");
        } else {
            ours = run.run("switchboard");
            floor = run.run("raw");
        }
        return new double[][] {floor, ours};
    }

    /**
     * One JMH run of one method: {time per op in µs (p50 for latency runs), bytes allocated per op, CPU ns per
     * op}.
     */
    private static double[] run(
            ReplayServerProcess server, Path op, String method, int records, int threads, boolean latency, int seconds)
            throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(ReadOverheadBenchmark.class.getName() + "\\." + method + "$")
                .param("records", Integer.toString(records))
                .threads(threads)
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(seconds))
                .jvmArgsAppend("-Dreplay.url=" + server.baseUrl(), "-Dreplay.op=" + op)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT);
        if (!latency) {
            options.addProfiler(GCProfiler.class);
        }
        RunResult result = new Runner(options.build()).runSingle();
        if (latency) {
            return new double[] {result.getPrimaryResult().getStatistics().getPercentile(50), 0, 0};
        }
        Map<String, Result> secondary = result.getSecondaryResults();
        double alloc = score(secondary, "gc.alloc.rate.norm");
        double cpu = score(secondary, "cpuNanos") / score(secondary, "calls");
        return new double[] {result.getPrimaryResult().getScore(), alloc, cpu};
    }

    private static double score(Map<String, Result> results, String name) {
        Result r = results.get(name);
        if (r == null) {
            throw new IllegalStateException("JMH reported no " + name + "; it reported " + results.keySet());
        }
        return r.getScore();
    }

    private static void check(ReplayServerProcess server) {
        long[] hm = server.hitsAndMisses();
        if (hm[1] != 0 || hm[0] == 0) {
            throw new IllegalStateException(
                    "the replay server answered " + hm[0] + " requests and missed " + hm[1] + ": the sides differ");
        }
        System.out.printf(Locale.ROOT, "replay server: %d requests answered from the tape, none missed%n", hm[0]);
    }

    private static void add(
            Map<String, Measure> measures, String name, String unit, boolean higher, double floor, double ours) {
        measures.computeIfAbsent(name, n -> new Measure(n, unit, higher))
                .rounds()
                .add(new double[] {floor, ours});
        System.out.printf(
                Locale.ROOT, "%s: floor %s, switchboard %s, ratio %.2f%n", name, fmt(floor), fmt(ours), ours / floor);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
