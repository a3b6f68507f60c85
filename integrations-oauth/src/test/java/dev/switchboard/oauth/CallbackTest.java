package dev.switchboard.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.ConsentDeniedException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.time.ManualClock;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the authorization URL contains, and every bad callback, each a typed error. */
class CallbackTest {
    private static final URI REDIRECT = URI.create("http://127.0.0.1:5555/callback");
    private final ProviderSettings provider = ProviderSettings.builder("crm")
            .authorizationEndpoint(URI.create("https://auth.example.com/authorize"))
            .tokenEndpoint(URI.create("http://127.0.0.1:9/token"))
            .issuer("https://auth.example.com")
            .scopes(List.of("read", "write"))
            .authorizationParameter("access_type", "offline")
            .build();
    private final OAuthClient client = OAuthClient.builder(provider, "cli").build();
    private final PendingAuthorization pending = client.authorizationUrl(REDIRECT);

    private URI callback(String query) {
        return URI.create(REDIRECT + "?" + query);
    }

    @Test
    void theAuthorizationUrlUsesPkceS256StateScopesAndExtraParameters() {
        String url = pending.authorizationUrl().toString();
        assertThat(url)
                .startsWith("https://auth.example.com/authorize?")
                .contains("code_challenge_method=S256")
                .contains("code_challenge=")
                .contains("state=" + pending.state())
                .contains("scope=read+write")
                .contains("access_type=offline")
                .contains("response_type=code")
                .doesNotContain(pending.codeVerifier());
        assertThat(client.authorizationUrl(REDIRECT).state()).isNotEqualTo(pending.state());
        assertThat(pending.toString()).doesNotContain(pending.state()).doesNotContain(pending.codeVerifier());
    }

    @Test
    void slackScopesAreCommaSeparated() {
        OAuthClient slack = OAuthClient.builder(
                        ProviderSettings.slack()
                                .scopes(List.of("chat:write", "channels:read"))
                                .build(),
                        "s")
                .build();
        assertThat(slack.authorizationUrl(REDIRECT).authorizationUrl().toString())
                .contains("scope=chat%3Awrite%2Cchannels%3Aread");
    }

