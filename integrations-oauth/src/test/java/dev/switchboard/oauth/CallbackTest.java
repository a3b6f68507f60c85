package dev.switchboard.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.ConsentDeniedException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
                .hasMessageContaining("mix-up");
        OAuthClient strict = OAuthClient.builder(
                        provider.newBuilder().issuerParameterRequired(true).build(), "cli")
                .build();
        PendingAuthorization p = strict.authorizationUrl(REDIRECT);
        assertThatThrownBy(() -> strict.exchange(p, callback("code=abc&state=" + p.state())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("iss");
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
            HttpResponse<String> favicon = http.send(
                    HttpRequest.newBuilder(redirect.resolve("/favicon.ico")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(favicon.statusCode()).isEqualTo(404);
            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(URI.create(redirect + "?code=c1&state=s1"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(receiver.await(Duration.ofSeconds(5))).hasQuery("code=c1&state=s1");
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
            assertThatThrownBy(() -> receiver.await(Duration.ofMillis(50))).isInstanceOf(ConsentDeniedException.class);
        }
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
