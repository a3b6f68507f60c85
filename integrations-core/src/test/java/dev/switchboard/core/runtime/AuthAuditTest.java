package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.TokenMode;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.CredentialListener;
import dev.switchboard.core.auth.RefreshingCredentialSource;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.support.TokenEndpoint;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Credential events of a shared {@link RefreshingCredentialSource} reach the Switchboard's own audit sink
 * as AUTH events (a refresh after a 401, a revoked grant), naming the principal of a per-user key; once
 * the Switchboard is closed they no longer do.
 */
class AuthAuditTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String CONNECTION = "helpdesk-users";
    // A tenant and user that need encoding in the key: the event must name them as they are.
    private static final AgentContext ALICE =
            new AgentContext(Principal.user("alice smith", "acme/eu"), "session-1", "trace-1");
    private static final String ALICE_KEY = "helpdesk-users/acme%2Feu/alice+smith";
    private static final AgentContext BOB = new AgentContext(Principal.user("bob", "acme"), "session-2", "trace-2");
    private static final String BOB_KEY = "helpdesk-users/acme/bob";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final TokenStore store = TokenStore.inMemory(clock);
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private RefreshingCredentialSource credentials;

    @BeforeEach
    void setUp() {
        store.compareAndSet(
                ALICE_KEY,
                0,
                Credential.builder("alice-old").refreshToken("alice-refresh").build());
        store.compareAndSet(
                BOB_KEY,
                0,
                Credential.builder("bob-old").refreshToken("bob-revoked").build());
        server.stubFor(get(urlPathEqualTo("/tickets")).willReturn(aResponse().withStatus(401)));
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .withHeader("Authorization", equalTo("Bearer alice-new"))
                .willReturn(okJson("{\"items\":[],\"next_page\":null}")));
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .withRequestBody(containing("refresh_token=alice-refresh"))
                .willReturn(okJson("{\"access_token\":\"alice-new\",\"refresh_token\":\"alice-refresh\"}")));
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .withRequestBody(containing("refresh_token=bob-revoked"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_grant\"}")));
        credentials = RefreshingCredentialSource.builder(store, new TokenEndpoint(server.baseUrl() + "/oauth/token"))
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
    }

    private Switchboard build() {
        return Switchboard.builder()
                .connection(ConnectionConfig.builder(CONNECTION)
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .tokenMode(TokenMode.PER_PRINCIPAL)
                        .build())
                .credentialSource(credentials)
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
    }

    private static void readAll(Switchboard switchboard, AgentContext context) {
        try (RecordStream tickets = switchboard.connection(CONNECTION).read(context, ReadRequest.of("tickets"))) {
            tickets.forEach(r -> {});
        }
    }

    private List<AuditEvent> authEvents() {
        return audit.events().stream()
                .filter(e -> e.kind() == AuditEvent.Kind.AUTH)
                .toList();
    }

    private int tokenRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).size();
    }

    @Test
    void aRefreshAfterARejectionAndARevokedGrantAreAuditedToTheSwitchboardsSink() {
        try (Switchboard switchboard = build()) {
            readAll(switchboard, ALICE);
            assertThatThrownBy(() -> readAll(switchboard, BOB)).isInstanceOf(ReauthorizationRequiredException.class);
        }

        assertThat(tokenRequests()).isEqualTo(2);
        assertThat(authEvents())
                .satisfiesExactly(
                        refreshed -> {
                            assertThat(refreshed.outcome()).isEqualTo(AuditEvent.Outcome.SUCCEEDED);
                            assertThat(refreshed.connection()).isEqualTo(CONNECTION);
                            assertThat(refreshed.tenantId()).isEqualTo("acme/eu");
                            assertThat(refreshed.userId()).isEqualTo("alice smith");
                            assertThat(refreshed.detail()).doesNotContain("alice-new", "alice-refresh");
                        },
                        revoked -> {
                            assertThat(revoked.outcome()).isEqualTo(AuditEvent.Outcome.FAILED);
                            assertThat(revoked.connection()).isEqualTo(CONNECTION);
                            assertThat(revoked.tenantId()).isEqualTo("acme");
                            assertThat(revoked.userId()).isEqualTo("bob");
                            assertThat(revoked.detail()).doesNotContain("bob-old", "bob-revoked");
                        });
    }

    @Test
    void aClosedSwitchboardHearsNoMoreCredentialEvents() {
        AtomicInteger refreshesHeard = new AtomicInteger();
        credentials.addListener(new CredentialListener() {
            @Override
            public void refreshed(String key, long version) {
                refreshesHeard.incrementAndGet();
            }
        });
        build().close();

        long version = store.load(ALICE_KEY).orElseThrow().version();
        credentials.refreshAfterRejection(ALICE_KEY, version);

        assertThat(tokenRequests()).as("the source refreshed").isEqualTo(1);
        assertThat(refreshesHeard).as("and told its listeners").hasValue(1);
        assertThat(authEvents()).as("but not the closed Switchboard").isEmpty();
    }
}
