package dev.switchboard.oauth.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.oauth.OAuthClient;
import dev.switchboard.oauth.ProviderSettings;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.SecretRegistry;
import dev.switchboard.testkit.secrets.Secrets;
import java.net.URI;
import okhttp3.OkHttpClient;

/** A WireMock token endpoint whose requests can be counted exactly. */
public final class TokenEndpointStub implements AutoCloseable {
    /** The clients' secret, registered so that the run fails if it reaches a log line or an exception. */
    public static final String CLIENT_SECRET = Secrets.register(SecretKind.CLIENT_SECRET, "client-secret-value");

    public final WireMockServer server;

    public TokenEndpointStub() {
        server = new WireMockServer(options().dynamicPort().containerThreads(40).asynchronousResponseEnabled(false));
        server.start();
    }

    public String tokenUrl() {
        return server.baseUrl() + "/token";
    }

    public ProviderSettings provider() {
        return provider(server.baseUrl());
    }

    public static ProviderSettings provider(String baseUrl) {
        return ProviderSettings.builder("crm")
                .authorizationEndpoint(URI.create(baseUrl + "/authorize"))
                .tokenEndpoint(URI.create(baseUrl + "/token"))
                .revocationEndpoint(URI.create(baseUrl + "/revoke"))
                .build();
    }

    public OAuthClient client() {
        return client(server.baseUrl());
    }

    /** A client whose expiries are computed by {@code clock}, the clock its token manager uses. */
    public OAuthClient client(java.time.Clock clock) {
        return OAuthClient.builder(provider(), "switchboard")
                .clientSecret(CLIENT_SECRET)
                .clock(clock)
                .httpClient(new OkHttpClient())
                .build();
    }

    /** A client with its own OkHttp client, as a separate application instance would have. */
    public static OAuthClient client(String baseUrl) {
        return OAuthClient.builder(provider(baseUrl), "switchboard")
                .clientSecret(CLIENT_SECRET)
                .httpClient(new OkHttpClient())
                .build();
    }

    public void answer(ResponseDefinitionBuilder response) {
        server.resetAll();
        server.stubFor(post(urlEqualTo("/token")).willReturn(response));
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    public static ResponseDefinitionBuilder newTokens(String access, String refresh) {
        registerIfLongEnough(SecretKind.ACCESS_TOKEN, access);
        registerIfLongEnough(SecretKind.REFRESH_TOKEN, refresh);
        return json(
                200,
                "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"refresh_token\":\"" + refresh + "\"}");
    }

    public int tokenRequests() {
        return server.countRequestsMatching(
                        postRequestedFor(urlEqualTo("/token")).build())
                .getCount();
    }

    @Override
    public void close() {
        server.stop();
    }

    // Tests of rotation name tokens "a2", "r2": too short to find in text without matching ordinary words.
    private static void registerIfLongEnough(SecretKind kind, String value) {
        if (value.length() >= SecretRegistry.MIN_LENGTH) {
            Secrets.register(kind, value);
        }
    }
}
