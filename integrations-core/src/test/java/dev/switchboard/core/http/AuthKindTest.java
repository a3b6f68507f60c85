package dev.switchboard.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who applies the connection's credential: the pipeline for {@link AuthKind#BEARER} and
 * {@link AuthKind#API_KEY} (in the header the connector names), the connector itself for
 * {@link AuthKind#SIGNED} and {@link AuthKind#PASSWORD}, which get it from the call and send nothing
 * of it through core.
 */
class AuthKindTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final JsonObject NO_INPUT = (JsonObject) Json.parse("{\"type\":\"object\"}");
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-04-01T09:00:00Z"));
    private final AgentContext ctx = AgentContext.of(Principal.user("ana", "acme"));
    private Switchboard switchboard;

    @AfterEach
    void close() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    /** A connector of one auth kind with one action: GET /ping, signed by the connector itself when it signs. */
    private static Connector connector(AuthKind kind) {
        return new Connector() {
            @Override
            public ConnectorDescriptor descriptor() {
                return ConnectorDescriptor.builder("kinds")
                        .authKind(kind)
                        .action(new ActionDescriptor("ping", "Pings", NO_INPUT, Effect.READ, true))
                        .build();
            }

            @Override
            public String apiKeyHeader() {
                return "X-Kinds-Key";
            }

            @Override
            public ConnectorSession open(ConnectorContext context) {
                return new ConnectorSession() {
                    @Override
                    public StreamReader openStream(StreamCall call) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public ActionOutput execute(ActionCall call) {
                        VendorRequest.Builder ping = VendorRequest.get("/ping").operation("ping");
                        if (kind == AuthKind.SIGNED) {
                            // A stand-in for a request signature: what matters is that the secret reached us.
                            ping.header(
                                    "X-Signature",
                                    "sig-of-" + call.credentials().current().accessToken());
                        }
                        call.http().execute(ping.build());
                        return ActionOutput.of(JsonObject.empty());
                    }
                };
            }
        };
    }

    private void build(AuthKind kind) {
        TokenStore tokens = TokenStore.inMemory(clock);
        tokens.compareAndSet("kinds-acme", 0, Credential.builder("s3cret").build());
        switchboard = Switchboard.builder()
                .discoverConnectors(false)
                .connector(connector(kind))
                .connection(ConnectionConfig.builder("kinds-acme")
                        .connector("kinds")
                        .baseUrl(server.baseUrl())
                        .build())
                .tokenStore(tokens)
                .accessPolicy(AccessPolicy.allowAll())
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        server.stubFor(get(urlPathEqualTo("/ping")).willReturn(okJson("{}")));
    }

    @Test
    void anApiKeyGoesInTheHeaderTheConnectorNamesAndNoBearerTokenIsSent() {
        build(AuthKind.API_KEY);

        switchboard.connection("kinds-acme").execute(ctx, "ping", Map.of());

        server.verify(
                1,
                getRequestedFor(urlPathEqualTo("/ping"))
                        .withHeader("X-Kinds-Key", equalTo("s3cret"))
                        .withHeader("Authorization", absent()));
    }

    @Test
    void aBearerTokenGoesInTheAuthorizationHeader() {
        build(AuthKind.BEARER);

        switchboard.connection("kinds-acme").execute(ctx, "ping", Map.of());

        server.verify(
                1,
                getRequestedFor(urlPathEqualTo("/ping"))
                        .withHeader("Authorization", equalTo("Bearer s3cret"))
                        .withHeader("X-Kinds-Key", absent()));
    }

    @Test
    void aSigningConnectorGetsTheCredentialFromItsCallAndCoreSendsNoneOfIt() {
        build(AuthKind.SIGNED);

        switchboard.connection("kinds-acme").execute(ctx, "ping", Map.of());

        server.verify(
                1,
                getRequestedFor(urlPathEqualTo("/ping"))
                        .withHeader("X-Signature", equalTo("sig-of-s3cret"))
                        .withHeader("Authorization", absent())
                        .withHeader("X-Kinds-Key", absent()));
    }

    @Test
    void aSigningConnectorsRejectedRequestIsNotReplayedByThePipeline() {
        build(AuthKind.SIGNED);
        server.stubFor(get(urlPathEqualTo("/ping")).willReturn(aResponse().withStatus(401)));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> switchboard.connection("kinds-acme").execute(ctx, "ping", Map.of()))
                .isInstanceOf(dev.switchboard.core.error.SwitchboardException.class);

        // The pipeline sent no credential, so it has none to refresh and replay: the connector decides.
        server.verify(1, getRequestedFor(urlPathEqualTo("/ping")));
    }
}
