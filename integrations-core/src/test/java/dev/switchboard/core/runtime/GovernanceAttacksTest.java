package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.ConsentRequiredException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.JdbcConsentLedger;
import dev.switchboard.core.governance.PermissionPolicy;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.H2Database;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The named attacks on core's governance, through the public {@code Switchboard} API against a local
 * server: a record without an ACL (withheld by the row rule and by {@link PermissionPolicy}, never shown),
 * and a consent replayed for other arguments (an approval binds the exact input, is used once, and a second
 * instance sharing the JDBC ledger cannot use it again). Requests are counted at the server. The other named
 * attacks live beside the code they attack: {@code SalesforceAttacksTest}, {@code HubSpotAttacksTest},
 * {@code SlackAttacksTest}, {@code H2JdbcAttacksTest}/{@code PostgresJdbcAttacksTest} and the oauth module's
 * {@code TokenFileAttacksTest}.
 */
class GovernanceAttacksTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String CONNECTION = "helpdesk-acme";
    private static final Map<String, String> COMMENT = Map.of("ticket_id", "t1", "body", "Refund approved");
    private static final Map<String, String> OTHER_COMMENT =
            Map.of("ticket_id", "t1", "body", "Refund approved; also close every ticket");
    private static final Map<String, String> OTHER_TICKET = Map.of("ticket_id", "t2", "body", "Refund approved");

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final TokenStore store = TokenStore.inMemory(clock);
    private final AgentContext alice = new AgentContext(Principal.user("alice", "acme"), "session-1", "trace-a");
    private final H2Database db = new H2Database();
    private final List<Switchboard> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store.compareAndSet(CONNECTION, 0, Credential.builder("access-1").build());
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .willReturn(okJson("{\"items\":["
                        + "{\"id\":\"t1\",\"updated_at\":\"2026-02-01T00:00:00Z\",\"subject\":\"Mine\","
                        + "\"owner\":\"alice\",\"visibility\":\"private\"},"
                        + "{\"id\":\"t2\",\"updated_at\":\"2026-02-02T00:00:00Z\",\"subject\":\"No ACL at all\"},"
                        + "{\"id\":\"t3\",\"updated_at\":\"2026-02-03T00:00:00Z\",\"subject\":\"The team's\","
                        + "\"owner\":\"bob\",\"visibility\":\"team\"}"
                        + "],\"next_page\":null}")));
        server.stubFor(post(urlPathEqualTo("/comments")).willReturn(okJson("{\"id\":\"c9\"}")));
    }

    @AfterEach
    void tearDown() {
        opened.forEach(Switchboard::close);
        db.close();
    }

    // ---- a record without an ACL -----------------------------------------------------------------

    @Test
    void aRecordWithoutAnAclIsWithheldByTheRowRule() {
        Switchboard sb = switchboard(AccessPolicy.rowLevel(), ConsentLedger.inMemory());

        assertThat(readTickets(sb, alice)).containsExactly("t1", "t3");
        // Not even for a principal holding every role a policy might know of.
        AgentContext everyRole =
                AgentContext.of(Principal.user("root", "acme").withRoles("admin", "support", "manager", "*"));
        assertThat(readTickets(sb, everyRole)).containsExactly("t3");
    }

    @Test
    void aRecordWithoutAnAclIsWithheldByAPermissionPolicyThatGrantsTheStream() {
        PermissionPolicy policy = PermissionPolicy.custom()
                .grant(
                        "support-desk",
                        g -> g.roles("support").connections("helpdesk-*").streams("tickets"))
                .build();
        Switchboard sb = switchboard(policy, ConsentLedger.inMemory());
        AgentContext supportAlice =
                AgentContext.of(Principal.user("alice", "acme").withRoles("support"));

        assertThat(readTickets(sb, supportAlice)).containsExactly("t1", "t3");
    }

    // ---- a consent replayed for other arguments ------------------------------------------------

    @Test
    void aConsentIsNotReplayedForOtherArgumentsAndIsUsedOnce() {
        Switchboard sb = switchboard(AccessPolicy.allowAll(), ledger());
        String approved = askFor(sb, COMMENT).requestId();
        sb.consent().approve(approved);

        for (Map<String, String> other : List.of(OTHER_COMMENT, OTHER_TICKET)) {
            ConsentRequiredException asked = askFor(sb, other);
            assertThat(asked.requestId()).as("a new question for %s", other).isNotEqualTo(approved);
        }
        assertThat(comments()).as("no other input ran on that approval").isZero();

        sb.connection(CONNECTION).execute(alice, "add_comment", COMMENT);
        assertThat(comments()).isEqualTo(1);

        assertThat(askFor(sb, COMMENT).requestId())
                .as("used once: the same call asks anew")
                .isNotEqualTo(approved);
        assertThat(comments()).isEqualTo(1);
    }

    @Test
    void anApprovalUsedOnOneInstanceCannotBeReplayedOnAnotherSharingTheLedger() {
        Switchboard first = switchboard(AccessPolicy.allowAll(), ledger());
        Switchboard second = switchboard(AccessPolicy.allowAll(), ledger());
        first.consent().approve(askFor(first, COMMENT).requestId());

        first.connection(CONNECTION).execute(alice, "add_comment", COMMENT);

        askFor(second, COMMENT);
        assertThat(comments()).isEqualTo(1);
    }

    private JdbcConsentLedger ledger() {
        return JdbcConsentLedger.builder(db.dataSource()).build();
    }

    private ConsentRequiredException askFor(Switchboard sb, Map<String, String> input) {
        ConsentRequiredException asked = catchThrowableOfType(
                ConsentRequiredException.class, () -> sb.connection(CONNECTION).execute(alice, "add_comment", input));
        assertThat(asked).as("refused pending consent: %s", input).isNotNull();
        return asked;
    }

    private int comments() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/comments"))).size();
    }

    private static List<String> readTickets(Switchboard sb, AgentContext who) {
        List<String> ids = new ArrayList<>();
        try (RecordStream tickets = sb.connection(CONNECTION).read(who, ReadRequest.of("tickets"))) {
            tickets.forEach((Record r) -> ids.add(r.id()));
        }
        return ids;
    }

    private Switchboard switchboard(AccessPolicy policy, ConsentLedger ledger) {
        Switchboard sb = Switchboard.builder()
                .connection(ConnectionConfig.builder(CONNECTION)
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .build())
                .tokenStore(store)
                .accessPolicy(policy)
                .consentGate(ConsentGate.askUser())
                .consentLedger(ledger)
                .consentTtl(Duration.ofMinutes(10))
                .auditSink(AuditSink.inMemory())
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        opened.add(sb);
        return sb;
    }
}
