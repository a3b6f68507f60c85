package dev.switchboard.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.TokenEndpointStub;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The token endpoint misbehaving, and a thousand callers at once, against a counting WireMock endpoint. */
class TokenEndpointFailuresTest {
    private static final String OLD_ACCESS = Secrets.register(SecretKind.ACCESS_TOKEN, "old-access-token");
    private static final String OLD_REFRESH = Secrets.register(SecretKind.REFRESH_TOKEN, "old-refresh-token");
    private static TokenEndpointStub endpoint;
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private TokenStore store;
    private Credential original;

    @BeforeAll
    static void startEndpoint() {
        endpoint = new TokenEndpointStub();
    }

    @AfterAll
    static void stopEndpoint() {
        endpoint.close();
    }

    @BeforeEach
    void seedExpiredToken() {
        store = TokenStore.inMemory(clock);
        original = Credential.builder(OLD_ACCESS)
                .refreshToken(OLD_REFRESH)
                .expiresAt(clock.instant().minusSeconds(1))
                .build();
        store.compareAndSet("crm", 0, original);
    }

    private TokenManager manager() {
        return TokenManager.builder(endpoint.client(clock), store)
                .clock(clock)
                .sleeper(clock.sleeper())
                .maxAttempts(3)
                .build();
    }

    @Test
    void aThousandConcurrentCallersWithAnExpiredTokenCauseOneTokenRequestAndAllGetTheSameNewToken() throws Exception {
        endpoint.answer(TokenEndpointStub.newTokens("new-access", "new-refresh").withFixedDelay(300));
        TokenManager tokens =
                TokenManager.builder(endpoint.client(), store).clock(clock).build();
        ExecutorService pool = Executors.newFixedThreadPool(200);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                results.add(pool.submit(() -> tokens.current("crm").accessToken()));
            }
            Set<String> seen = new HashSet<>();
            for (Future<String> f : results) {
                seen.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(seen).containsExactly("new-access");
            assertThat(endpoint.tokenRequests()).isEqualTo(1);
            Credential stored = store.load("crm").orElseThrow();
            assertThat(stored.version()).isEqualTo(2);
            assertThat(stored.refreshToken()).contains("new-refresh");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aServerThatKeepsTheRefreshTokenLeavesTheOldOneInPlace() {
        endpoint.answer(
                TokenEndpointStub.json(200, "{\"access_token\":\"a2\",\"token_type\":\"Bearer\",\"expires_in\":60}"));
        Credential next = manager().current("crm");
        assertThat(next.refreshToken()).contains(OLD_REFRESH);
        assertThat(next.expiresAt()).contains(clock.instant().plusSeconds(60));
    }

    /** A clock that moves on by a millisecond every time it is read, as a real one does between two reads. */
    private static final class TickingClock extends Clock {
        private final AtomicLong millis =
                new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.getAndIncrement());
        }
    }

    @Test
    void aRefreshedTokensLifetimeIsExactlyTheExpiresInSoAWindowOfHalfOfItIsNotCut() {
        endpoint.answer(TokenEndpointStub.json(
                200,
                "{\"access_token\":\"a2\",\"token_type\":\"Bearer\",\"expires_in\":4," + "\"refresh_token\":\"r2\"}"));
        TickingClock ticking = new TickingClock();
        TokenManager tokens = TokenManager.builder(endpoint.client(ticking), store)
                .clock(ticking)
                .sleeper(clock.sleeper())
                .refreshWindow(Duration.ofSeconds(2))
                .build();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger("dev.switchboard");
        root.addAppender(logs);
        Credential next;
        try {
            next = tokens.current("crm");
            tokens.current("crm");
        } finally {
            root.detachAppender(logs);
        }
        assertThat(next.accessToken()).isEqualTo("a2");
        assertThat(next.lifetime()).contains(Duration.ofSeconds(4));
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("wider than half the lifetime"));
    }

    @Test
    void htmlFromTheTokenEndpointIsATypedErrorAndTheStoreIsUntouched() {
        endpoint.answer(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body>Please sign in</body></html>"));
        assertThatThrownBy(() -> manager().current("crm"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("HTML")
                .hasMessageContaining("token endpoint URL")
                .satisfies(Secrets::assertNoSecretIn);
        assertThat(endpoint.tokenRequests()).isEqualTo(1); // not retried: it will not pass
        assertThat(store.load("crm")).contains(original);
    }

    @Test
    void truncatedJsonIsRetriedAsTransientThenReportedAndTheStoreIsUntouched() {
        endpoint.answer(TokenEndpointStub.json(200, "{\"access_token\":\"abc\",\"token_ty"));
        assertThatThrownBy(() -> manager().current("crm"))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("truncated or malformed")
                .satisfies(Secrets::assertNoSecretIn);
        assertThat(endpoint.tokenRequests()).isEqualTo(3);
        assertThat(store.load("crm")).contains(original);
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreTransientAndNeverStored() {
        endpoint.answer(aResponse().withStatus(503));
        assertThatThrownBy(() -> manager().refreshAfterRejection("crm", 1)).isInstanceOf(TransientException.class);
        assertThat(endpoint.tokenRequests()).isEqualTo(3);
        endpoint.answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertThatThrownBy(() -> manager().refreshAfterRejection("crm", 1)).isInstanceOf(TransientException.class);
        assertThat(store.load("crm")).contains(original);
        assertThat(clock.totalSlept()).isPositive(); // backoff ran in injected time
    }

    @Test
    void aTransientFailureThenSuccessRefreshesOnce() {
        endpoint.server.resetAll();
        endpoint.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/token")
                .inScenario("flaky")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(502))
                .willSetStateTo("recovered"));
        endpoint.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/token")
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(TokenEndpointStub.newTokens("a2", "r2")));
        assertThat(manager().current("crm").accessToken()).isEqualTo("a2");
        assertThat(endpoint.tokenRequests()).isEqualTo(2);
    }

    @Test
    void invalidGrantMeansReauthorizationWithoutARetryStorm() {
        // The provider echoes the refresh token it refused: it must not reach the exception.
        endpoint.answer(TokenEndpointStub.json(
                400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token " + OLD_REFRESH
                        + " was revoked\"}"));
        TokenManager tokens = manager();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> tokens.current("crm"))
                    .isInstanceOf(ReauthorizationRequiredException.class)
                    .satisfies(Secrets::assertNoSecretIn);
        }
        assertThat(endpoint.tokenRequests()).isEqualTo(1);
        assertThat(store.load("crm")).contains(original);
    }

    @Test
    void invalidClientIsAConfigurationError() {
        endpoint.answer(TokenEndpointStub.json(401, "{\"error\":\"invalid_client\"}"));
        assertThatThrownBy(() -> manager().refreshAfterRejection("crm", 1))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("client id")
                .satisfies(Secrets::assertNoSecretIn);
    }

    @Test
    void salesforceKeepsInstanceUrlAndHasNoExpiry() {
        endpoint.answer(TokenEndpointStub.json(
                200,
                "{\"access_token\":\"00Dxx!AQ\",\"instance_url\":"
                        + "\"https://acme.my.salesforce.com\",\"id\":\"https://login.salesforce.com/id/00D/005\",\"token_type\":\"Bearer\","
                        + "\"issued_at\":\"1700000000000\",\"signature\":\"sig\"}"));
        ProviderSettings sf = ProviderSettings.salesforce(java.net.URI.create(endpoint.server.baseUrl()))
                .tokenEndpoint(java.net.URI.create(endpoint.tokenUrl()))
                .build();
        OAuthClient client = OAuthClient.builder(sf, "sf")
                .clientSecret("x")
                .authMethod(ClientAuthMethod.CLIENT_SECRET_POST)
                .build();
        Credential c = client.refresh(original);
        assertThat(c.attribute("instance_url")).isEqualTo("https://acme.my.salesforce.com");
        assertThat(c.expiresAt()).isEmpty();
        assertThat(c.refreshToken()).contains(OLD_REFRESH);
    }

    @Test
    void hubspotPresetParsesItsTokenResponseAndPostsTheClientSecret() {
        endpoint.answer(TokenEndpointStub.json(
                200,
                "{\"token_type\":\"bearer\",\"refresh_token\":\"hs-refresh-2\","
                        + "\"access_token\":\"hs-access-2\",\"expires_in\":1800}"));
        ProviderSettings hubspot = ProviderSettings.hubspot()
                .scopes(List.of("tickets", "crm.objects.contacts.read"))
                .tokenEndpoint(java.net.URI.create(endpoint.tokenUrl()))
                .build();
        assertThat(hubspot.authorizationEndpoint()).hasToString("https://app.hubspot.com/oauth/authorize");
        assertThat(ProviderSettings.hubspot().build().tokenEndpoint())
                .hasToString("https://api.hubapi.com/oauth/v1/token");
        assertThat(hubspot.revocationEndpoint()).isEmpty();
        assertThat(hubspot.scopeSeparator()).isEqualTo(" ");
        assertThat(hubspot.clientAuthMethod()).contains(ClientAuthMethod.CLIENT_SECRET_POST);
        OAuthClient client = OAuthClient.builder(hubspot, "hs-client")
                .clientSecret("hs-secret")
                .clock(clock)
                .build();
        assertThat(client.toString()).contains("CLIENT_SECRET_POST");

        Credential c = client.refresh(original);

        assertThat(c.accessToken()).isEqualTo("hs-access-2");
        assertThat(c.refreshToken()).contains("hs-refresh-2");
        assertThat(c.expiresAt()).contains(clock.instant().plusSeconds(1800));
        var sent = endpoint.server.getAllServeEvents().get(0).getRequest();
        assertThat(sent.getBodyAsString())
                .contains("client_id=hs-client")
                .contains("client_secret=hs-secret")
                .contains("grant_type=refresh_token");
        assertThat(sent.containsHeader("Authorization")).isFalse();
        assertThat(client.authorizationUrl(java.net.URI.create("http://127.0.0.1/callback"))
                        .authorizationUrl()
                        .toString())
                .startsWith("https://app.hubspot.com/oauth/authorize?")
                .contains("scope=tickets+crm.objects.contacts.read");
        assertThatThrownBy(() -> client.revoke(c))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("no revocation endpoint");
    }

    @Test
    void slackOauthV2AccessIsParsedAndItsErrorsMapped() {
        ProviderSettings slack = ProviderSettings.slack()
                .tokenEndpoint(java.net.URI.create(endpoint.tokenUrl()))
                .build();
        OAuthClient client =
                OAuthClient.builder(slack, "slack").clientSecret("x").build();
        endpoint.answer(TokenEndpointStub.json(
                200,
                "{\"ok\":true,\"access_token\":\"xoxb-1\",\"token_type\":\"bot\","
                        + "\"scope\":\"chat:write\",\"bot_user_id\":\"U1\",\"app_id\":\"A1\",\"team\":{\"id\":\"T9\",\"name\":\"Acme\"},"
                        + "\"refresh_token\":\"xoxe-1-r\",\"expires_in\":43200}"));
        Credential c = client.refresh(original);
        assertThat(c.accessToken()).isEqualTo("xoxb-1");
        assertThat(c.attribute("team_id")).isEqualTo("T9");
        assertThat(c.refreshToken()).contains("xoxe-1-r");
        endpoint.answer(TokenEndpointStub.json(200, "{\"ok\":false,\"error\":\"invalid_refresh_token\"}"));
        assertThatThrownBy(() -> client.refresh(original))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .satisfies(Secrets::assertNoSecretIn);
    }

    @Test
    void aCallerWhoseProactiveRefreshFailsKeepsUsingTheValidToken() {
        Credential valid = Credential.builder("still-valid")
                .refreshToken("r")
                .expiresAt(clock.instant().plusSeconds(30))
                .build();
        store.compareAndSet("crm", 1, valid.withVersion(2));
        endpoint.answer(aResponse().withStatus(500));
        assertThat(manager().current("crm").accessToken()).isEqualTo("still-valid");
        assertThat(store.load("crm").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void timeoutsAreTransient() {
        // A server of its own: the late answer must not land in the shared endpoint's request count.
        try (TokenEndpointStub slow = new TokenEndpointStub()) {
            slow.answer(TokenEndpointStub.newTokens("late", "late").withFixedDelay(1_000));
            OAuthClient impatient = OAuthClient.builder(slow.provider(), "c")
                    .httpClient(new okhttp3.OkHttpClient.Builder()
                            .readTimeout(Duration.ofMillis(200))
                            .build())
                    .build();
            assertThatThrownBy(() -> impatient.refresh(original))
                    .isInstanceOf(TransientException.class)
                    .hasMessageContaining("did not answer")
                    .satisfies(Secrets::assertNoSecretIn);
        }
    }
}
