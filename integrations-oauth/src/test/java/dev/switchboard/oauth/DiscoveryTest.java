package dev.switchboard.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.oauth.support.TokenEndpointStub;
import java.net.URI;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery refusing metadata it must not trust, served by a real HTTP server on loopback: an http
 * endpoint off loopback, an issuer that is not exactly the one asked for, an oversized document.
 */
class DiscoveryTest {
    private static WireMockServer metadata;
    private final OkHttpClient http = new OkHttpClient();
    private String base;

    @BeforeAll
    static void start() {
        metadata = new WireMockServer(options().dynamicPort().gzipDisabled(true)); // so Content-Length reaches us
        metadata.start();
    }

    @AfterAll
    static void stop() {
        metadata.stop();
    }

    @BeforeEach
    void reset() {
        metadata.resetAll();
        base = metadata.baseUrl(); // http://localhost:<port>: loopback, so http is accepted
    }

    /** Serves {@code json} as the RFC 8414 metadata of issuer {@code base + path}. */
    private void serve(String path, String json) {
        metadata.stubFor(get(urlEqualTo("/.well-known/oauth-authorization-server" + path))
                .willReturn(TokenEndpointStub.json(200, json)));
    }

    private static String document(String issuer, String token, String extra) {
        return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\","
                + "\"token_endpoint\":\"" + token + "\",\"response_types_supported\":[\"code\"]" + extra + "}";
    }

    @Test
    void endpointsAreKeptWhenEveryOneIsHttpsOrOnLoopback() {
        String issuer = base + "/t1";
        serve(
                "/t1",
                document(
                        issuer,
                        "https://login.example.com/token",
                        ",\"revocation_endpoint\":\"https://login.example.com/revoke\""
                                + ",\"introspection_endpoint\":\"https://login.example.com/introspect\""
                                + ",\"userinfo_endpoint\":\"" + issuer + "/userinfo\""));
        ProviderSettings p =
                ProviderSettings.discover("crm", URI.create(issuer), http).build();
        assertThat(p.tokenEndpoint()).hasToString("https://login.example.com/token");
        assertThat(p.authorizationEndpoint()).hasToString(issuer + "/authorize");
        assertThat(p.revocationEndpoint()).contains(URI.create("https://login.example.com/revoke"));
        assertThat(p.introspectionEndpoint()).contains(URI.create("https://login.example.com/introspect"));
        assertThat(p.userInfoEndpoint()).contains(URI.create(issuer + "/userinfo"));
        assertThat(p.issuer()).contains(issuer);
        // newBuilder keeps them
        assertThat(p.newBuilder().build().userInfoEndpoint()).contains(URI.create(issuer + "/userinfo"));
        assertThat(p.newBuilder().build().introspectionEndpoint()).isEqualTo(p.introspectionEndpoint());
    }

    @Test
    void anHttpEndpointOffLoopbackIsRefused() {
        String issuer = base + "/t2";
        serve("/t2", document(issuer, "http://login.example.com/token", ""));
        assertThatThrownBy(() -> ProviderSettings.discover("crm", URI.create(issuer), http))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("token_endpoint")
                .hasMessageContaining("https");

        serve(
                "/t2",
                document(
                        issuer,
                        "https://login.example.com/token",
                        ",\"userinfo_endpoint\":\"http://login.example.com/userinfo\""));
        assertThatThrownBy(() -> ProviderSettings.discover("crm", URI.create(issuer), http))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("userinfo_endpoint");
    }

    @Test
    void anHttpIssuerOffLoopbackIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> ProviderSettings.discover("crm", URI.create("http://login.example.com"), http))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("https");
        assertThat(metadata.getAllServeEvents()).isEmpty();
    }

    @Test
    void theIssuerMustMatchExactlyAndIsNotQuoted() {
        // The metadata says ".../t3"; we asked for ".../t3/": RFC 8414 wants them identical.
        serve("/t3/", document(base + "/t3", "https://login.example.com/token", ""));
        assertThatThrownBy(() -> ProviderSettings.discover("crm", URI.create(base + "/t3/"), http))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("issuer");

        serve("/t4", document("https://evil.example/t4", "https://login.example.com/token", ""));
        assertThatThrownBy(() -> ProviderSettings.discover("crm", URI.create(base + "/t4"), http))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("issuer")
                .hasMessageNotContaining("evil.example");
    }

    @Test
    void anOversizedMetadataDocumentIsRefused() {
        String issuer = base + "/t5";
        String padding = ",\"padding\":\"" + "x".repeat(300 * 1024) + "\"";
        String big = document(issuer, "https://login.example.com/token", padding);
        // Declared up front in Content-Length...
        metadata.stubFor(get(urlEqualTo("/.well-known/oauth-authorization-server/t5"))
                .willReturn(
                        TokenEndpointStub.json(200, big).withHeader("Content-Length", String.valueOf(big.length()))));
        assertThatThrownBy(() -> ProviderSettings.discover("crm", URI.create(issuer), http))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("larger than");

        // ...or not (chunked): only reading can tell.
        metadata.stubFor(get(urlEqualTo("/.well-known/oauth-authorization-server/t5"))
                .willReturn(TokenEndpointStub.json(200, big).withChunkedDribbleDelay(4, 20)));
        assertThatThrownBy(() -> ProviderSettings.discover("crm", URI.create(issuer), http))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("larger than");
    }
}
