package dev.switchboard.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.RefreshingCredentialSource;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.support.PipelineFixture;
import dev.switchboard.core.support.TokenEndpoint;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A rejected credential is refreshed once and the request replayed once, however many callers hit it. */
class CredentialReplayTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(64))
            .build();

    private PipelineFixture fixture;
    private TokenStore store;

    @BeforeEach
    void setUp() {
        fixture = new PipelineFixture(server.baseUrl());
        store = TokenStore.inMemory(fixture.clock);
        store.compareAndSet(
                "test-conn",
                0,
                Credential.builder(Secrets.register(SecretKind.ACCESS_TOKEN, "old-access"))
                        .refreshToken(Secrets.register(SecretKind.REFRESH_TOKEN, "refresh-1"))
                        .build());
        fixture.credentials(RefreshingCredentialSource.of(
                store, new TokenEndpoint(server.baseUrl() + "/oauth/token"), fixture.meters));
        server.stubFor(get(urlPathEqualTo("/items"))
                .withHeader("Authorization", equalTo("Bearer old-access"))
                .willReturn(aResponse().withStatus(401)));
        server.stubFor(get(urlPathEqualTo("/items"))
                .withHeader("Authorization", equalTo("Bearer new-access"))
                .willReturn(okJson("{\"items\":[]}")));
    }

    private int tokenRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).size();
    }

    @Test
    void a401IsFollowedByOneRefreshAndOneReplay() {
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"new-access\",\"refresh_token\":\"refresh-2\"}")));

        VendorResponse response =
                fixture.http().execute(VendorRequest.get("/items").build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(tokenRequests()).isEqualTo(1);
        assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/items")))).hasSize(2);
        Credential stored = store.load("test-conn").orElseThrow();
        assertThat(stored.accessToken()).isEqualTo("new-access");
        assertThat(stored.refreshToken()).contains("refresh-2");
        assertThat(stored.version()).isEqualTo(2);
        assertThat(fixture.counter("switchboard.http.auth.replays")).isEqualTo(1);
        assertThat(fixture.counter("switchboard.credential.refreshes", "outcome", "refreshed"))
                .isEqualTo(1);
        // Both exchanges are measured: the rejected one and the replay.
        assertThat(fixture.timerCount("switchboard.http.requests", "status", "401", "outcome", "AUTH_REJECTED"))
                .isEqualTo(1);
        assertThat(fixture.timerCount("switchboard.http.requests", "status", "200", "outcome", "OK"))
                .isEqualTo(1);
    }

    @Test
    void theReplayTakesABudgetPermitOfItsOwn() {
        fixture.budget(new BudgetSettings(3, 3, Duration.ofHours(1)))
                .settings(HttpSettings.custom().maxTotalWait(Duration.ZERO).build());
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"new-access\",\"refresh_token\":\"refresh-2\"}")));
        VendorHttp http = fixture.http();

        assertThat(http.execute(VendorRequest.get("/items").build()).status()).isEqualTo(200); // 401 + replay: 2
        assertThat(http.execute(VendorRequest.get("/items").build()).status()).isEqualTo(200); // the third
        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOf(RateLimitedException.class);
        assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/items")))).hasSize(3);
    }

    @Test
    void a401AfterTheRefreshMeansReauthorizationWithExactlyOneRefresh() {
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"still-wrong\",\"refresh_token\":\"refresh-2\"}")));
        server.stubFor(get(urlPathEqualTo("/items"))
                .withHeader("Authorization", equalTo("Bearer still-wrong"))
                .willReturn(aResponse().withStatus(401)));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOfSatisfying(ReauthorizationRequiredException.class, e -> {
                    assertThat(e.nextStep()).isEqualTo(NextStep.REAUTHORIZE);
                    assertThat(e.connector()).isEqualTo("testvendor");
                    assertThat(e).hasMessageContaining("rejected the credential again after a refresh");
                });
        assertThat(tokenRequests()).isEqualTo(1);
        assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/items")))).hasSize(2);
    }

    @Test
    void a401ToARequestTheConnectorSentWithoutTheCredentialRefreshesNothing() {
        server.stubFor(get(urlPathEqualTo("/public")).willReturn(aResponse().withStatus(401)));

        assertThatThrownBy(() -> fixture.http()
                        .execute(VendorRequest.get("/public")
                                .authenticated(false)
                                .build()))
                .isInstanceOfSatisfying(
                        PermanentException.class,
                        e -> assertThat(e)
                                .hasMessageContaining("sent without a credential")
                                .hasMessageContaining("authenticated(false)")
                                .hasMessageNotContaining("after a refresh"));
        assertThat(tokenRequests()).isZero();
        assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/public"))))
                .singleElement()
                .satisfies(r -> assertThat(r.containsHeader("Authorization")).isFalse());
    }

    @Test
    void aRevokedGrantIsReauthorizationWithoutRetriesAndTheStoredCredentialIsKept() {
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"invalid_grant\"}")));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOf(ReauthorizationRequiredException.class);
        assertThat(tokenRequests()).isEqualTo(1);
        assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/items")))).hasSize(1);
        assertThat(store.load("test-conn").orElseThrow().accessToken()).isEqualTo("old-access");
    }

    @Test
    void aCredentialCanCarryTheBaseUrlItsVendorAssigned() {
        // Salesforce-style: each grant names its instance; the connection's base URL is only a fallback.
        PipelineFixture instance = new PipelineFixture("https://login.invalid");
        TokenStore instanceStore = TokenStore.inMemory(instance.clock);
        instanceStore.compareAndSet(
                "test-conn",
                0,
                Credential.builder(Secrets.register(SecretKind.ACCESS_TOKEN, "new-access"))
                        .attributes(java.util.Map.of("instance_url", server.baseUrl()))
                        .build());
        instance.credentials(RefreshingCredentialSource.withoutRefresh(instanceStore))
                .baseUrlAttribute("instance_url");

        VendorResponse response =
                instance.http().execute(VendorRequest.get("/items").build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.url()).startsWith(server.baseUrl());
    }

    @Test
    void twoHundredConcurrentCallersHittingOne401BurstCauseExactlyOneRefresh() throws Exception {
        // The token endpoint is slow enough that the whole burst arrives while the refresh is in flight.
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"new-access\",\"refresh_token\":\"refresh-2\"}")
                        .withFixedDelay(200)));
        VendorHttp http = fixture.http();
        int callers = 200;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return http.execute(VendorRequest.get("/items").build()).status();
                }));
            }
            start.countDown();
            for (Future<Integer> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tokenRequests()).isEqualTo(1);
        assertThat(store.load("test-conn").orElseThrow().version()).isEqualTo(2);
        long rejected = server.findAll(getRequestedFor(urlPathEqualTo("/items"))
                        .withHeader("Authorization", equalTo("Bearer old-access")))
                .size();
        long replayed = server.findAll(getRequestedFor(urlPathEqualTo("/items"))
                        .withHeader("Authorization", equalTo("Bearer new-access")))
                .size();
        assertThat(replayed).isEqualTo(callers);
        assertThat(fixture.counter("switchboard.http.auth.replays")).isEqualTo(rejected);
    }
}
