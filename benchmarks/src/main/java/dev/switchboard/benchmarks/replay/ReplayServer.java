package dev.switchboard.benchmarks.replay;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves a {@link Tape} over HTTP/1.1 with keep-alive, from memory: each request is looked up by method,
 * target and body, and answered with the recorded status, headers and body, prebuilt as one byte array. A
 * request the tape does not hold is a miss (HTTP 404 and a count), so a benchmark can check that both its
 * sides sent exactly the recorded requests. {@code GET /__replay/stats} answers {@code hits N misses M}.
 *
 * <p>Run in its own process: {@code java ... ReplayServer <tape file>}; it prints {@code port N} when it
 * listens on 127.0.0.1 and exits when its standard input closes.
 */
public final class ReplayServer {
    private final Map<String, byte[]> answers = new HashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    ReplayServer(Tape tape) {
        for (Tape.Exchange e : tape.exchanges()) {
            answers.put(e.key(), response(e.status(), e.responseHeaders(), e.responseBody()));
        }
    }

    public static void main(String[] args) throws IOException {
        ReplayServer server = new ReplayServer(Tape.read(Path.of(args[0])));
        ExecutorService connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "replay-connection");
            t.setDaemon(true);
            return t;
        });
        ServerSocket socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (true) {
                        try {
                            Socket s = socket.accept();
                            s.setTcpNoDelay(true);
                            connections.execute(() -> server.serve(s));
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "replay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("port " + socket.getLocalPort());
        System.out.flush();
        // Lives as long as the process that started it keeps our standard input open.
        while (System.in.read() >= 0) {
            // ignore
        }
        socket.close();
    }

    private void serve(Socket socket) {
        try (socket;
                InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                OutputStream out = socket.getOutputStream()) {
            ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
            while (true) {
                head.reset();
                if (!readHead(in, head)) {
                    return;
                }
                String text = head.toString(StandardCharsets.ISO_8859_1);
                int lineEnd = text.indexOf("\r\n");
                String[] requestLine = text.substring(0, lineEnd).split(" ");
                int length = contentLength(text);
                byte[] body = in.readNBytes(length);
                if (body.length < length) {
                    return;
                }
                out.write(answer(requestLine[0], requestLine[1], body));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private byte[] answer(String method, String target, byte[] body) {
        if (target.equals("/__replay/stats")) {
            byte[] stats = ("hits " + hits.get() + " misses " + misses.get()).getBytes(StandardCharsets.UTF_8);
            return response(200, java.util.List.of("Content-Type", "text/plain"), stats);
        }
        byte[] answer = answers.get(method + ' ' + target + '\n' + new String(body, StandardCharsets.ISO_8859_1));
        if (answer == null) {
            misses.incrementAndGet();
            return response(
                    404,
                    java.util.List.of("Content-Type", "text/plain"),
                    "not on the tape".getBytes(StandardCharsets.UTF_8));
        }
        hits.incrementAndGet();
        return answer;
    }

    /** Reads up to and including the blank line; false at a clean end of stream. */
    private static boolean readHead(InputStream in, ByteArrayOutputStream head) throws IOException {
        int matched = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return true;
            }
        }
    }

    private static int contentLength(String head) {
        String lower = head.toLowerCase(Locale.ROOT);
        int at = lower.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int end = lower.indexOf("\r\n", at + 2);
        return Integer.parseInt(
                lower.substring(at + "\r\ncontent-length:".length(), end).trim());
    }

    private static byte[] response(int status, java.util.List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append("HTTP/1.1 ")
                .append(status)
                .append(status == 200 ? " OK" : " Other")
                .append("\r\n");
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            if (!Tape.transport(headers.get(i))) {
                head.append(headers.get(i))
                        .append(": ")
                        .append(headers.get(i + 1))
                        .append("\r\n");
            }
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }
}
