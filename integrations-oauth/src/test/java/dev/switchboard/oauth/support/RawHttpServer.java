package dev.switchboard.oauth.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A small HTTP/1.1 server on a plain {@link ServerSocket} bound to 127.0.0.1, for the transport
 * failures a token endpoint meets and WireMock cannot stage: it closes a keep-alive connection that stays
 * idle longer than a set time (as servers with a 5 s keep-alive do), drops a connection after reading a
 * request without answering, or drops TLS handshakes. Every request it answers gets the same JSON body.
 * It counts connections and complete requests, and stops itself after {@link #LIFETIME} if a test
 * forgets to close it.
 */
public final class RawHttpServer implements AutoCloseable {
    static final Duration LIFETIME = Duration.ofSeconds(30);
    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket listener;
    private final @Nullable SSLContext tls;
    private final int droppedHandshakes;
    private final boolean dropAfterRequest;
    private final Duration idleClose;
    private final byte[] answer;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final BlockingQueue<Closed> ended = new LinkedBlockingQueue<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-http-server");
        t.setDaemon(true);
        return t;
    });

    private RawHttpServer(
            @Nullable SSLContext tls,
            int droppedHandshakes,
            boolean dropAfterRequest,
            Duration idleClose,
            String answer)
            throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.tls = tls;
        this.droppedHandshakes = droppedHandshakes;
        this.dropAfterRequest = dropAfterRequest;
        this.idleClose = idleClose;
        this.answer = answer.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + LIFETIME.toNanos();
        threads.execute(() -> acceptUntil(deadline));
    }

    /** Answers every request with {@code json} and closes a connection idle for {@code idleClose}. */
    public static RawHttpServer closingIdleAfter(Duration idleClose, String json) throws IOException {
        return new RawHttpServer(null, 0, false, idleClose, json);
    }

    /** Reads each request completely, then closes the connection without a byte of answer. */
    public static RawHttpServer droppingAfterRequest() throws IOException {
        return new RawHttpServer(null, 0, true, Duration.ofSeconds(5), "");
    }

    /**
     * Speaks TLS with {@code tls}, but closes the first {@code droppedHandshakes} connections in the
     * middle of their handshake (before a request can be sent); later ones are answered with {@code json}.
     */
    public static RawHttpServer tlsDroppingHandshakes(SSLContext tls, int droppedHandshakes, String json)
            throws IOException {
        return new RawHttpServer(tls, droppedHandshakes, false, Duration.ofSeconds(5), json);
    }

    public String baseUrl() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + listener.getLocalPort();
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Requests read completely so far. */
    public int requests() {
        return requests.get();
    }

    /** Who ended a keep-alive connection. */
    public enum Closed {
        /** The client closed it (its pool evicted it, or it gave up). */
        BY_CLIENT,
        /** The server closed it after it sat idle for the idle time. */
        BY_SERVER_WHILE_IDLE
    }

    /** Waits until a connection that served requests ends, and says who ended it; null if none did in time. */
    public @Nullable Closed awaitConnectionEnd(Duration timeout) throws InterruptedException {
        return ended.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acceptUntil(long deadline) {
        try (listener) {
            listener.setSoTimeout(100);
            while (System.nanoTime() < deadline && !listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    open.add(s);
                    int index = connections.incrementAndGet();
                    threads.execute(() -> serve(s, index));
                } catch (SocketTimeoutException tick) {
                    // check the deadline
                }
            }
        } catch (IOException closed) {
            // close() was called
        }
    }

    private void serve(Socket raw, int index) {
        try (raw) {
            raw.setSoTimeout((int) idleClose.toMillis());
            Socket s = raw;
            if (tls != null) {
                if (index <= droppedHandshakes) {
                    // Read the ClientHello record (5-byte header, then its length), then hang up mid-handshake.
                    byte[] header = raw.getInputStream().readNBytes(5);
                    if (header.length == 5) {
                        raw.getInputStream().readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
                    }
                    return;
                }
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
                secure.setUseClientMode(false);
                secure.startHandshake();
                s = secure;
            }
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                String head;
                try {
                    head = readHead(in);
                } catch (SocketTimeoutException idle) {
                    ended.add(Closed.BY_SERVER_WHILE_IDLE); // closing an idle keep-alive connection, as servers do
                    return;
                }
                if (head == null) {
                    ended.add(Closed.BY_CLIENT);
                    return;
                }
                in.readNBytes(contentLength(head));
                requests.incrementAndGet();
                if (dropAfterRequest) {
                    return;
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + answer.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away, or close() was called
        } finally {
            open.remove(raw);
        }
    }

    /** The request line and headers, or null at a clean end of stream before the first byte. */
    private static @Nullable String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("the request ended inside its headers");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request headers too large");
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        threads.shutdownNow();
    }
}
