package dev.switchboard.testkit.fake;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.SecretRegistry;
import dev.switchboard.testkit.secrets.Secrets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The base of every vendor fake: a real HTTP server on a free local port (WireMock), whose answers
 * come from the subclass's stateful {@link #handle(FakeRequest)}, with {@link Faults} applied on the
 * way. Register a fake as a JUnit 5 extension ({@code @RegisterExtension static FakeX x = new FakeX();})
 * to start it once per class and reset its state, faults and counts before each test; or call
 * {@link #start()} and {@link #close()} yourself.
 */
public abstract class VendorFake implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AutoCloseable {
    private final Faults faults = new Faults();
    private final List<FakeRequest> journal = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private volatile @Nullable WireMockServer server;

    /**
     * The access token the fake accepts until {@link #revokeAccessTokens()}; registered as a secret, so the
     * run fails if it reaches a log line or an exception message.
     */
    public static final String ACCESS_TOKEN = Secrets.register(SecretKind.ACCESS_TOKEN, "fake-access-token");

    /** Answers one request from the fake's state. Called on server threads: synchronize state. */
    protected abstract FakeResponse handle(FakeRequest request);

    /** The vendor's throttling answer (429 with its headers, or its equivalent). */
    protected abstract FakeResponse throttled(FakeRequest request);

    /** The vendor's answer to a server failure with this status. */
    protected abstract FakeResponse serverError(FakeRequest request, int status);

    /** Puts the fake's data back to its seed. Called before each test. */
    protected abstract void resetState();

    /** Starts the server if it is not running. */
    public synchronized VendorFake start() {
        if (server == null) {
            WireMockServer s = new WireMockServer(options()
                    .dynamicPort()
                    .containerThreads(64)
                    .jettyAcceptors(2)
                    .extensions(new Transformer()));
            s.start();
            s.stubFor(any(anyUrl()).willReturn(ok()));
            server = s;
            reset();
        }
        return this;
    }

    /** The base URL requests go to, e.g. {@code http://localhost:51234}. */
    public String baseUrl() {
        return Objects.requireNonNull(start().server, "the server started").baseUrl();
    }

    public Faults faults() {
        return faults;
    }

    /** Every request received since the last reset, in order. */
    public List<FakeRequest> requests() {
        return List.copyOf(journal);
    }

    /** How many requests matched. */
    public int requestCount(Predicate<FakeRequest> matching) {
        return (int) journal.stream().filter(matching).count();
    }

    /** How many requests went to paths starting with this prefix. */
    public int requestCount(String pathPrefix) {
        return requestCount(r -> r.path().startsWith(pathPrefix));
    }

    /** How many answers had this status (faults included). */
    public int responseCount(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    /** Whether the request carries an access token this fake accepts. */
    protected boolean authorized(FakeRequest request) {
        String token = request.bearerToken();
        return token != null && validTokens.contains(token);
    }

    /** Makes the fake accept another access token (as a token endpoint would after a refresh). */
    public void acceptAccessToken(String token) {
        // Tests name short tokens ("t2"): too short to find in text without matching ordinary words.
        if (token.length() >= SecretRegistry.MIN_LENGTH) {
            Secrets.register(SecretKind.ACCESS_TOKEN, token);
        }
        validTokens.add(token);
    }

    /** Makes every access token accepted so far invalid (expiry, revocation). */
    public void revokeAccessTokens() {
        validTokens.clear();
    }

    /** Clears faults and counts, accepts {@link #ACCESS_TOKEN} again and reseeds the data. */
    public void reset() {
        validTokens.clear();
        validTokens.add(ACCESS_TOKEN);
        faults.clear();
        journal.clear();
        statuses.clear();
        resetState();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private FakeRequest toFakeRequest(Request r) {
        URI uri = URI.create(r.getUrl());
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String name = java.net.URLDecoder.decode(
                        pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair, StandardCharsets.UTF_8);
                QueryParameter p = r.queryParameter(name);
                if (p.isPresent()) {
                    query.putIfAbsent(name, p.firstValue());
                }
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpHeader h : r.getHeaders().all()) {
            headers.put(h.key().toLowerCase(Locale.ROOT), h.firstValue());
        }
        return new FakeRequest(
                r.getMethod().getName().toUpperCase(Locale.ROOT),
                uri.getPath(),
                query,
                headers,
                r.getBodyAsString() == null ? "" : r.getBodyAsString());
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            FakeRequest request = toFakeRequest(event.getRequest());
            journal.add(request);
            Faults.Kind fault = faults.next(request.path());
            if (fault == Faults.Kind.RESET) {
                return new ResponseDefinitionBuilder()
                        .withFault(Fault.CONNECTION_RESET_BY_PEER)
                        .build();
            }
            FakeResponse response;
            if (fault == Faults.Kind.THROTTLE) {
                response = throttled(request);
            } else if (fault == Faults.Kind.SERVER_ERROR) {
                response = serverError(request, faults.serverErrorStatus());
            } else {
                response = handle(request);
                if (response.isConnectionReset()) {
                    return new ResponseDefinitionBuilder()
                            .withFault(Fault.CONNECTION_RESET_BY_PEER)
                            .build();
                }
            }
            String body = response.body();
            if (fault == Faults.Kind.TRUNCATE) {
                body = body.substring(0, body.length() / 2);
            }
            statuses.computeIfAbsent(response.status(), s -> new AtomicInteger())
                    .incrementAndGet();
            ResponseDefinitionBuilder b = new ResponseDefinitionBuilder()
                    .withStatus(response.status())
                    .withBody(body);
            response.headers().forEach(b::withHeader);
            long delay = faults.latency().toMillis();
            if (delay > 0) {
                b.withFixedDelay((int) delay);
            }
            return b.build();
        }

        @Override
        public String getName() {
            return "switchboard-vendor-fake";
        }
    }
}
