package dev.switchboard.oauth;

import com.nimbusds.oauth2.sdk.util.URLUtils;
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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one OAuth redirect for a CLI or desktop app (RFC 8252 section 7.3): listens on
 * {@code 127.0.0.1} on an ephemeral port, at {@code /callback}.
 *
 * <p>Tell it which authorization request to wait for ({@link #expect}) before opening the browser. It
 * completes only on a {@code GET} to {@code /callback} whose {@code state} equals that request's
 * (compared in constant time); every other request (another path, another method, a wrong or missing
 * {@code state}, anything before {@link #expect} or after the callback) gets 404 and the receiver keeps
 * waiting. The browser is answered with a short page before {@link #await} returns. Requests are handled
 * on the receiver's own threads, so a connection that stalls mid-request does not hold up the callback.
 * {@link #close()} (also at the end of {@link #await}) stops it; it never serves a second callback.
 */
public final class LoopbackReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoopbackReceiver.class);
    private static final String PATH = "/callback";
    private static final int HANDLER_THREADS = 4;

    private final HttpServer server;
    private final ExecutorService handlers;
    private final CompletableFuture<URI> callback = new CompletableFuture<>();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final URI redirectUri;
    private volatile @Nullable PendingAuthorization expected;

    private LoopbackReceiver(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
        this.redirectUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** Starts listening on 127.0.0.1 on a port the system chooses. */
    public static LoopbackReceiver start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new TransientException("oauth", "loopback", "cannot listen on 127.0.0.1: " + e, e);
        }
        AtomicInteger threads = new AtomicInteger();
        int port = server.getAddress().getPort();
        // The JDK server reads a request on the handler's thread; without an executor of its own that is
        // the one thread accepting connections, which a stalled connection would block.
        ExecutorService handlers = Executors.newFixedThreadPool(HANDLER_THREADS, r -> {
            Thread t = new Thread(r, "switchboard-loopback-" + port + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LoopbackReceiver receiver = new LoopbackReceiver(server, handlers);
        server.setExecutor(handlers);
        server.createContext("/", receiver::handle);
        server.start();
        return receiver;
    }

    /** The redirect URI to register in the authorization request. */
    public URI redirectUri() {
        return redirectUri;
    }

    /**
     * The authorization request whose callback this receiver waits for; call it before opening the
     * browser. Until then every request gets 404.
     *
     * @throws IllegalArgumentException if the request's redirect URI is not this receiver's
     */
    public void expect(PendingAuthorization pending) {
        if (!pending.redirectUri().equals(redirectUri)) {
            throw new IllegalArgumentException("the authorization request redirects to " + pending.redirectUri()
                    + ", not to this receiver's " + redirectUri + ": build it with redirectUri()");
        }
        this.expected = pending;
    }

    /**
     * Waits for the browser's redirect, then closes.
     *
     * @return the full callback URI, to pass to {@link OAuthClient#exchange}
     * @throws IllegalStateException if {@link #expect} was not called
     * @throws ConsentDeniedException if the user did not finish within {@code timeout}
     */
    public URI await(Duration timeout) {
        if (expected == null) {
            throw new IllegalStateException("call expect(pending) before await: the receiver"
                    + " accepts only the callback of a known authorization request");
        }
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
        URI received = null;
        try (exchange) {
            URI uri = exchange.getRequestURI();
            PendingAuthorization pending = expected;
            if (pending == null
                    || !"GET".equals(exchange.getRequestMethod())
                    || !PATH.equals(uri.getRawPath())
                    || !stateMatches(uri.getRawQuery(), pending.state())
                    || !answered.compareAndSet(false, true)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            received = redirectUri.resolve(uri.getRawPath() + "?" + uri.getRawQuery());
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
        } catch (IOException e) {
            log.debug(
                    "The loopback receiver could not answer a request: {}",
                    e.getClass().getSimpleName());
            if (received == null) {
                throw e;
            }
        } finally {
            // Completed after the page went out: await() closes the server as soon as it returns.
            if (received != null) {
                callback.complete(received);
            }
        }
    }

    private static boolean stateMatches(@Nullable String rawQuery, String expectedState) {
        if (rawQuery == null) {
            return false;
        }
        List<String> states;
        try {
            states = URLUtils.parseParameters(rawQuery).get("state");
        } catch (RuntimeException malformed) {
            return false;
        }
        return states != null
                && states.size() == 1
                && MessageDigest.isEqual(
                        states.get(0).getBytes(StandardCharsets.UTF_8), expectedState.getBytes(StandardCharsets.UTF_8));
    }

    /** Stops listening; idempotent. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
