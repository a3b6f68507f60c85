package dev.switchboard.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.internal.http.ConnectionHttp;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.support.PipelineFixture;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The plain-HTTP half of {@link TransportSecurity}: {@code http://} only to loopback unless a connection
 * allows it. "Remote" hosts here are either documentation addresses and names that nothing is ever sent to,
 * or this machine's own non-loopback address, where the local server listens too: so a test can count that
 * a refused request never arrived.
 */
class PlainHttpTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("0.0.0.0"))
            .build();

    /** This machine's first non-loopback IPv4 address, or null when it has none. */
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

    /** The local server, reached through a host that is not loopback. */
    private static String remoteBaseUrl() throws Exception {
        String address = nonLoopbackAddress();
        assumeTrue(address != null, "this machine has no non-loopback address to stand for a remote host");
        return "http://" + address + ":" + server.getPort();
    }

    private static <T> List<ILoggingEvent> warnings(Supplier<T> action) {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
        captured.start();
        ours.addAppender(captured);
        try {
            action.get();
        } finally {
            ours.detachAppender(captured);
        }
        return captured.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    @Test
    void loopbackIsDecidedOnTheLiteralHostNeverByResolvingIt() {
        assertThat(List.of(
                        "localhost",
                        "LOCALHOST",
                        "127.0.0.1",
                        "127.255.255.254",
                        "::1",
                        "[::1]",
                        "0:0:0:0:0:0:0:1",
                        "[0:0:0:0:0:0:0:1]"))
                .allSatisfy(
                        h -> assertThat(TransportSecurity.isLoopback(h)).as(h).isTrue());
        assertThat(List.of(
                        "128.0.0.1",
                        "127.0.0.256",
                        "10.0.0.1",
                        "192.0.2.1",
                        "example.com",
                        "localhost.example.com",
                        "127.0.0.1.nip.io",
                        "::2",
                        "[fd00::1]"))
                .allSatisfy(
                        h -> assertThat(TransportSecurity.isLoopback(h)).as(h).isFalse());
    }

    @Test
    void plainHttpToLoopbackNeedsNoSetting() {
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{}")));
        String port = Integer.toString(server.getPort());

        for (String base : List.of("http://localhost:" + port, "http://127.0.0.1:" + port)) {
            ConnectionConfig.builder("local").connector("x").baseUrl(base).build();
            assertThat(new PipelineFixture(base)
                            .http()
                            .execute(VendorRequest.get("/items").build())
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void plainHttpToARemoteHostIsRefusedWhenTheConnectionIsConfigured() {
        for (String url :
                List.of("http://192.0.2.1/api?api_key=s3cret", "http://user:pa55@example.com:8080/v1/?token=s3cret")) {
            assertThatThrownBy(() -> ConnectionConfig.builder("crm-acme")
                            .connector("x")
                            .baseUrl(url)
                            .build())
                    .isInstanceOf(InsecureTransportException.class)
                    .hasMessageContaining("connection 'crm-acme'")
                    .hasMessageContaining(HttpUrl.parse(url).host() + ", which is not a loopback host")
                    .hasMessageContaining("use an https:// URL")
                    .hasMessageContaining("ConnectionConfig.Builder.allowPlainHttp(true)")
                    .hasMessageNotContaining("s3cret")
                    .hasMessageNotContaining("pa55")
                    .hasMessageNotContaining("/api");
        }
        // https anywhere is fine, and so is a connection without a base URL (JDBC)
        ConnectionConfig.builder("crm-acme")
                .connector("x")
                .baseUrl("https://192.0.2.1")
                .build();
        ConnectionConfig.builder("warehouse").connector("jdbc").build();
    }

    @Test
    void aSwitchboardCannotBeBuiltAroundARemotePlainHttpPipeline() {
        // A connection derived without the builder's check (newBuilder keeps the flag) still meets the pipeline's.
        assertThatThrownBy(() -> new PipelineFixture("http://192.0.2.1").pipeline())
                .isInstanceOf(InsecureTransportException.class)
                .hasMessageContaining("connection 'test-conn'")
                .hasMessageContaining("192.0.2.1");
    }

    @Test
    void allowingPlainHttpExplicitlyWorksAndWarnsOncePerConnectionNamingItAndTheHost() throws Exception {
        String remote = remoteBaseUrl();
        String host = HttpUrl.parse(remote).host();
        server.stubFor(get(urlPathEqualTo("/tickets/count")).willReturn(okJson("{\"count\":3}")));
        TokenStore store = TokenStore.inMemory(java.time.Clock.systemUTC());
        store.compareAndSet("helpdesk-lan", 0, Credential.builder("tok").build());

        List<ILoggingEvent> warned = warnings(() -> {
            try (Switchboard sb = Switchboard.builder()
                    .discoverConnectors(false)
                    .connector(new HelpdeskConnector())
                    .connection(ConnectionConfig.builder("helpdesk-lan")
                            .connector(HelpdeskConnector.ID)
                            .baseUrl(remote + "/?key=s3cret")
                            .allowPlainHttp(true)
                            .build())
                    .tokenStore(store)
                    .accessPolicy(AccessPolicy.allowAll())
                    .build()) {
                AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
                for (int i = 0; i < 2; i++) {
                    sb.connection("helpdesk-lan").execute(alice, "count_tickets", JsonObject.empty());
                }
            }
            return null;
        });

        assertThat(server.findAll(anyRequestedFor(urlPathEqualTo("/tickets/count"))))
                .hasSize(2);
        assertThat(warned).hasSize(1);
        assertThat(warned.get(0).getFormattedMessage())
                .contains("'helpdesk-lan'", host, "allowPlainHttp")
                .doesNotContain("s3cret")
                .doesNotContain(remote);
    }

    @Test
    void aVendorsNextLinkToPlainHttpOnARemoteHostIsRefusedAndNotSent() throws Exception {
        String remote = remoteBaseUrl();
        server.stubFor(get(anyUrl()).willReturn(okJson("{}")));
        VendorHttp http = new PipelineFixture(server.baseUrl()).http(); // http://localhost: allowed

        assertThatThrownBy(() -> http.execute(VendorRequest.get(remote + "/tickets?page=2&access_token=s3cret")
                        .operation("list_tickets") // as connectors name theirs; unnamed, the URL is the name
                        .build()))
                .isInstanceOf(PermanentException.class)
                .hasCauseInstanceOf(InsecureTransportException.class)
                .hasMessageContaining("refused and not sent")
                .hasMessageContaining(HttpUrl.parse(remote).host())
                .hasMessageNotContaining("s3cret");
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aRedirectToPlainHttpOnARemoteHostIsRefusedBeforeTheRequestIsWritten() throws Exception {
        String remote = remoteBaseUrl();
        server.stubFor(get(urlPathEqualTo("/moved"))
                .willReturn(aResponse().withStatus(302).withHeader("Location", remote + "/landing")));
        server.stubFor(get(urlPathEqualTo("/landing")).willReturn(okJson("{}")));

        assertThatThrownBy(() -> new PipelineFixture(server.baseUrl())
                        .http()
                        .execute(VendorRequest.get("/moved").build()))
                .isInstanceOf(PermanentException.class)
                .hasCauseInstanceOf(InsecureTransportException.class);
        assertThat(server.findAll(anyRequestedFor(urlPathEqualTo("/landing")))).isEmpty();
    }

    @Test
    void aConnectionThatAllowsPlainHttpFollowsTheVendorsLinkWithOneWarning() throws Exception {
        String remote = remoteBaseUrl();
        server.stubFor(get(anyUrl()).willReturn(okJson("{}")));
        PipelineFixture fixture = new PipelineFixture(server.baseUrl()).plainHttpAllowed(true);
        ConnectionHttp pipeline = fixture.pipeline();
        VendorHttp http = pipeline.bind(null, false, true);

        List<ILoggingEvent> warned = warnings(() -> {
            http.execute(VendorRequest.get(remote + "/tickets?page=2").build());
            return http.execute(VendorRequest.get(remote + "/tickets?page=3").build());
        });

        assertThat(server.findAll(anyRequestedFor(urlPathEqualTo("/tickets")))).hasSize(2);
        assertThat(warned).hasSize(1);
        assertThat(warned.get(0).getFormattedMessage())
                .contains("'test-conn'", HttpUrl.parse(remote).host());
    }
}
