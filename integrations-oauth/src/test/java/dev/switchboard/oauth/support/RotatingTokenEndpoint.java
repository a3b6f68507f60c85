package dev.switchboard.oauth.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.oauth.OAuthClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * A token endpoint that rotates refresh tokens and detects reuse, as OAuth 2.1 and certified providers do: each
 * refresh token buys one new access token and one new refresh token and is spent on receipt; a spent refresh token
 * presented again revokes the whole grant (every token of its family answers {@code invalid_grant} from then on).
 * It counts each refresh token's uses, so two instances that send the same one show. Served by the JDK's HTTP server
 * on loopback; a request may be answered late ({@link #delayMillis}), as a slow provider would.
 */
public final class RotatingTokenEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final Map<String, Integer> familyOf = new HashMap<>();
    private final Map<Integer, String> currentOf = new HashMap<>();
    private final Set<Integer> revoked = new HashSet<>();
    private final Map<String, Integer> uses = new LinkedHashMap<>();
    private final List<String> reused = new ArrayList<>();
    private int requests;
    private int issued;
    private volatile long delayMillis;
    private volatile long expiresInSeconds = 3600;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public RotatingTokenEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(pool);
        server.createContext("/token", this::token);
        server.createContext("/revoke", this::revoke);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A client of this endpoint with its own OkHttp client, as a separate application instance would have. */
    public OAuthClient client() {
        return TokenEndpointStub.client(baseUrl());
    }

    /** A client whose expiries are computed by {@code clock}. */
    public OAuthClient client(Clock clock) {
        return OAuthClient.builder(TokenEndpointStub.provider(baseUrl()), "switchboard")
                .clientSecret("client-secret-value")
                .clock(clock)
                .httpClient(new OkHttpClient())
                .build();
    }

    /** Starts a grant whose first refresh token is {@code refreshToken}. */
    public synchronized void grant(String refreshToken) {
        int family = familyOf.size() + 1;
        familyOf.put(refreshToken, family);
        currentOf.put(family, refreshToken);
    }

    /** Revokes the grant {@code refreshToken} belongs to, as a user who revokes the app's access does. */
    public synchronized void revokeGrantOf(String refreshToken) {
        Integer family = familyOf.get(refreshToken);
        if (family != null) {
            revoked.add(family);
        }
    }

    /** Answers every request this much later (the refresh token is spent on receipt). */
    public void delayMillis(long millis) {
        this.delayMillis = millis;
    }

    /**
     * Holds every answer from now on (the refresh token is spent on receipt) until {@link #releaseAnswers}, so a test
     * can act while a refresh is in flight.
     */
    public void holdAnswers() {
        gate = new CountDownLatch(1);
    }

    /** Sends the answers {@link #holdAnswers} held, and every later one at once. */
    public void releaseAnswers() {
        gate.countDown();
    }

    /** The lifetime of the access tokens issued from now on. */
    public void expiresInSeconds(long seconds) {
        this.expiresInSeconds = seconds;
    }

    /** How often {@code refreshToken} was presented. */
    public synchronized int uses(String refreshToken) {
        return uses.getOrDefault(refreshToken, 0);
    }

    /** The spent refresh tokens that were presented again (each revoked its grant). */
    public synchronized List<String> reused() {
        return List.copyOf(reused);
    }

    public synchronized int requests() {
        return requests;
    }

    /** Whether {@code refreshToken} would be accepted now: its grant's current one, not revoked. */
    public synchronized boolean isCurrent(String refreshToken) {
        Integer family = familyOf.get(refreshToken);
        return family != null && !revoked.contains(family) && refreshToken.equals(currentOf.get(family));
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(exchange);
        String rt = form.getOrDefault("refresh_token", "");
        int status;
        String body;
        synchronized (this) {
            requests++;
            uses.merge(rt, 1, Integer::sum);
            Integer family = familyOf.get(rt);
            if (family == null || revoked.contains(family)) {
                status = 400;
                body = "{\"error\":\"invalid_grant\",\"error_description\":\"unknown or revoked\"}";
            } else if (!rt.equals(currentOf.get(family))) {
                revoked.add(family); // reuse detected: the whole grant is revoked
                reused.add(rt);
                status = 400;
                body = "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token reused\"}";
            } else {
                issued++;
                String access = "at-" + family + "-" + issued;
                String refresh = "rt-" + family + "-" + issued;
                familyOf.put(refresh, family);
                currentOf.put(family, refresh);
                status = 200;
                body = "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                        + expiresInSeconds + ",\"refresh_token\":\"" + refresh + "\"}";
            }
        }
        long delay = delayMillis;
        try {
            if (delay > 0) {
                Thread.sleep(delay);
            }
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("answers held for 30 s: releaseAnswers() was not called");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        send(exchange, status, body);
    }

    private void revoke(HttpExchange exchange) throws IOException {
        String token = form(exchange).getOrDefault("token", "");
        synchronized (this) {
            Integer family = familyOf.get(token);
            if (family != null) {
                revoked.add(family);
            }
        }
        send(exchange, 200, "");
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
