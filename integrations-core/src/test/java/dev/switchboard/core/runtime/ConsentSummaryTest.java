package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.error.ConsentRequiredException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The consent prompt leads with the connector's summary of the call, the ledger keeps that prompt, and the
 * approval still holds for exactly the input; a connector without a summary, or whose summarizer fails, gets
 * the generic prompt. A preview carries the same summary.
 */
class ConsentSummaryTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    static final String CONNECTION = "helpdesk-acme";
    static final String REFUND_SUMMARY = "Refund 20 to the customer of help desk ticket t1 in connection helpdesk-acme";

    final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    final TokenStore store = TokenStore.inMemory(clock);
    final AgentContext alice = new AgentContext(Principal.user("alice", "acme"), "session-1", "trace-a");
    final ConsentLedger ledger = ConsentLedger.inMemory();
    Switchboard switchboard;

    @BeforeEach
    void setUp() {
        store.compareAndSet(
                CONNECTION, 0, Credential.builder("sekrit-access-3f9a").build());
        switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder(CONNECTION)
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .build())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.askUser())
                .consentLedger(ledger)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
    }

    private ConsentRequiredException asked(String action, Map<String, ?> input) {
        return catchThrowableOfType(
                ConsentRequiredException.class,
                () -> switchboard.connection(CONNECTION).execute(alice, action, input));
    }

    @Test
    void thePromptLeadsWithTheSummaryAndTheLedgerKeepsIt() {
        ConsentRequiredException asked = asked("refund", Map.of("ticket_id", "t1", "amount", 20));

        assertThat(asked.prompt())
                .isEqualTo(REFUND_SUMMARY + ". Allow refund (write) on helpdesk-acme?")
                .doesNotContain("sekrit");
        assertThat(switchboard.consent().find(asked.requestId()).orElseThrow().prompt())
                .isEqualTo(asked.prompt());
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).as("nothing sent").isEmpty();
    }

    @Test
    void anApprovalOfTheSummarizedCallHoldsForExactlyItsInput() {
        ConsentRequiredException asked = asked("refund", Map.of("ticket_id", "t1", "amount", 20));
        switchboard.consent().approve(asked.requestId());

        ConsentRequiredException other = asked("refund", Map.of("ticket_id", "t1", "amount", 2000));

        assertThat(other.requestId()).isNotEqualTo(asked.requestId());
        assertThat(other.prompt()).startsWith("Refund 2000 to the customer of help desk ticket t1");
    }

    @Test
    void withoutASummaryThePromptShowsTheActionAndItsInput() {
        ConsentRequiredException asked = asked("add_comment", Map.of("ticket_id", "t1", "body", "Refund approved"));

        assertThat(asked.prompt())
                .startsWith("Allow add_comment (write) on helpdesk-acme - Adds a comment to a ticket with input")
                .contains("\"body\":\"Refund approved\"");
    }

    @Test
    void aSummarizerThatFailsCostsThePromptItsSummaryNotTheCall() {
        ConsentRequiredException asked = asked("delete_ticket", Map.of("ticket_id", "t1"));

        assertThat(asked.prompt())
                .startsWith("Allow delete_ticket (destructive) on helpdesk-acme")
                .contains("\"ticket_id\":\"t1\"")
                .doesNotContain("summarizer bug");
    }

    @Test
    void aPreviewCarriesTheSummary() {
        ActionPreview preview = switchboard
                .connection(CONNECTION)
                .preview(alice, "refund", Json.objectFrom(Map.of("ticket_id", "t1", "amount", 20)));

        assertThat(preview.summary()).isEqualTo(REFUND_SUMMARY);
    }
}
