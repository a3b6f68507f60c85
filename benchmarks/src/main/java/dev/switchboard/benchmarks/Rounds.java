package dev.switchboard.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.CompilerProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Side-by-side measurement, round by round: the floor and Switchboard run as separate JMH forks, interleaved
 * (the side that goes first alternates by round), and each measure keeps its value per round for both sides,
 * so a ratio is taken within a round, never between runs minutes apart. {@link #print} reports the medians,
 * and the ratio's median with its min-max spread.
 */
final class Rounds {
    /** One measure: the floor's and Switchboard's value per round. */
    private record Measure(String name, String unit, List<double[]> rounds) {}

    private final Map<String, Measure> measures = new LinkedHashMap<>();

    /** One side's run in a round. */
    interface Side {
        double[] run(String side) throws RunnerException;
    }

    /** Both sides, the first alternating by round: [floor, switchboard]. */
    static double[][] pair(int round, String floorSide, String oursSide, Side run) throws RunnerException {
        double[] floor;
        double[] ours;
        if (round % 2 == 0) {
            floor = run.run(floorSide);
            ours = run.run(oursSide);
        } else {
            ours = run.run(oursSide);
            floor = run.run(floorSide);
        }
        return new double[][] {floor, ours};
    }

    /** Where every fork's JMH output goes (the rounds print only their figures). */
    static final Path LOG = Path.of("target", "jmh-rounds.log");

    /**
     * JMH options for one method of {@code benchmark}: 5 warmup and 3 measured iterations of {@code seconds}. The
     * warm-up is long because C2 takes several seconds on 2 cores to settle Switchboard's longer call path: with
     * 2 warm-up iterations its first measured iteration still ran at twice its steady cost. Runs that need longer
     * set it with {@link ChainedOptionsBuilder#warmupIterations}; {@link #run} reports a run whose JIT was
     * still compiling while it was measured.
     */
    static ChainedOptionsBuilder options(Class<?> benchmark, String method, int seconds) {
        return new OptionsBuilder()
                .include(benchmark.getName() + "\\." + method + "$")
                .forks(1)
                .warmupIterations(5)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(seconds))
                .verbosity(VerboseMode.NORMAL)
                .output(LOG.toAbsolutePath().toString());
    }

    /**
     * The share of a run's measured time its JIT may spend compiling before the run counts as not warmed up:
     * a run still compiling measures the compiler competing for the 2 cores, not the code. At 8 threads on 2
     * cores, 5 warm-up iterations of 2 s left C2 compiling through the measurement (Switchboard's longer path
     * more so), and the 8-thread ratio read 0.52x where warmed-up runs read 0.88x.
     */
    static final double MAX_COMPILING_SHARE = 0.02;

    private static int runs;
    private static int compilingRuns;

    /**
     * Runs one fork, with JMH's compiler profiler; when it returns no result (the fork failed), the cause is in
     * {@link #LOG}. A run whose JIT compiled for more than {@link #MAX_COMPILING_SHARE} of its measured time is
     * reported at once and counted in {@link #print}.
     */
    static RunResult run(ChainedOptionsBuilder options) throws RunnerException {
        options.addProfiler(CompilerProfiler.class);
        Options built = options.build();
        RunResult result;
        try {
            result = new Runner(built).runSingle();
        } catch (RunnerException e) {
            throw new RunnerException("the fork failed; its output is in " + LOG.toAbsolutePath(), e);
        }
        double measuredMillis = built.getMeasurementIterations().orElse(1)
                * built.getMeasurementTime().orElse(TimeValue.seconds(1)).convertTo(TimeUnit.MILLISECONDS);
        double compilingMillis = score(result.getSecondaryResults(), "compiler.time.profiled");
        runs++;
        if (compilingMillis > MAX_COMPILING_SHARE * measuredMillis) {
            compilingRuns++;
            System.out.printf(
                    Locale.ROOT,
                    "  (%s: the JIT compiled for %.0f ms of its %.0f ms measured: not warmed up)%n",
                    result.getParams().getBenchmark(),
                    compilingMillis,
                    measuredMillis);
        }
        return result;
    }

    static double score(Map<String, Result> results, String name) {
        Result r = results.get(name);
        if (r == null) {
            throw new IllegalStateException("JMH reported no " + name + "; it reported " + results.keySet());
        }
        return r.getScore();
    }

    /** Records one round of a measure and prints it at once. */
    void add(String name, String unit, double floor, double ours) {
        measures.computeIfAbsent(name, n -> new Measure(n, unit, new ArrayList<>()))
                .rounds()
                .add(new double[] {floor, ours});
        System.out.printf(
                Locale.ROOT, "%s: floor %s, switchboard %s, ratio %.2f%n", name, fmt(floor), fmt(ours), ours / floor);
    }

    static void printMachine(String when) {
        System.out.printf(
                Locale.ROOT,
                "%s: %d cores, load average %.2f, JDK %s%n",
                when,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.version());
    }

    /** The table: each measure's medians and the ratio Switchboard / floor per round (median, min-max). */
    void print(String floorName) {
        System.out.printf(
                Locale.ROOT,
                "%n| measure | %s | Switchboard | ratio per round (median, min-max) |%n| --- | --- | --- | --- |%n",
                floorName);
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
        System.out.printf(Locale.ROOT, "%nwarm-up: %s%n", warmUpSummary());
    }

    /** How many runs were measured while their JIT was still compiling ({@link #run}). */
    static String warmUpSummary() {
        return String.format(
                Locale.ROOT,
                "%d of %d runs compiled for more than %.0f%% of their measured time%s",
                compilingRuns,
                runs,
                MAX_COMPILING_SHARE * 100,
                compilingRuns == 0 ? "" : ": their figures include the JIT, read them as not warmed up");
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
