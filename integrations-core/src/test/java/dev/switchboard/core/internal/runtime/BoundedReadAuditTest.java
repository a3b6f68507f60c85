package dev.switchboard.core.internal.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A read of any length is audited in constant memory: its event lists the first
 * {@link AuditEvent#MAX_RECORD_IDS} ids and the count of all, and the read itself never holds more ids
 * than that while it runs. (A read of a few hundred thousand records in a small-heap JVM would show the
 * same for every other per-record state; it belongs in the {@code long} profile.)
 */
class BoundedReadAuditTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final int RECORDS = 1_000;
    private static final int PAGE = 250;

    private static String id(int n) {
        return String.format("t%04d", n);
    }

    /** Serves {@link #RECORDS} tickets, {@link #PAGE} a page. */
    private static void serveTickets() {
        for (int page = 0; page * PAGE < RECORDS; page++) {
            StringBuilder items = new StringBuilder();
            for (int n = page * PAGE; n < (page + 1) * PAGE; n++) {
                items.append(items.length() == 0 ? "" : ",")
                        .append("{\"id\":\"")
                        .append(id(n))
                        .append("\",\"updated_at\":\"")
                        .append(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n))
                        .append("\",\"subject\":\"S\"}");
            }
            boolean last = (page + 1) * PAGE >= RECORDS;
            MappingBuilder request =
                    get(urlPathEqualTo("/tickets")).withQueryParam("page", page == 0 ? absent() : equalTo("p" + page));
            server.stubFor(request.willReturn(okJson(
                    "{\"items\":[" + items + "],\"next_page\":" + (last ? "null" : "\"p" + (page + 1) + "\"") + "}")));
        }
    }

    @Test
    void aReadOfAThousandRecordsHoldsAndAuditsABoundedListOfIds() {
        assertThat(AuditEvent.MAX_RECORD_IDS)
                .as("the bound is below the read's length")
                .isLessThan(RECORDS);
        serveTickets();
        ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        TokenStore store = TokenStore.inMemory(clock);
        store.compareAndSet("helpdesk-acme", 0, Credential.builder("access-1").build());
        InMemoryAuditSink audit = AuditSink.inMemory();
        AgentContext alice = new AgentContext(Principal.user("alice", "acme"), "session-1", "trace-1");
        List<String> delivered = new ArrayList<>();
        int mostIdsHeld = 0;

        try (Switchboard switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder("helpdesk-acme")
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .build())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build()) {
            try (RecordStream stream = switchboard.connection("helpdesk-acme").read(alice, ReadRequest.of("tickets"))) {
                GovernedRecordStream read = (GovernedRecordStream) stream;
                for (Iterator<Record> it = stream.iterator(); it.hasNext(); ) {
                    delivered.add(it.next().id());
                    mostIdsHeld = Math.max(mostIdsHeld, read.idsHeld());
                }
            }
        }

        List<String> all =
                IntStream.range(0, RECORDS).mapToObj(BoundedReadAuditTest::id).toList();
        assertThat(delivered).isEqualTo(all);
        assertThat(mostIdsHeld).isEqualTo(AuditEvent.MAX_RECORD_IDS);
        AuditEvent read = audit.events().stream()
                .filter(e -> e.kind() == AuditEvent.Kind.READ)
                .findFirst()
                .orElseThrow();
        assertThat(read.recordIds()).isEqualTo(all.subList(0, AuditEvent.MAX_RECORD_IDS));
        assertThat(read.recordCount()).isEqualTo(RECORDS);
        assertThat(read.sessionId()).isEqualTo("session-1");
        assertThat(read.traceId()).isEqualTo("trace-1");
        assertThat(read.effect()).isEqualTo(dev.switchboard.core.connector.Effect.READ);
        assertThat(read.inputDigest()).isNull();
    }
}
