package dev.switchboard.core.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Push-down through a real Switchboard: the help desk connector sends the row scope's vendor user as the
 * vendor's own filter ({@code visible_to}), and core's final filter still withholds what a source wrongly
 * returns.
 */
class RowScopePushDownTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String CONNECTION = "helpdesk-acme";

    /** The application's user sam is agent-7 at the help desk; globex's users have no account there. */
    private static final AccountMapping ACCOUNTS =
            (principal, connection) -> principal.tenantId().equals("acme")
                    ? new AccountIdentity("acme", "sam".equals(principal.userId()) ? "agent-7" : null, Set.of())
                    : null;

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final TokenStore store = TokenStore.inMemory(clock);
    private Switchboard switchboard;

    @BeforeEach
    void setUp() {
        store.compareAndSet(CONNECTION, 0, Credential.builder("access-1").build());
        // The vendor's filter is buggy: it also returns agent-9's private ticket.
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .willReturn(okJson("{\"items\":[" + ticket("t1", "agent-7", "private") + ","
                        + ticket("t2", "agent-9", "private") + "," + ticket("t3", "agent-9", "team")
                        + "],\"next_page\":null}")));
        switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder(CONNECTION)
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .build())
                .tokenStore(store)
                .clock(clock)
                .sleeper(clock.sleeper())
                .accessPolicy(PermissionPolicy.custom()
                        .grant("desk", g -> g.anyUser().connections(CONNECTION).streams("tickets"))
                        .accounts(ACCOUNTS)
                        .build())
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
    }

    private static String ticket(String id, String owner, String visibility) {
        return "{\"id\":\"" + id + "\",\"updated_at\":\"2026-02-01T00:00:00Z\",\"subject\":\"Printer\",\"owner\":\""
                + owner + "\",\"visibility\":\"" + visibility + "\"}";
    }

    private List<String> read(Principal principal) {
        try (RecordStream stream = switchboard
                .connection(CONNECTION)
                .read(new AgentContext(principal, "session", "trace"), ReadRequest.of("tickets"))) {
            return stream.stream().map(Record::id).toList();
        }
    }

    @Test
    void theSourceIsAskedOnlyForWhatThePolicyKeepsAndWhatItWronglyReturnsIsStillWithheld() {
        assertThat(read(Principal.user("sam", "acme"))).containsExactly("t1", "t3");

        server.verify(1, getRequestedFor(urlPathEqualTo("/tickets")).withQueryParam("visible_to", equalTo("agent-7")));
    }

    @Test
    void aSystemPrincipalIsNotNarrowedAndAPrincipalWithoutAnAccountGetsNothing() {
        assertThat(read(Principal.system("indexer"))).containsExactly("t1", "t2", "t3");
        assertThat(read(Principal.user("zoe", "globex"))).isEmpty();
        assertThat(read(Principal.user("kim", "acme"))).containsExactly("t3");

        server.verify(3, getRequestedFor(urlPathEqualTo("/tickets")).withQueryParam("visible_to", absent()));
    }
}
