package dev.switchboard.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.http.InsecureTransportException;
import dev.switchboard.oauth.internal.TokenEndpoint;
import dev.switchboard.oauth.support.TokenEndpointStub;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The transport rules at the provider's endpoints: plain http only on loopback unless the client allows it,
 * and no TLS below 1.2. Refusals happen when the client is built; nothing is sent to the documentation
 * addresses used here.
 */
class TransportSecurityTest {
    private static ProviderSettings provider(String authorization, String token, @Nullable String revocation) {
        return ProviderSettings.builder("crm")
                .authorizationEndpoint(URI.create(authorization))
                .tokenEndpoint(URI.create(token))
                .revocationEndpoint(revocation == null ? null : URI.create(revocation))
                .build();
    }

    private static @Nullable String nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        return null;
    }

    @Test
    void aTokenEndpointOverPlainHttpOnARemoteHostIsRefusedWhenTheClientIsBuilt() {
        ProviderSettings remoteToken =
                provider("https://login.example.com/authorize", "http://192.0.2.1/oauth/token?x=s3cret", null);

        assertThatThrownBy(() -> OAuthClient.builder(remoteToken, "switchboard")
                        .clientSecret("client-secret-value")
                        .build())
                .isInstanceOf(InsecureTransportException.class)
                .hasMessageContaining("OAuth provider 'crm'")
                .hasMessageContaining("192.0.2.1, which is not a loopback host")
                .hasMessageContaining("use an https:// URL")
                .hasMessageContaining("OAuthClient.Builder.allowPlainHttp(true)")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("client-secret-value");
    }

    @Test
    void aRevocationOrAuthorizationEndpointOverPlainHttpOnARemoteHostIsRefusedToo() {
        for (ProviderSettings p : List.of(
                provider(
                        "https://login.example.com/authorize",
                        "https://login.example.com/token",
                        "http://example.com/revoke"),
                provider("http://example.com/authorize", "https://login.example.com/token", null))) {
            assertThatThrownBy(() -> OAuthClient.builder(p, "switchboard").build())
                    .isInstanceOf(InsecureTransportException.class)
                    .hasMessageContaining("example.com");
        }
        // https everywhere, or http on loopback, needs no setting
        OAuthClient.builder(provider("https://a.example.com/x", "https://a.example.com/t", null), "switchboard")
                .build();
        OAuthClient.builder(TokenEndpointStub.provider("http://127.0.0.1:9"), "switchboard")
                .build();
    }

    @Test
    void anApplicationClientAllowingTlsBelow12IsRefused() {
        OkHttpClient compatible = new OkHttpClient.Builder()
                .connectionSpecs(List.of(ConnectionSpec.COMPATIBLE_TLS))
                .build();

        assertThatThrownBy(() -> OAuthClient.builder(TokenEndpointStub.provider("http://127.0.0.1:9"), "switchboard")
                        .httpClient(compatible)
                        .build())
                .isInstanceOf(InsecureTransportException.class)
                .hasMessageContaining("OAuth provider 'crm'")
                .hasMessageContaining("TLSv1");
        // nothing is fetched: login.example.com is never asked
        assertThatThrownBy(() -> ProviderSettings.discover("crm", URI.create("https://login.example.com"), compatible))
                .isInstanceOf(InsecureTransportException.class)
                .hasMessageContaining("discovery of OAuth provider 'crm'");
    }

    @Test
    void theTokenEndpointRefusesARemotePlainHttpRequestWithoutSendingIt() throws Exception {
        // OAuthClient.build already refuses such a provider; this is the check under it, on every request.
        String address = nonLoopbackAddress();
        assumeTrue(address != null, "this machine has no non-loopback address to stand for a remote host");
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("0.0.0.0"));
        server.start();
        try {
            server.stubFor(post(urlEqualTo("/token")).willReturn(TokenEndpointStub.newTokens("a2", "r2")));
            TokenEndpoint endpoint = new TokenEndpoint(
                    TokenEndpoint.dedicated(new OkHttpClient(), Duration.ofSeconds(4)), "OAuth provider 'crm'", false);
            HTTPRequest request = new HTTPRequest(
                    HTTPRequest.Method.POST, new URL("http://" + address + ":" + server.port() + "/token"));
            request.setContentType("application/x-www-form-urlencoded");
            request.setBody("grant_type=refresh_token&refresh_token=r1");

            assertThatThrownBy(() -> endpoint.exchange(request, "token-refresh"))
                    .isInstanceOf(PermanentException.class)
                    .hasCauseInstanceOf(InsecureTransportException.class)
                    .hasMessageContaining("refused and not sent")
                    .hasMessageContaining(address)
                    .hasMessageNotContaining("r1");
            assertThat(server.countRequestsMatching(
                                    postRequestedFor(urlEqualTo("/token")).build())
                            .getCount())
                    .isZero();
        } finally {
            server.stop();
        }
    }

    @Test
    void plainHttpAllowedExplicitlyRefreshesAndWarnsOnceNamingTheProviderAndHost() throws Exception {
        String address = nonLoopbackAddress();
        assumeTrue(address != null, "this machine has no non-loopback address to stand for a remote host");
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("0.0.0.0"));
        server.start();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
        captured.start();
        ours.addAppender(captured);
        try {
            server.stubFor(post(urlEqualTo("/token")).willReturn(TokenEndpointStub.newTokens("a2", "r2")));
            String base = "http://" + address + ":" + server.port();
            OAuthClient client = OAuthClient.builder(TokenEndpointStub.provider(base), "switchboard")
                    .clientSecret("client-secret-value")
                    .allowPlainHttp(true)
                    .build();
            Credential current = Credential.builder("a1").refreshToken("r1").build();

            assertThat(client.refresh(current).accessToken()).isEqualTo("a2");
            assertThat(client.refresh(current).accessToken()).isEqualTo("a2");
        } finally {
            ours.detachAppender(captured);
            server.stop();
        }

        assertThat(server.countRequestsMatching(
                                postRequestedFor(urlEqualTo("/token")).build())
                        .getCount())
                .isEqualTo(2);
        List<ILoggingEvent> warned =
                captured.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warned).hasSize(1);
        assertThat(warned.get(0).getFormattedMessage())
                .contains("OAuth provider 'crm'", address)
                .doesNotContain("client-secret-value")
                .doesNotContain("r1");
    }
}
