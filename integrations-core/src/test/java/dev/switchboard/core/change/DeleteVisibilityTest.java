package dev.switchboard.core.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.support.Helpdesk;
import dev.switchboard.core.support.HelpdeskFake;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Under a row-level policy a deleted record's tombstone carries no ACL facts, yet it reaches every
 * subscriber of its stream: deletes are authorized per stream. Upserts still pass the row filter of the
 * subscriber's principal; a system principal's filter passes every record.
 */
class DeleteVisibilityTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final HelpdeskFake fake = new HelpdeskFake(clock);
    private Switchboard switchboard;

    @BeforeEach
    void setUp() {
        fake.start()
                .ticket("t1", "2026-02-01T00:00:00Z", "alice", "private")
                .ticket("t2", "2026-02-02T00:00:00Z", "bob", "private")
                .ticket("t3", "2026-02-03T00:00:00Z", "bob", "team")
                .ticket("t4", "2026-02-04T00:00:00Z", "carol", "private");
        switchboard = Helpdesk.switchboard(fake.baseUrl(), Helpdesk.tokens(clock), clock)
                .accessPolicy(AccessPolicy.rowLevel())
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
        fake.close();
    }

    private Subscription follow(Principal principal, String subscriber, List<String> seen) {
        return switchboard.subscribe(
                AgentContext.of(principal),
                ChangeRequest.builder(subscriber, Helpdesk.CONNECTION)
                        .streams("tickets")
                        .manual()
                        .build(),
                e -> seen.add(Helpdesk.describe(e)));
    }

    @Test
    void aDeleteWithoutAclFactsReachesSystemAndUserSubscribersWhileUpsertsAreFilteredPerUser() {
        List<String> memory = new ArrayList<>();
        List<String> alice = new ArrayList<>();
        Subscription memoryFeed = follow(Principal.system("memory"), "memory", memory);
        Subscription aliceFeed = follow(Principal.user("alice", "acme"), "alice-assistant", alice);

        assertThat(memoryFeed.poll()).isEqualTo(4);
        assertThat(aliceFeed.poll()).isEqualTo(2);
        assertThat(memory).containsExactly("POLL UPSERT t1", "POLL UPSERT t2", "POLL UPSERT t3", "POLL UPSERT t4");
        // bob's and carol's private tickets are withheld from alice: only hers and the team's.
        assertThat(alice).containsExactly("POLL UPSERT t1", "POLL UPSERT t3");

        fake.delete("t2", "2026-02-05T00:00:00Z"); // bob's private ticket: alice never saw it

        assertThat(memoryFeed.poll()).isEqualTo(1);
        assertThat(aliceFeed.poll()).isEqualTo(1);
        assertThat(memory).last().isEqualTo("POLL DELETE t2");
        assertThat(alice).last().isEqualTo("POLL DELETE t2");
        assertThat(memoryFeed.poll()).isZero();
        assertThat(aliceFeed.poll()).isZero();
    }
}
