package dev.switchboard.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.error.ConsentDeniedException;
import dev.switchboard.core.error.TransientException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Receives one OAuth redirect for a CLI or desktop app (RFC 8252 section 7.3): listens on
 * {@code 127.0.0.1} on an ephemeral port, at {@code /callback}, accepts the first request that carries
 * a query, answers the browser with a short page, and closes. {@link #close()} also stops it; it never
 * serves a second callback.
 */
public final class LoopbackReceiver implements AutoCloseable {
    private static final String PATH = "/callback";

    private final HttpServer server;
    private final CompletableFuture<URI> callback = new CompletableFuture<>();
    private final URI redirectUri;

    private LoopbackReceiver(HttpServer server) {
        this.server = server;
        this.redirectUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** Starts listening on 127.0.0.1 on a port the system chooses. */
    public static LoopbackReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            LoopbackReceiver receiver = new LoopbackReceiver(server);
            server.createContext("/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new TransientException("oauth", "loopback", "cannot listen on 127.0.0.1: " + e, e);
        }
    }

    /** The redirect URI to register in the authorization request. */
    public URI redirectUri() {
        return redirectUri;
    }

    /**
     * Waits for the browser's redirect, then closes.
     *
     * @return the full callback URI, to pass to {@link OAuthClient#exchange}
     * @throws ConsentDeniedException if the user did not finish within {@code timeout}
     */
    public URI await(Duration timeout) {
        try {
            return callback.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ConsentDeniedException(
                    "oauth",
                    "authorize",
                    "the user did not complete the authorization in the" + " browser within " + timeout
                            + ": ask them to try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("oauth", "authorize", "interrupted while waiting for the browser", e);
        } catch (ExecutionException e) {
            throw new TransientException("oauth", "authorize", "the loopback receiver failed", e.getCause());
        } finally {
            close();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            if (!PATH.equals(uri.getPath()) || uri.getRawQuery() == null || callback.isDone()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            callback.complete(redirectUri.resolve(uri.getRawPath() + "?" + uri.getRawQuery()));
            byte[] page =
                    ("<!doctype html><title>Switchboard</title><p>Authorization received. You can close this window"
                                    + " and return to the application.</p>")
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        }
    }

    /** Stops listening; idempotent. */
    @Override
    public void close() {
        server.stop(0);
    }
}
