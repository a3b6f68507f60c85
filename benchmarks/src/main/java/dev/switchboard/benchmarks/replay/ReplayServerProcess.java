package dev.switchboard.benchmarks.replay;

import java.nio.file.Path;

/** A {@link ReplayServer} in a child process of its own, so its CPU is not the benchmark's. */
public final class ReplayServerProcess implements AutoCloseable {
    private final ServerProcess process;

    private ReplayServerProcess(ServerProcess process) {
        this.process = process;
    }

    /** Starts a server for {@code tape} and waits until it listens. */
    public static ReplayServerProcess start(Path tape) {
        return new ReplayServerProcess(ServerProcess.start(ReplayServer.class, "2g", tape.toString()));
    }

    public String baseUrl() {
        return process.baseUrl();
    }

    /** Requests answered from the tape, and those it did not hold, since the server started. */
    public long[] hitsAndMisses() {
        String[] parts = process.get("/__replay/stats").split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[3])};
    }

    @Override
    public void close() {
        process.close();
    }
}
