package dev.switchboard.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.Helpdesk;
import dev.switchboard.core.support.HelpdeskFake;
import dev.switchboard.core.time.ManualClock;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pages served from the read cache still pass the access policy per principal and are audited like
 * pages from the vendor; a change core learns of (a write) drops the pages holding the record, or every
 * page of its stream when none holds it (a record created since); a change feed never polls from the
 * cache; and a page read before a change and cached after it is not served.
 */
class ReadCacheTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final HelpdeskFake fake = new HelpdeskFake(clock);
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private final AgentContext bob = AgentContext.of(Principal.user("bob", "acme"));
    private Switchboard switchboard;

    @BeforeEach
    void setUp() {
        fake.start()
                .ticket("t1", "2026-02-01T00:00:00Z", "alice", "private")
                .ticket("t2", "2026-02-02T00:00:00Z", "bob", "private")
                .ticket("t3", "2026-02-02T00:00:00Z", "bob", "team")
                .ticket("t4", "2026-02-03T00:00:00Z", "alice", "private")
                .ticket("t5", "2026-02-04T00:00:00Z", "carol", "team")
                .ticket("t6", "2026-02-05T00:00:00Z", "alice", "private");
        switchboard = Helpdesk.switchboard(fake.baseUrl(), Helpdesk.tokens(clock), clock)
                .accessPolicy(AccessPolicy.rowLevel())
                .consentGate(ConsentGate.approveAll())
                .readCache(ReadCache.inMemory(16))
                .auditSink(audit)
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
        fake.close();
    }

    /** Id to version of the tickets {@code context} reads. */
    private Map<String, String> read(AgentContext context) {
        Map<String, String> seen = new LinkedHashMap<>();
        try (RecordStream tickets =
                switchboard.connection(Helpdesk.CONNECTION).read(context, ReadRequest.of("tickets"))) {
            for (Record r : tickets) {
                seen.put(r.id(), r.version());
            }
        }
        return seen;
    }

    private int listRequests() {
        return fake.requests("GET", "/tickets");
    }

    private double pages(String result) {
        Counter c = switchboard
                .meterRegistry()
                .find("switchboard.cache.pages")
                .tags("stream", "tickets", "result", result)
                .counter();
        return c == null ? 0 : c.count();
    }

    private AuditEvent lastRead() {
        List<AuditEvent> reads = audit.events().stream()
                .filter(e -> e.kind() == AuditEvent.Kind.READ)
                .toList();
        return reads.get(reads.size() - 1);
    }

    @Test
    void aCachedPageStillPassesThePolicyAndIsAudited() {
        assertThat(read(alice).keySet()).containsExactly("t1", "t3", "t4", "t5", "t6");
        assertThat(listRequests()).isEqualTo(2); // two pages of three

        Map<String, String> bobs = read(bob);

        assertThat(listRequests()).isEqualTo(2); // nothing reached the vendor
        assertThat(pages("hit")).isEqualTo(2);
        // The cached pages hold alice's private tickets; bob is still given only his and the team's.
        assertThat(bobs.keySet()).containsExactly("t2", "t3", "t5");
        AuditEvent audited = lastRead();
        assertThat(audited.userId()).isEqualTo("bob");
        assertThat(audited.recordIds()).containsExactly("t2", "t3", "t5");
        assertThat(audited.recordCount()).isEqualTo(3);
        assertThat(audited.detail()).contains("3 delivered", "3 withheld", "2 page(s) from cache");
    }

    @Test
    void aWriteToARecordOfACachedPageSendsTheNextReadToTheVendor() {
        Map<String, String> before = read(alice);
        clock.advance(Duration.ofMinutes(1));

        switchboard
                .connection(Helpdesk.CONNECTION)
                .execute(alice, "add_comment", Map.of("ticket_id", "t4", "body", "on it"));
        Map<String, String> after = read(alice);

        // The page holding t4 was dropped, the other one still served: one request more, not two.
        assertThat(listRequests()).isEqualTo(3);
        assertThat(before).containsEntry("t4", "2026-02-03T00:00:00Z");
        assertThat(after).containsEntry("t4", "2026-03-01T12:01:00Z").containsEntry("t4", fake.updatedAt("t4"));
        assertThat(after.keySet()).containsExactly("t1", "t3", "t5", "t6", "t4");
    }

    @Test
    void aRecordCreatedByAWriteDropsTheStreamsPages() {
        read(alice);
        assertThat(read(alice)).hasSize(5);
        assertThat(listRequests()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(1));
        switchboard
                .connection(Helpdesk.CONNECTION)
                .execute(alice, "create_ticket", Map.of("subject", "new", "owner", "alice", "visibility", "private"));
        Map<String, String> after = read(alice);

        assertThat(after).containsKey("n1").hasSize(6);
        assertThat(listRequests()).isEqualTo(2 + 3); // every page again: seven tickets are three pages
    }

    @Test
    void aPageReadBeforeAWriteAndCachedAfterItIsNotServed() {
        // The vendor answers the first page as it was, and the write lands while the answer is on its way.
        fake.afterNextList(() -> switchboard
                .connection(Helpdesk.CONNECTION)
                .execute(alice, "add_comment", Map.of("ticket_id", "t1", "body", "meanwhile")));
        clock.advance(Duration.ofMinutes(1));
        List<String> during = versions(alice);
        // The read met t1 as it was, then (it moved to the end of the order) as it is.
        assertThat(during).containsSubsequence("t1@2026-02-01T00:00:00Z", "t1@2026-03-01T12:01:00Z");
        int requests = listRequests();

        List<String> after = versions(alice);

        assertThat(after).doesNotContain("t1@2026-02-01T00:00:00Z").contains("t1@2026-03-01T12:01:00Z");
        assertThat(listRequests()).isGreaterThan(requests);
    }

    /** What {@code context} reads, as id@version in order. */
    private List<String> versions(AgentContext context) {
        List<String> seen = new ArrayList<>();
        try (RecordStream tickets =
                switchboard.connection(Helpdesk.CONNECTION).read(context, ReadRequest.of("tickets"))) {
            tickets.forEach(r -> seen.add(r.id() + "@" + r.version()));
        }
        return seen;
    }

    @Test
    void aChangeFeedPollsTheVendorNotTheCache() {
        List<String> heard = new ArrayList<>();
        Subscription feed = switchboard.subscribe(
                AgentContext.of(Principal.system("memory")),
                ChangeRequest.builder("memory", Helpdesk.CONNECTION)
                        .streams("tickets")
                        .manual()
                        .build(),
                (ChangeEvent e) -> heard.add(e.recordId()));
        assertThat(feed.poll()).isEqualTo(6);
        assertThat(feed.poll()).isZero();

        // Created at the source: nothing tells core but its next poll.
        fake.ticket("t7", "2026-02-06T00:00:00Z", "bob", "team");

        assertThat(feed.poll()).isEqualTo(1);
        assertThat(heard).last().isEqualTo("t7");
    }
}
