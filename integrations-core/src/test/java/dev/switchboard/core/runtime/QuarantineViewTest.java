package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.governance.AccessDecision;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.governance.Operation;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Switchboard.quarantine(context)}: quarantined records seen through the access policy. Listing
 * and releasing are authorized (operation kind QUARANTINE), filtered row by row, and audited; the
 * records themselves come from a real read that quarantined them.
 */
class QuarantineViewTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String CONNECTION = "helpdesk-acme";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final TokenStore store = TokenStore.inMemory(clock);
    private final QuarantineStore quarantine = QuarantineStore.inMemory();
    private final AgentContext alice = new AgentContext(Principal.user("alice", "acme"), "session-a", "trace-a");
    private final AgentContext bob = new AgentContext(Principal.user("bob", "acme"), "session-b", "trace-b");
    private Switchboard switchboard;

    /** A ticket whose subject is a number where the contract promises a string: breaking drift. */
    private static String drifted(String id, String owner, String visibility) {
        return "{\"id\":\"" + id + "\",\"updated_at\":\"2026-02-01T00:00:00Z\",\"subject\":42,\"owner\":\"" + owner
                + "\",\"visibility\":\"" + visibility + "\"}";
    }

    @BeforeEach
    void setUp() {
        store.compareAndSet(CONNECTION, 0, Credential.builder("access-1").build());
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .willReturn(okJson("{\"items\":[" + drifted("t1", "alice", "private") + ","
                        + drifted("t2", "bob", "private") + ","
                        + "{\"id\":\"t3\",\"updated_at\":\"2026-02-02T00:00:00Z\",\"subject\":\"Fine\","
                        + "\"owner\":\"carol\",\"visibility\":\"team\"}," + drifted("t4", "carol", "team")
                        + "],\"next_page\":null}")));
    }

    @AfterEach
    void tearDown() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    private void build(AccessPolicy policy) {
        switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder(CONNECTION)
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .driftPolicy(DriftPolicy.QUARANTINE)
                        .build())
                .tokenStore(store)
                .accessPolicy(policy)
                .auditSink(audit)
                .quarantineStore(quarantine)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        List<String> delivered = new ArrayList<>();
        try (RecordStream tickets = switchboard.connection(CONNECTION).read(alice, ReadRequest.of("tickets"))) {
            tickets.forEach(r -> delivered.add(r.id()));
        }
        assertThat(delivered).containsExactly("t3");
        assertThat(held()).containsExactly("t1", "t2", "t4");
    }

    /** What the store holds, whoever may see it. */
    private List<String> held() {
        return quarantine.list(CONNECTION, "tickets").stream()
                .map(QuarantinedRecord::id)
                .toList();
    }

    private static List<String> ids(List<QuarantinedRecord> records) {
        return records.stream().map(QuarantinedRecord::id).toList();
    }

    private List<AuditEvent> quarantineEvents() {
        return audit.events().stream()
                .filter(e -> e.kind() == AuditEvent.Kind.QUARANTINE)
                .toList();
    }

    @Test
    void eachPrincipalListsAndReleasesOnlyTheQuarantinedRecordsItMaySee() {
        build(AccessPolicy.rowLevel());

        assertThat(ids(switchboard.quarantine(alice).list(CONNECTION, "tickets")))
                .containsExactly("t1", "t4");
        assertThat(ids(switchboard.quarantine(bob).list(CONNECTION, "tickets"))).containsExactly("t2", "t4");

        assertThat(switchboard.quarantine(alice).release(CONNECTION, "tickets", "t2"))
                .as("bob's private record is not alice's to release")
                .isEmpty();
        assertThat(held()).containsExactly("t1", "t2", "t4");

        assertThat(switchboard.quarantine(alice).release(CONNECTION, "tickets", "t1"))
                .get()
                .extracting(QuarantinedRecord::id)
                .isEqualTo("t1");
        assertThat(held()).containsExactly("t2", "t4");

        assertThat(quarantineEvents())
                .extracting(
                        AuditEvent::userId,
                        AuditEvent::sessionId,
                        AuditEvent::outcome,
                        AuditEvent::recordIds,
                        AuditEvent::recordCount)
                .containsExactly(
                        tuple("alice", "session-a", AuditEvent.Outcome.SUCCEEDED, List.of("t1", "t4"), 2L),
                        tuple("bob", "session-b", AuditEvent.Outcome.SUCCEEDED, List.of("t2", "t4"), 2L),
                        tuple("alice", "session-a", AuditEvent.Outcome.DENIED, List.of("t2"), 1L),
                        tuple("alice", "session-a", AuditEvent.Outcome.SUCCEEDED, List.of("t1"), 1L));
        assertThat(quarantineEvents()).allSatisfy(e -> {
            assertThat(e.connection()).isEqualTo(CONNECTION);
            assertThat(e.operation()).isEqualTo("tickets");
        });
    }

    @Test
    void aPolicyThatDeniesTheQuarantineOfAStreamDeniesListingAndReleasing() {
        List<Operation> asked = new ArrayList<>();
        build(new AccessPolicy() {
            @Override
            public AccessDecision authorize(AgentContext context, Operation operation) {
                asked.add(operation);
                return operation.kind() == Operation.Kind.QUARANTINE
                        ? AccessDecision.deny("quarantined tickets are for the data team")
                        : AccessDecision.allow("reads are fine");
            }

            @Override
            public @Nullable Record filter(AgentContext context, Record record) {
                return record;
            }
        });

        assertThatThrownBy(() -> switchboard.quarantine(alice).list(CONNECTION, "tickets"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("data team");
        assertThatThrownBy(() -> switchboard.quarantine(alice).release(CONNECTION, "tickets", "t1"))
                .isInstanceOf(PermissionDeniedException.class);

        assertThat(held()).containsExactly("t1", "t2", "t4");
        assertThat(quarantineEvents()).isEmpty();
        assertThat(asked)
                .extracting(Operation::kind, Operation::name)
                .containsExactly(
                        tuple(Operation.Kind.READ, "tickets"),
                        tuple(Operation.Kind.QUARANTINE, "tickets"),
                        tuple(Operation.Kind.QUARANTINE, "tickets"));
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.ACCESS && e.outcome() == AuditEvent.Outcome.DENIED)
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.detail()).startsWith("QUARANTINE"));
    }
}
