package dev.switchboard.core.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
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
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.time.ManualClock;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@link PermissionPolicy} read from the YAML fixture, in a real Switchboard with the help desk connector
 * against a local server: two principals get different records and fields from the same read, and denied
 * actions are refused (and audited) before any request is sent.
 */
class PermissionPolicyEndToEndTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String CONNECTION = PermissionPolicyTest.HELPDESK;

    /** The connector's tickets, plus the personal fields the policy hides and forbids. */
    private static final Schema TICKETS = Schema.builder()
            .required("id", FieldType.STRING)
            .required("updated_at", FieldType.TIMESTAMP)
            .optional("subject", FieldType.STRING)
            .optional("owner", FieldType.STRING)
            .optional("visibility", FieldType.STRING)
            .optional("email", FieldType.STRING)
            .optional("ssn", FieldType.STRING)
            .build();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final TokenStore store = TokenStore.inMemory(clock);
    private final AgentContext sam =
            new AgentContext(Principal.user("sam", "acme").withRoles("support"), "session-1", "trace-1");
    private final AgentContext mia =
            new AgentContext(Principal.user("mia", "acme").withRoles("manager"), "session-2", "trace-2");
    private Switchboard switchboard;

    @BeforeEach
    void setUp() throws URISyntaxException {
        store.compareAndSet(CONNECTION, 0, Credential.builder("access-1").build());
        server.stubFor(get(urlPathEqualTo("/tickets"))
                .willReturn(okJson("{\"items\":["
                        + ticket("t1", "mia", "team") + "," + ticket("t2", "mia", "private") + ","
                        + ticket("t3", "sam", "private") + "],\"next_page\":null}")));
        Path policyFile = Path.of(Objects.requireNonNull(getClass().getResource("/governance/policy.yaml"))
                .toURI());
        switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder(CONNECTION)
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .contract("tickets", TICKETS)
                        .build())
                .tokenStore(store)
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .accessPolicy(PermissionPolicy.custom()
                        .load(policyFile)
                        .recordVisibility(PermissionPolicyTest.SAMS_TICKETS)
                        .build())
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
    }

    private static String ticket(String id, String owner, String visibility) {
        return "{\"id\":\"" + id + "\",\"updated_at\":\"2026-02-01T00:00:00Z\",\"subject\":\"Printer\",\"owner\":\""
                + owner + "\",\"visibility\":\"" + visibility + "\",\"email\":\"ann@example.com\","
                + "\"ssn\":\"078-05-1120\"}";
    }

    private List<Record> read(AgentContext context, ReadRequest request) {
        try (RecordStream stream = switchboard.connection(CONNECTION).read(context, request)) {
            return stream.stream().toList();
        }
    }

    private int requests() {
        return server.findAll(anyRequestedFor(anyUrl())).size();
    }

    @Test
    void twoPrincipalsGetDifferentRecordsAndFieldsFromTheSameRead() {
        List<Record> samSees = read(sam, ReadRequest.of("tickets"));
        List<Record> miaSees = read(mia, ReadRequest.of("tickets"));

        assertThat(samSees)
                .as("the row rule: the team's ticket and sam's own, not mia's private one")
                .extracting(Record::id)
                .containsExactly("t1", "t3");
        assertThat(samSees)
                .allSatisfy(r -> assertThat(r.data().names())
                        .as("the field rule: email hidden, ssn forbidden, both removed")
                        .containsExactly("id", "updated_at", "subject", "owner", "visibility"));
        assertThat(miaSees).extracting(Record::id).containsExactly("t1", "t2");
        assertThat(miaSees).allSatisfy(r -> assertThat(r.data().names()).contains("email", "ssn"));
    }

    @Test
    void aReadThatNamesAForbiddenFieldIsRefusedBeforeAnyRequest() {
        PermissionDeniedException e = catchThrowableOfType(
                () -> read(sam, ReadRequest.of("tickets").fields("subject", "ssn")), PermissionDeniedException.class);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("rule 'personal-data' forbids field 'ssn'");
        assertThat(requests()).isZero();
        assertThat(read(sam, ReadRequest.of("tickets").fields("subject", "email")))
                .as("a hidden field may be asked for; it is removed")
                .allSatisfy(r -> assertThat(r.data().names()).doesNotContain("email"));
    }

    @Test
    void deniedActionsAreRefusedAndAuditedBeforeAnyRequest() {
        PermissionDeniedException delete = catchThrowableOfType(
                () -> switchboard.connection(CONNECTION).execute(sam, "delete_ticket", Map.of("ticket_id", "t3")),
                PermissionDeniedException.class);
        PermissionDeniedException refund = catchThrowableOfType(
                () -> switchboard
                        .connection(CONNECTION)
                        .execute(sam, "refund", Map.of("ticket_id", "t1", "amount", 731)),
                PermissionDeniedException.class);
        PermissionDeniedException comment = catchThrowableOfType(
                () -> switchboard
                        .connection(CONNECTION)
                        .execute(sam, "add_comment", Map.of("ticket_id", "t2", "body", "Closing this")),
                PermissionDeniedException.class);

        assertThat(delete.getMessage())
                .endsWith("role support may not run action helpdesk-acme/delete_ticket: no rule grants it");
        assertThat(refund.getMessage()).contains("rule 'small-refunds'").doesNotContain("731");
        assertThat(comment.getMessage()).contains("rule 'own-tickets'").doesNotContain("t2");
        assertThat(requests()).as("nothing reached the vendor").isZero();
        assertThat(audit.events())
                .filteredOn(ev -> ev.kind() == AuditEvent.Kind.ACCESS && ev.outcome() == AuditEvent.Outcome.DENIED)
                .extracting(AuditEvent::operation)
                .containsExactly("delete_ticket", "refund", "add_comment");
        assertThat(audit.events().toString()).doesNotContain("731", "Closing this");
    }
}
