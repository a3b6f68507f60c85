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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one HTTP server of the benchmarks' vendors ({@link ReplayServer}, {@link GeneratedHubSpotServer}): HTTP/1.1
 * with keep-alive on 127.0.0.1, a thread per connection, each request read whole (head and
 * {@code Content-Length} body) and answered with the bytes its {@link Handler} returns. Small on purpose: it
 * serves benchmark clients that send well-formed requests, and costs as little as a socket allows.
 */
public final class LoopbackHttpServer implements AutoCloseable {
    /** Answers one request with a whole HTTP response, head and body ({@link #response}). */
    public interface Handler {
        byte[] answer(String method, String target, byte[] body);
    }

    private final ServerSocket socket;

    private LoopbackHttpServer(ServerSocket socket) {
        this.socket = socket;
    }

    /** Starts serving on an ephemeral port of 127.0.0.1, on daemon threads. */
    public static LoopbackHttpServer start(Handler handler, String threadName) throws IOException {
        ExecutorService connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName + "-connection");
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
                            connections.execute(() -> serve(s, handler));
                        } catch (IOException e) {
                            connections.shutdownNow();
                            return; // closed
                        }
                    }
                },
                threadName + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return new LoopbackHttpServer(socket);
    }

    /**
     * The main of a server process: serves, prints {@code port N} once it listens, and returns when its standard
     * input closes, so it lives exactly as long as the process that started it ({@link ServerProcess}).
     */
    public static void serveUntilInputCloses(Handler handler, String threadName) throws IOException {
        try (LoopbackHttpServer server = start(handler, threadName)) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // ignore
            }
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static void serve(Socket socket, Handler handler) {
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
                out.write(handler.answer(requestLine[0], requestLine[1], body));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
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

    /**
     * A whole response: status line, {@code headers} (alternating name and value; the transport's own, such as
     * {@code Content-Length} or {@code Content-Encoding}, left out: the body is sent as is) and the body.
     */
    public static byte[] response(int status, List<String> headers, byte[] body) {
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

    /** A text answer, for stats and errors. */
    public static byte[] text(int status, String text) {
        return response(status, List.of("Content-Type", "text/plain"), text.getBytes(StandardCharsets.UTF_8));
    }
}
