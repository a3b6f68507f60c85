package dev.switchboard.benchmarks.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves a {@link Tape} over HTTP/1.1 with keep-alive, from memory: each request is looked up by method,
 * target and body, and answered with the recorded status, headers and body, prebuilt as one byte array. A
 * request the tape does not hold is a miss (HTTP 404 and a count), so a benchmark can check that both its
 * sides sent exactly the recorded requests. {@code GET /__replay/stats} answers {@code hits N misses M}.
 *
 * <p>Run in its own process ({@link ReplayServerProcess}): {@code java ... ReplayServer <tape file>}, served by
 * {@link LoopbackHttpServer}.
 */
public final class ReplayServer {
    private final Map<String, byte[]> answers = new HashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    ReplayServer(Tape tape) {
        for (Tape.Exchange e : tape.exchanges()) {
            answers.put(e.key(), LoopbackHttpServer.response(e.status(), e.responseHeaders(), e.responseBody()));
        }
    }

    public static void main(String[] args) throws IOException {
        ReplayServer server = new ReplayServer(Tape.read(Path.of(args[0])));
        LoopbackHttpServer.serveUntilInputCloses(server::answer, "replay");
    }

    byte[] answer(String method, String target, byte[] body) {
        if (target.equals("/__replay/stats")) {
            return LoopbackHttpServer.text(200, "hits " + hits.get() + " misses " + misses.get());
        }
        byte[] answer = answers.get(method + ' ' + target + '\n' + new String(body, StandardCharsets.ISO_8859_1));
        if (answer == null) {
            misses.incrementAndGet();
            return LoopbackHttpServer.text(404, "not on the tape");
        }
        hits.incrementAndGet();
        return answer;
    }
}
