package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.ResponseClassifier;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A vendor's "invalid input" (here a 404, as some classifiers map it) is the caller's to fix only when
 * the request carried the caller's input: an action's input, a read's filter. A describe carries none.
 */
class CallerInputTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private Switchboard switchboard;

    /** The helpdesk, with a classifier that calls a 404 invalid input. */
    private static final class NotFoundIsInvalidInput implements Connector {
        private final HelpdeskConnector helpdesk = new HelpdeskConnector();

        @Override
        public ConnectorDescriptor descriptor() {
            return helpdesk.descriptor();
        }

        @Override
        public ConnectorSession open(ConnectorContext context) {
            return helpdesk.open(context);
        }

        @Override
        public ResponseClassifier responseClassifier() {
            return (response, clock) -> response.status() == 404
                    ? ResponseClass.invalidInput("NOT_FOUND", "no such object")
                    : ResponseClassifier.standard().classify(response, clock);
        }
    }

    @BeforeEach
    void setUp() {
        TokenStore store = TokenStore.inMemory(clock);
        store.compareAndSet("plain", 0, Credential.builder("access-1").build());
        store.compareAndSet("described", 0, Credential.builder("access-1").build());
        server.stubFor(WireMock.any(anyUrl()).willReturn(aResponse().withStatus(404)));
        switchboard = Switchboard.builder()
                .connector(new NotFoundIsInvalidInput())
                .connection(ConnectionConfig.builder("plain")
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .build())
                .connection(ConnectionConfig.builder("described") // reads check the source's metadata first
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .settings(Map.of("describe", "true"))
                        .build())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
    }

    @Test
    void a404OnADescribeIsPermanent() {
        assertThatThrownBy(() -> switchboard.connection("described").describe(alice, "tickets"))
                .isInstanceOfSatisfying(PermanentException.class, e -> {
                    assertThat(e.nextStep()).isEqualTo(NextStep.GIVE_UP);
                    assertThat(e).hasMessageContaining("HTTP 404").hasMessageContaining("nothing to fix");
                });
        server.verify(1, getRequestedFor(urlPathEqualTo("/schema/tickets")));
    }

    @Test
    void a404OnAnActionIsTheCallersToFix() {
        JsonObject input = JsonObject.builder()
                .put("ticket_id", "t-404")
                .put("body", "hello")
                .build();

        assertThatThrownBy(() -> switchboard.connection("plain").execute(alice, "add_comment", input))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.nextStep()).isEqualTo(NextStep.FIX_INPUT));
        server.verify(1, postRequestedFor(urlPathEqualTo("/comments")));
    }

    @Test
    void aReadCarriesTheCallersInputOnlyInItsFilter() {
        try (RecordStream all = switchboard.connection("plain").read(alice, ReadRequest.of("tickets"))) {
            assertThatThrownBy(() -> all.iterator().hasNext())
                    .isInstanceOfSatisfying(
                            PermanentException.class,
                            e -> assertThat(e.nextStep()).isEqualTo(NextStep.GIVE_UP));
        }
        try (RecordStream filtered = switchboard
                .connection("plain")
                .read(alice, ReadRequest.of("tickets").where("owner", "zed"))) {
            assertThatThrownBy(() -> filtered.iterator().hasNext())
                    .isInstanceOfSatisfying(
                            InvalidInputException.class,
                            e -> assertThat(e.nextStep()).isEqualTo(NextStep.FIX_INPUT));
        }
        server.verify(2, getRequestedFor(urlPathEqualTo("/tickets")));
    }

    @Test
    void theMetadataCheckOfAFilteredReadCarriesNoCallerInput() {
        try (RecordStream filtered = switchboard
                .connection("described")
                .read(alice, ReadRequest.of("tickets").where("owner", "zed"))) {
            assertThatThrownBy(() -> filtered.iterator().hasNext())
                    .isInstanceOfSatisfying(
                            PermanentException.class, e -> assertThat(e).hasMessageContaining("nothing to fix"));
        }
        server.verify(1, getRequestedFor(urlPathEqualTo("/schema/tickets")));
        server.verify(0, getRequestedFor(urlPathEqualTo("/tickets")));
    }
}
