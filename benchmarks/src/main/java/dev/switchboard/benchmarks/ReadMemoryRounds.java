package dev.switchboard.benchmarks;

import dev.switchboard.benchmarks.replay.GeneratedHubSpotServer;
import dev.switchboard.benchmarks.replay.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The memory of a long read, Switchboard against the floor: for each size, a {@link GeneratedHubSpotServer} of
 * that many contacts in its own process, and per round each side's {@link ReadMemoryBenchmark} in a fresh JVM
 * with a small heap (serial GC), the side that goes first alternating. Prints, per run, the heap in use after GC
 * before the read, at its middle and at its end, the largest sample, the slope of a least-squares line through
 * the samples taken during the read (bytes a record adds to the live heap), the requests the server answered and
 * the records per second (sampling time left out); then the medians, ratios per round and slopes' spread.
 *
 * <p>Every run checks that both sides sent the same requests (their number, and the server's digest of method,
 * target and body) and read the same records, each once ({@link dev.switchboard.benchmarks.replay.ReadDigest}).
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am -DskipTests -Pjmh package -Djmh.main=dev.switchboard.benchmarks.ReadMemoryRounds \
 *     -Djmh.args="100000,1000000,4000000 3 64m"
 * </pre>
 * (sizes, rounds, the forked JVMs' -Xmx; see docs/benchmarks.md).
 */
public final class ReadMemoryRounds {
    private ReadMemoryRounds() {}

    /** What one side's run saw, besides its figures: to compare with the other side's. */
    private record Seen(long requests, long requestDigest, String ids) {}

    public static void main(String[] args) throws Exception {
        String[] sizes = (args.length > 0 ? args[0] : "100000,1000000,4000000").split(",");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String xmx = args.length > 2 ? args[2] : "64m";
        Rounds.printMachine("at the start");
        System.out.printf(Locale.ROOT, "each side in a fresh JVM: -Xmx%s -XX:+UseSerialGC%n", xmx);
        Rounds measures = new Rounds();
        Map<String, List<Double>> slopes = new LinkedHashMap<>(); // by size, then side
        for (String size : sizes) {
            long n = Long.parseLong(size.trim());
            try (ServerProcess server = GeneratedHubSpotServer.start(n)) {
                for (int r = 0; r < rounds; r++) {
                    Map<String, Seen> seen = new HashMap<>();
                    double[][] both = Rounds.pair(r, "raw", "switchboard", side -> {
                        try {
                            return run(server, side, n, xmx, seen);
                        } catch (IOException | InterruptedException e) {
                            throw new RunnerException(side + " failed", e);
                        }
                    });
                    Seen raw = java.util.Objects.requireNonNull(seen.get("raw"));
                    Seen ours = java.util.Objects.requireNonNull(seen.get("switchboard"));
                    if (raw.requests() != ours.requests() || raw.requestDigest() != ours.requestDigest()) {
                        throw new IllegalStateException(
                                "the sides sent different requests: " + raw + " against " + ours);
                    }
                    if (!raw.ids().equals(ours.ids())) {
                        throw new IllegalStateException(
                                "the sides read different records: " + raw.ids() + " against " + ours.ids());
                    }
                    String at = String.format(Locale.ROOT, "%,d records", n);
                    measures.add(at + ", heap after GC at the start", "MB", both[0][0], both[1][0]);
                    measures.add(at + ", heap after GC at the end", "MB", both[0][2], both[1][2]);
                    measures.add(at + ", largest heap after GC during the read", "MB", both[0][3], both[1][3]);
                    measures.add(at + ", records/s", "records/s", both[0][6], both[1][6]);
                    slopes.computeIfAbsent(at + " raw", k -> new ArrayList<>()).add(both[0][4]);
                    slopes.computeIfAbsent(at + " switchboard", k -> new ArrayList<>())
                            .add(both[1][4]);
                    System.out.printf(
                            Locale.ROOT,
                            "%s: both sides sent the same %,d requests and read the same records (%s)%n",
                            at,
                            raw.requests(),
                            raw.ids());
                }
            }
        }
        measures.print("raw OkHttp + Jackson");
        System.out.printf(
                Locale.ROOT,
                "%nslope of the heap after GC during the read, bytes a record, min / max over rounds (and what it"
                        + " makes over the whole read):%n");
        for (Map.Entry<String, List<Double>> e : slopes.entrySet()) {
            long n = Long.parseLong(e.getKey().split(" ")[0].replace(",", ""));
            double min =
                    e.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double max =
                    e.getValue().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            System.out.printf(
                    Locale.ROOT,
                    "  %s: %.4f / %.4f B/record (%+.0f / %+.0f KB)%n",
                    e.getKey(),
                    min,
                    max,
                    min * n / 1024,
                    max * n / 1024);
        }
        Rounds.printMachine("at the end");
    }

    /** One side in a fresh JVM: {start, middle, end, largest (MB), slope (B/record), requests, records/s}. */
    private static double[] run(ServerProcess server, String side, long n, String xmx, Map<String, Seen> seen)
            throws IOException, InterruptedException {
        long[] before = GeneratedHubSpotServer.stats(server);
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + xmx,
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReadMemoryBenchmark.class.getName(),
                        side,
                        Long.toString(n),
                        server.baseUrl())
                .redirectErrorStream(true)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        if (!child.waitFor(30, TimeUnit.MINUTES) || child.exitValue() != 0) {
            throw new IllegalStateException(side + " at " + n + " records failed: "
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        long[] after = GeneratedHubSpotServer.stats(server);
        List<HeapSampler.Sample> samples = new ArrayList<>();
        String[] read = null;
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("heap")) {
                samples.add(new HeapSampler.Sample(Long.parseLong(f[1]), Long.parseLong(f[2])));
            } else if (f[0].equals("read")) {
                read = f;
            }
        }
        if (read == null || samples.size() != ReadMemoryBenchmark.STEPS + 1) {
            throw new IllegalStateException(side + " printed no result: " + lines);
        }
        long requests = after[0] - before[0];
        if (after[1] - before[1] < n) {
            throw new IllegalStateException(side + ": the server sent " + (after[1] - before[1]) + " records for " + n);
        }
        // "read E nanos T sampling S ids <n> records, digest <hex>"
        String ids = line(read, 7);
        seen.put(side, new Seen(requests, after[2] - before[2], ids));
        double seconds = (Long.parseLong(read[3]) - Long.parseLong(read[5])) / 1e9;
        List<HeapSampler.Sample> during = samples.subList(1, samples.size());
        double start = mb(samples.get(0).bytes());
        double middle = mb(samples.get(ReadMemoryBenchmark.STEPS / 2).bytes());
        double end = mb(samples.get(samples.size() - 1).bytes());
        double largest =
                mb(during.stream().mapToLong(HeapSampler.Sample::bytes).max().orElse(0));
        double slope = HeapSampler.slope(during);
        double rate = n / seconds;
        System.out.printf(
                Locale.ROOT,
                "%,d records, %s: heap after GC %.2f MB at the start, %.2f at the middle, %.2f at the end, largest"
                        + " %.2f; slope %.4f B/record; %,d requests; %,.0f records/s%n",
                n,
                side,
                start,
                middle,
                end,
                largest,
                slope,
                requests,
                rate);
        return new double[] {start, middle, end, largest, slope, requests, rate};
    }

    private static String line(String[] fields, int from) {
        return String.join(" ", java.util.Arrays.asList(fields).subList(from, fields.length));
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
