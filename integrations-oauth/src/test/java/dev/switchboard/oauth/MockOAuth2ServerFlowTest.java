package dev.switchboard.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole lifecycle against a real OAuth server running in this JVM. */
class MockOAuth2ServerFlowTest {
    private static final String ISSUER = "crm";
    private static MockOAuth2Server server;
    private static final OkHttpClient browser =
            new OkHttpClient.Builder().followRedirects(true).build();

    /** Refresh tokens revoked through the server's /revoke endpoint (recorded from its request history). */
    private static final Set<String> revoked = ConcurrentHashMap.newKeySet();

    /**
     * mock-oauth2-server forgets a revoked refresh token but would still mint tokens for it. This route,
     * matched before its own, makes its token endpoint answer revoked refresh tokens as RFC 6749 says.
     */
    private static final class RejectRevokedRefreshTokens implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            String rt = formParameter(request.getBody(), "refresh_token");
            return "POST".equals(request.getMethod())
                    && request.getUrl().encodedPath().endsWith("/token")
                    && rt != null
                    && revoked.contains(rt);
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            return new OAuth2HttpResponse(
                    Headers.of("Content-Type", "application/json"),
                    400,
                    "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked\"}",
                    null);
        }
    }

    private static String formParameter(String body, String name) {
        if (body == null) {
            return null;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @BeforeAll
    static void start() {
        server = new MockOAuth2Server(
                new OAuth2Config(
                        false,
                        null,
                        null,
                        true,
                        new OAuth2TokenProvider(),
                        Set.of(),
                        new no.nav.security.mock.oauth2.http.MockWebServerWrapper()),
                new RejectRevokedRefreshTokens());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    private static ProviderSettings discovered() {
        return ProviderSettings.discover("crm", server.issuerUrl(ISSUER).uri(), new OkHttpClient())
                .scopes(java.util.List.of("openid", "offline_access"))
                .build();
    }

    private static void drainRequests() {
        while (nextRequest(10) != null) {
            // forget what earlier steps sent
        }
    }

    /** The next request the server received, or null if none arrives within the wait. */
    private static RecordedRequest nextRequest(long millis) {
        try {
            return server.takeRequest(millis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException noneWithinTimeout) {
            return null;
        }
    }

    /** The "browser": follows the authorization server's redirect to our loopback receiver. */
    private static void openInBrowser(URI url) {
        try (Response r = browser.newCall(
                        new Request.Builder().url(url.toString()).build())
                .execute()) {
            assertThat(r.code()).isEqualTo(200);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void discoveryFindsTheEndpoints() {
        ProviderSettings p = discovered();
        assertThat(p.tokenEndpoint()).isEqualTo(server.tokenEndpointUrl(ISSUER).uri());
        assertThat(p.revocationEndpoint())
                .contains(server.revocationEndpointUrl(ISSUER).uri());
        assertThat(p.issuer()).contains(server.issuerUrl(ISSUER).toString());
        assertThat(p.userInfoEndpoint()).contains(server.userInfoUrl(ISSUER).uri());
        assertThat(p.introspectionEndpoint())
                .contains(server.url(ISSUER + "/introspect").uri());
    }

    @Test
    void pkceThroughTheLoopbackReceiverThenRefreshWithRotationThenRevocation() throws Exception {
        OAuthClient client =
                OAuthClient.builder(discovered(), "switchboard-cli").build();
        TokenStore store = TokenStore.inMemory(Clock.systemUTC());
        InMemoryAuditSink audit = AuditSink.inMemory();
        TokenManager tokens =
                TokenManager.builder(client, store).auditSink(audit).build();
        drainRequests();

        // 1. Authorization code with PKCE, through a real loopback redirect.
        Credential first =
                client.authorizeWithLoopback(MockOAuth2ServerFlowTest::openInBrowser, Duration.ofSeconds(20));
        RecordedRequest authorize = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(authorize.getRequestUrl().queryParameter("code_challenge_method"))
                .isEqualTo("S256");
        assertThat(authorize.getRequestUrl().queryParameter("code_challenge")).isNotBlank();
        assertThat(authorize.getRequestUrl().queryParameter("state")).isNotBlank();
        assertThat(authorize.getRequestUrl().queryParameter("redirect_uri")).startsWith("http://127.0.0.1:");
        RecordedRequest exchange = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(exchange.getBody().readUtf8())
                .contains("grant_type=authorization_code")
                .contains("code_verifier=");
        assertThat(first.refreshToken()).isPresent();
        Credential stored = tokens.save("crm", first);
        assertThat(stored.version()).isEqualTo(1);

        // 2. Refresh after a rejection: the server rotates the refresh token; the new one is stored.
        Credential second = tokens.refreshAfterRejection("crm", 1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(second.refreshToken()).isPresent().isNotEqualTo(first.refreshToken());
        assertThat(store.load("crm")).contains(second);
        RecordedRequest refresh = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(refresh.getBody().readUtf8()).contains("grant_type=refresh_token");

        // 3. Revocation (RFC 7009) of the current refresh token.
        client.revoke(second);
        RecordedRequest revoke = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(revoke.getRequestUrl().encodedPath()).endsWith("/revoke");
        String revokedToken = formParameter(revoke.getBody().readUtf8(), "token");
        assertThat(revokedToken).isEqualTo(second.refreshToken().orElseThrow());
        revoked.add(revokedToken);

        // 4. Refreshing with the revoked refresh token: invalid_grant, so "reauthorization required".
        assertThatThrownBy(() -> tokens.refreshAfterRejection("crm", 2))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .hasMessageContaining("authorize");
        assertThat(tokens.needsReauthorization("crm")).isTrue();
        assertThat(audit.events()).extracting(AuditEvent::kind).containsExactly(AuditEvent.Kind.AUTH);
        // ...at once afterwards, without another token request.
        drainRequests();
        assertThatThrownBy(() -> tokens.current("crm")).isInstanceOf(ReauthorizationRequiredException.class);
        assertThat(nextRequest(50)).isNull();
        assertThat(store.load("crm")).contains(second); // nothing lost or overwritten
    }

    @Test
    void tokenManagerRevokeDeletesTheGrant() {
        OAuthClient client = OAuthClient.builder(discovered(), "web-app")
                .clientSecret("s3cr3t-client")
                .build();
        TokenStore store = TokenStore.inMemory(Clock.systemUTC());
        TokenManager tokens = TokenManager.builder(client, store).build();
        try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
            PendingAuthorization pending = client.authorizationUrl(receiver.redirectUri());
            receiver.expect(pending);
            openInBrowser(pending.authorizationUrl());
            tokens.authorize("web", pending, receiver.await(Duration.ofSeconds(10)));
        }
        assertThat(tokens.current("web").version()).isEqualTo(1);
        tokens.revoke("web");
        assertThat(store.load("web")).isEmpty();
        assertThatThrownBy(() -> tokens.current("web")).isInstanceOf(ReauthorizationRequiredException.class);
    }
}
