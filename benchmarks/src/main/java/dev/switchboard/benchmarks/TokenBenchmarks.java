package dev.switchboard.benchmarks;

import com.google.api.client.auth.oauth2.BearerToken;
import com.google.api.client.auth.oauth2.ClientParametersAuthentication;
import com.google.api.client.auth.oauth2.Credential;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.OAuthClient;
import dev.switchboard.oauth.ProviderSettings;
import dev.switchboard.oauth.TokenManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Switchboard's TokenManager against google-oauth-client's Credential, doing the same work in the
 * same run: (1) handing out a cached, valid token; (2) 1,000 concurrent callers all holding a fresh
 * token after the token expired, through a real local token endpoint over HTTP.
 */
public class TokenBenchmarks {
    static final int CALLERS = 1000;

    /** Both clients with a valid token in hand. */
    @State(Scope.Benchmark)
    public static class HotPath {
        LocalTokenServer server;
        TokenManager switchboard;
        Credential google;

        @Setup(Level.Trial)
        public void setUp() {
            server = new LocalTokenServer();
            ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
            TokenStore store = TokenStore.inMemory(clock);
            store.compareAndSet(
                    "crm",
                    0,
                    dev.switchboard.core.auth.Credential.builder("cached-access")
                            .refreshToken("refresh")
                            .expiresAt(clock.instant().plus(Duration.ofHours(1)))
                            .build());
            switchboard = TokenManager.builder(
                            OAuthClient.builder(provider(server), "bench")
                                    .clock(clock)
                                    .build(),
                            store)
                    .clock(clock)
                    .build();
            google = googleCredential(server, () -> clock.millis());
            google.setAccessToken("cached-access");
            google.setRefreshToken("refresh");
            google.setExpirationTimeMilliseconds(
                    clock.millis() + Duration.ofHours(1).toMillis());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            server.close();
        }
    }

    /** Both clients whose token expires before every invocation; a pool of caller threads. */
    @State(Scope.Benchmark)
    public static class Expiry {
        LocalTokenServer server;
        ManualClock clock;
        TokenManager switchboard;
        Credential google;
        ExecutorService callers;

        @Setup(Level.Trial)
        public void setUp() {
            server = new LocalTokenServer();
            clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
            TokenStore store = TokenStore.inMemory(clock);
            store.compareAndSet(
                    "crm",
                    0,
                    dev.switchboard.core.auth.Credential.builder("a0")
                            .refreshToken("r0")
                            .expiresAt(clock.instant())
                            .build());
            switchboard = TokenManager.builder(
                            OAuthClient.builder(provider(server), "bench")
                                    .clock(clock)
                                    .build(),
                            store)
                    .clock(clock)
                    .build();
            google = googleCredential(server, () -> clock.millis());
            google.setAccessToken("a0");
            google.setRefreshToken("r0");
            callers = Executors.newFixedThreadPool(200);
        }

        /** Moves past every token's expiry: the next call of each client must refresh. */
        @Setup(Level.Invocation)
        public void expire() {
            clock.advance(Duration.ofHours(2));
            google.setExpirationTimeMilliseconds(clock.millis() - 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            callers.shutdownNow();
            callers.awaitTermination(10, TimeUnit.SECONDS);
            server.close();
        }
    }

    static ProviderSettings provider(LocalTokenServer server) {
        return ProviderSettings.builder("bench")
                .authorizationEndpoint(URI.create(server.baseUrl() + "/authorize"))
                .tokenEndpoint(URI.create(server.tokenUrl()))
                .build();
    }

    static Credential googleCredential(LocalTokenServer server, java.util.function.LongSupplier millis) {
        return new Credential.Builder(BearerToken.authorizationHeaderAccessMethod())
                .setTransport(new NetHttpTransport())
                .setJsonFactory(GsonFactory.getDefaultInstance())
                .setTokenServerUrl(new GenericUrl(server.tokenUrl()))
                .setClientAuthentication(new ClientParametersAuthentication("bench", null))
                .setClock(millis::getAsLong)
                .build();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public String hotPathSwitchboard(HotPath s) {
        return s.switchboard.current("crm").accessToken();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public String hotPathGoogle(HotPath s) {
        return s.google.getAccessToken();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int thousandCallersAfterExpirySwitchboard(Expiry s) throws Exception {
        return fanOut(s.callers, () -> s.switchboard.current("crm").accessToken());
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int thousandCallersAfterExpiryGoogle(Expiry s) throws Exception {
        return fanOut(s.callers, () -> {
            Credential c = s.google;
            // What a Google client does before each request: refresh when expired (under its lock), then read.
            synchronized (c) {
                Long left = c.getExpiresInSeconds();
                if (left == null || left <= 60) {
                    try {
                        c.refreshToken();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return c.getAccessToken();
        });
    }

    private static int fanOut(ExecutorService pool, java.util.concurrent.Callable<String> call) throws Exception {
        List<Future<String>> all = new ArrayList<>(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            all.add(pool.submit(call));
        }
        int distinct = 0;
        String first = null;
        for (Future<String> f : all) {
            String t = f.get(60, TimeUnit.SECONDS);
            if (!t.equals(first)) {
                distinct++;
                first = t;
            }
        }
        return distinct;
    }
}
