package dev.switchboard.core.support;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A keep-alive HTTP/1.1 server on the loopback interface that answers every request {@code 200 {}}
 * with {@code Connection: keep-alive}, then closes a connection once it has sat idle for a set time,
 * as Node (5 s) and many proxies do. Counts connections and requests. Each connection's thread ends
 * when the connection does; {@link #close()} stops accepting.
 */
public final class IdleClosingServer implements AutoCloseable {
    private final ServerSocket server;
    private final int idleMillis;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();

    public IdleClosingServer(Duration closeIdleAfter) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.idleMillis = (int) closeIdleAfter.toMillis();
        Thread acceptor = new Thread(this::accept, "idle-closing-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Connections the client closed (the server read the end of the stream). */
    public int closedByClient() {
        return closedByClient.get();
    }

    /** Requests read whole and answered so far. */
    public int requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(socket), "idle-closing-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(idleMillis); // a read that waits longer: the connection was idle; close it
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                int length = readHead(in);
                if (length < 0) {
                    closedByClient.incrementAndGet();
                    return;
                }
                in.readNBytes(length);
                requests.incrementAndGet();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                                + "Connection: keep-alive\r\n\r\n{}")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (SocketTimeoutException idle) {
            // closed by try-with-resources: the behaviour under test
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Reads a request's head; returns its Content-Length, or -1 at the end of the stream. */
    private static int readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int length = 0;
        boolean first = true;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            if (c != '\n') {
                if (c != '\r') {
                    line.write(c);
                }
                continue;
            }
            String header = line.toString(StandardCharsets.US_ASCII);
            line.reset();
            if (header.isEmpty() && !first) {
                return length;
            }
            first = false;
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        header.substring("content-length:".length()).trim());
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
