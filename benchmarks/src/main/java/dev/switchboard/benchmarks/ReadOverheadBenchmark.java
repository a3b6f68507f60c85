package dev.switchboard.benchmarks;

import dev.switchboard.benchmarks.replay.HubSpotReplay;
import dev.switchboard.benchmarks.replay.RawReplayClient;
import dev.switchboard.benchmarks.replay.ReadDigest;
import dev.switchboard.benchmarks.replay.ReplayServerProcess;
import dev.switchboard.benchmarks.replay.Tape;
import dev.switchboard.core.Switchboard;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * One read of HubSpot contacts through Switchboard (pipeline, budget, breaker, credential, classification,
 * JSON model, records, drift check, access policy, checkpoint, audit) against the same requests sent with raw
 * OkHttp and parsed with Jackson: the floor. Both talk to a {@link dev.switchboard.benchmarks.replay.ReplayServer}
 * in its own process that answers from a tape recorded once from FakeHubSpot, so both send the same requests
 * and receive the same bytes; a request the tape does not hold fails the run.
 *
 * <p>{@code records=3}: one page of about 1 KB, the per-call cost. {@code records=100000}: a bulk read, 100 a
 * page. Run through {@link ReadOverheadRounds}, which interleaves the two sides round by round and reports
 * ratios per round; run alone, a trial records its own tape and starts its own server. Each trial first checks
 * that both sides read the same records, each once ({@link ReadDigest}); each operation checks the count.
 */
@State(Scope.Benchmark)
@Fork(1)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReadOverheadBenchmark {
    @Param({"3"})
    public int records;

    private int pageSize;
    private @Nullable ReplayServerProcess ownServer;
    private Switchboard switchboard;
    private RawReplayClient raw;

    @Setup(Level.Trial)
    public void start() throws IOException {
        pageSize = Math.min(records, 100);
        String url = System.getProperty("replay.url");
        String op = System.getProperty("replay.op");
        if (url == null || op == null) {
            Path[] tapes = HubSpotReplay.record(records, pageSize, Files.createTempDirectory("tapes"));
            ownServer = ReplayServerProcess.start(HubSpotReplay.serverTape(tapes[0], tapes[1]));
            url = ownServer.baseUrl();
            op = tapes[1].toString();
        }
        switchboard = HubSpotReplay.switchboard(url, null);
        HubSpotReplay.read(switchboard, pageSize, records); // a new Switchboard's first read also asks for metadata
        raw = new RawReplayClient(url, Tape.read(Path.of(op)));
        // Both sides read the same records, each once: not only as many.
        ReadDigest ours = new ReadDigest();
        ReadDigest floor = new ReadDigest();
        HubSpotReplay.read(switchboard, pageSize, records, ours);
        checked(raw.read(floor));
        floor.checkSame(ours, "the floor and Switchboard");
    }

    @TearDown(Level.Trial)
    public void stop() {
        switchboard.close();
        raw.close();
        if (ownServer != null) {
            long misses = ownServer.hitsAndMisses()[1];
            ownServer.close();
            if (misses != 0) {
                throw new IllegalStateException(misses + " requests were not on the tape: the sides differ");
            }
        }
    }

    /**
     * CPU time and bytes allocated by each benchmark thread, and its calls, per iteration (JMH sums them over
     * threads). The calling thread's bytes leave out what other threads allocate meanwhile (OkHttp's task
     * runner, the JIT's own), which JMH's GC profiler counts per operation and which grows with the time an
     * operation takes on a loaded machine.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        public long cpuNanos;
        public long allocatedBytes;
        public long calls;
        private long start;
        private long startBytes;

        @Setup(Level.Iteration)
        public void begin() {
            cpuNanos = 0;
            allocatedBytes = 0;
            calls = 0;
            start = THREADS.getCurrentThreadCpuTime();
            startBytes = THREADS.getCurrentThreadAllocatedBytes();
        }

        @TearDown(Level.Iteration)
        public void end() {
            cpuNanos = THREADS.getCurrentThreadCpuTime() - start;
            allocatedBytes = THREADS.getCurrentThreadAllocatedBytes() - startBytes;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public int switchboard(Cpu cpu) {
        cpu.calls++;
        return HubSpotReplay.read(switchboard, pageSize, records);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public int raw(Cpu cpu) throws IOException {
        cpu.calls++;
        return checked(raw.read());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public int switchboardLatency() {
        return HubSpotReplay.read(switchboard, pageSize, records);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public int rawLatency() throws IOException {
        return checked(raw.read());
    }

    private int checked(int n) {
        if (n != records) {
            throw new IllegalStateException("read " + n + " records with an email, expected " + records);
        }
        return n;
    }
}