    @Test
    void aWrongStateIsInvalidInput() {
        assertThatThrownBy(() -> client.exchange(pending, callback("code=abc&state=forged")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("state")
                .satisfies(
                        e -> assertThat(((SwitchboardException) e).nextStep()).isEqualTo(NextStep.FIX_INPUT));
        assertThatThrownBy(() -> client.exchange(pending, callback("code=abc")))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aMissingCodeIsInvalidInput() {
        assertThatThrownBy(() -> client.exchange(pending, callback("state=" + pending.state())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("code");
    }

    @Test
    void accessDeniedIsConsentDenied() {
        assertThatThrownBy(() -> client.exchange(pending, callback("error=access_denied&state=" + pending.state())))
                .isInstanceOf(ConsentDeniedException.class)
                .satisfies(
                        e -> assertThat(((SwitchboardException) e).nextStep()).isEqualTo(NextStep.ASK_USER));
    }

    @Test
    void otherAuthorizationErrorsAreMapped() {
        assertThatThrownBy(() ->
                        client.exchange(pending, callback("error=temporarily_unavailable&state=" + pending.state())))
                .isInstanceOf(TransientException.class);
        assertThatThrownBy(() -> client.exchange(pending, callback("error=invalid_scope&state=" + pending.state())))
                .isInstanceOf(PermanentException.class);
    }

    @Test
    void aForeignIssuerIsRejected_rfc9207() {
        assertThatThrownBy(() -> client.exchange(
                        pending, callback("code=abc&iss=https%3A%2F%2Fevil.example&state=" + pending.state())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("mix-up")
                .hasMessageContaining("https://auth.example.com") // ours, not theirs
                .hasMessageNotContaining("evil.example");
        OAuthClient strict = OAuthClient.builder(
                        provider.newBuilder().issuerParameterRequired(true).build(), "cli")
                .build();
        PendingAuthorization p = strict.authorizationUrl(REDIRECT);
        assertThatThrownBy(() -> strict.exchange(p, callback("code=abc&state=" + p.state())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("iss");
    }

    @Test
    void aCallbackWhoseSchemeHostOrPathDiffersFromTheRedirectUriIsInvalidInput() {
        String query = "?code=abc&state=" + pending.state();
        for (String other : List.of(
                "https://127.0.0.1:5555/callback", // scheme
                "http://localhost:5555/callback", // host
                "http://evil.example:5555/callback",
                "http://127.0.0.1:5555/callback/x", // path
                "http://127.0.0.1:5555/")) {
            assertThatThrownBy(() -> client.exchange(pending, URI.create(other + query)))
                    .as(other)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("redirect URI");
        }
        // Case in scheme and host does not matter, nor does the port (a proxy may change it):
        // these pass every check and fail only at the token endpoint (nothing listens on port 9).
        for (String same : List.of("HTTP://127.0.0.1:5555/callback", "http://127.0.0.1:443/callback")) {
            assertThatThrownBy(() -> client.exchange(pending, URI.create(same + query)))
                    .as(same)
                    .isInstanceOf(TransientException.class);
        }
    }

    @Test
    void aPendingAuthorizationExpiresByTheClientsClock() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        OAuthClient timed = OAuthClient.builder(provider, "cli")
                .clock(clock)
                .authorizationLifetime(Duration.ofMinutes(10))
                .build();
        PendingAuthorization p = timed.authorizationUrl(REDIRECT);
        URI cb = callback("code=abc&state=" + p.state());

        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertThatThrownBy(() -> timed.exchange(p, cb)).isInstanceOf(TransientException.class); // still valid

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> timed.exchange(p, cb))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .hasMessageContaining("expired")
                .hasMessageContaining("start the authorization again")
                .satisfies(
                        e -> assertThat(((SwitchboardException) e).nextStep()).isEqualTo(NextStep.REAUTHORIZE));
        // A web app's restored copy expires the same way: by its creation time.
        PendingAuthorization restored = PendingAuthorization.restore(
                p.authorizationUrl(), p.redirectUri(), p.state(), p.codeVerifier(), p.createdAt());
        assertThatThrownBy(() -> timed.exchange(restored, cb)).isInstanceOf(ReauthorizationRequiredException.class);
    }

    @Test
    void aMatchingCallbackReachesTheTokenEndpoint() {
        // nothing listens on port 9: the callback passed every check and the exchange failed transiently
        assertThatThrownBy(() -> client.exchange(
                        pending, callback("code=abc&iss=https%3A%2F%2Fauth.example.com&state=" + pending.state())))
                .isInstanceOf(TransientException.class);
    }

    @Test
    void theLoopbackReceiverServesOneCallbackAndCloses() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI redirect;
        try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
            redirect = receiver.redirectUri();
            assertThat(redirect.getHost()).isEqualTo("127.0.0.1");
            assertThat(redirect.getPort()).isPositive();
            PendingAuthorization p = client.authorizationUrl(redirect);
            receiver.expect(p);
            HttpResponse<String> favicon = http.send(
                    HttpRequest.newBuilder(redirect.resolve("/favicon.ico")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(favicon.statusCode()).isEqualTo(404);
            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(URI.create(redirect + "?code=c1&state=" + p.state()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Authorization received");
            HttpResponse<String> second = http.send(
                    HttpRequest.newBuilder(URI.create(redirect + "?code=c2&state=" + p.state()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(404);
            assertThat(receiver.await(Duration.ofSeconds(5))).hasQuery("code=c1&state=" + p.state());
        }
        assertThatThrownBy(() -> http.send(
                        HttpRequest.newBuilder(URI.create(redirect + "?code=c2"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theLoopbackReceiverTimesOut() {
        try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
            receiver.expect(client.authorizationUrl(receiver.redirectUri()));
            assertThatThrownBy(() -> receiver.await(Duration.ofMillis(50))).isInstanceOf(ConsentDeniedException.class);
        }
    }

    @Test
    void aForgedFirstRequestToTheLoopbackReceiver() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
            URI redirect = receiver.redirectUri();
            PendingAuthorization p = client.authorizationUrl(redirect);
            String state = URLEncoder.encode(p.state(), StandardCharsets.UTF_8);
            // Before expect(): even the right state is not accepted.
            assertThat(status(http, "GET", URI.create(redirect + "?code=early&state=" + state)))
                    .isEqualTo(404);
            receiver.expect(p);

            assertThat(status(http, "GET", redirect.resolve("/other?code=forged&state=" + state)))
                    .as("another path")
                    .isEqualTo(404);
            assertThat(status(http, "POST", URI.create(redirect + "?code=forged&state=" + state)))
                    .as("a POST")
                    .isEqualTo(404);
            assertThat(status(http, "GET", URI.create(redirect + "?code=forged&state=wrong")))
                    .as("a wrong state")
                    .isEqualTo(404);
            assertThat(status(http, "GET", URI.create(redirect + "?code=forged&state=" + state + "x")))
                    .as("a longer state")
                    .isEqualTo(404);
            assertThat(status(http, "GET", URI.create(redirect + "?code=forged")))
                    .as("no state")
                    .isEqualTo(404);
            assertThat(status(http, "GET", URI.create(redirect + "?code=forged&state=" + state + "&state=" + state)))
                    .as("two states")
                    .isEqualTo(404);

            assertThat(status(http, "GET", URI.create(redirect + "?code=real&state=" + state)))
                    .isEqualTo(200);
            URI received = receiver.await(Duration.ofSeconds(5));
            assertThat(received.getQuery()).contains("code=real").doesNotContain("forged");
        }
    }

    @Test
    void aStalledConnectionDoesNotHoldUpTheCallback() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (LoopbackReceiver receiver = LoopbackReceiver.start();
                Socket stalled = new Socket("127.0.0.1", receiver.redirectUri().getPort())) {
            PendingAuthorization p = client.authorizationUrl(receiver.redirectUri());
            receiver.expect(p);
            // Half a request line, never finished: the server sits reading it.
            stalled.getOutputStream().write("GET /callback?state=".getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            Thread.sleep(50); // let the server start reading it (a real wait, bounded)

            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(URI.create(receiver.redirectUri() + "?code=real&state=" + p.state()))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(receiver.await(Duration.ofSeconds(1)).getQuery()).contains("code=real");
        }
    }

    @Test
    void theLoopbackReceiverMustBeToldWhatToExpect() {
        try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
            assertThatThrownBy(() -> receiver.await(Duration.ofMillis(10)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("expect");
            assertThatThrownBy(() -> receiver.expect(client.authorizationUrl(REDIRECT)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static int status(HttpClient http, String method, URI uri) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(uri)
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void publicClientsNeedNoSecretAndConfidentialOnesMust() {
        assertThatThrownBy(() -> OAuthClient.builder(provider, "x")
                        .authMethod(ClientAuthMethod.CLIENT_SECRET_POST)
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(OAuthClient.builder(provider, "x").clientSecret("s").build().toString())
                .doesNotContain("\"s\"")
                .contains("CLIENT_SECRET_BASIC");
        assertThat(Map.of()).isEmpty();
    }
}
