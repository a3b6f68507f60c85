package dev.switchboard.benchmarks.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A {@link ReplayServer} in a child process of its own, so its CPU is not the benchmark's. */
public final class ReplayServerProcess implements AutoCloseable {
    private final Process process;
    private final String baseUrl;

    private ReplayServerProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** Starts a server for {@code tape} and waits until it listens. */
    public static ReplayServerProcess start(Path tape) {
        try {
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx2g",
                            "-XX:+UseParallelGC",
                            "-cp",
                            System.getProperty("java.class.path"),
                            ReplayServer.class.getName(),
                            tape.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("port ")) {
                p.destroyForcibly();
                throw new IllegalStateException("the replay server did not start: " + line);
            }
            return new ReplayServerProcess(
                    p, "http://127.0.0.1:" + line.substring(5).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Requests answered from the tape, and those it did not hold, since the server started. */
    public long[] hitsAndMisses() {
        try {
            String stats = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(baseUrl + "/__replay/stats"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String[] parts = stats.split(" ");
            return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[3])};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // the server exits when its standard input closes
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
