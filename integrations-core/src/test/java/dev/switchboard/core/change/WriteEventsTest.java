package dev.switchboard.core.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.core.support.GatedSleeper;
import dev.switchboard.core.support.Helpdesk;
import dev.switchboard.core.support.HelpdeskFake;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The records an action reports as affected reach the subscribers of their stream as WRITE events,
 * before the action returns, and mark the stream to be polled early.
 */
class WriteEventsTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final HelpdeskFake fake = new HelpdeskFake(clock);
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private final AgentContext memory = AgentContext.of(Principal.system("memory"));
    private final List<ChangeEvent> seen = new CopyOnWriteArrayList<>();
    private final List<Thread> deliveredOn = new CopyOnWriteArrayList<>();
    private Switchboard switchboard;

    @BeforeEach
    void setUp() {
        fake.start()
                .ticket("t1", "2026-02-01T00:00:00Z", "alice", "private")
                .ticket("t2", "2026-02-02T00:00:00Z", "bob", "team");
    }

    @AfterEach
    void tearDown() {
        if (switchboard != null) {
            switchboard.close();
        }
        fake.close();
    }

    private Switchboard build(dev.switchboard.core.time.Sleeper sleeper) {
        switchboard = Helpdesk.switchboard(fake.baseUrl(), Helpdesk.tokens(clock), clock)
                .sleeper(sleeper)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .auditSink(audit)
                .build();
        return switchboard;
    }

    private void listen(ChangeEvent e) {
        seen.add(e);
        deliveredOn.add(Thread.currentThread());
    }

    @Test
    void anActionsAffectedRecordsReachAListenerBeforeItReturns() {
        build(clock.sleeper());
        switchboard.subscribe(
                memory,
                ChangeRequest.builder("memory", Helpdesk.CONNECTION)
                        .streams("tickets")
                        .manual()
                        .build(),
                this::listen);
        List<ChangeEvent> elsewhere = new CopyOnWriteArrayList<>();
        switchboard.subscribe(
                memory,
                ChangeRequest.builder("events-index", Helpdesk.CONNECTION)
                        .streams("events")
                        .manual()
                        .build(),
                elsewhere::add);
        var tickets = switchboard.connection(Helpdesk.CONNECTION);

        clock.advance(Duration.ofMinutes(1));
        ActionResult commented = tickets.execute(alice, "add_comment", Map.of("ticket_id", "t1", "body", "on it"));
        assertThat(seen).hasSize(1); // already there when execute returned
        clock.advance(Duration.ofMinutes(1));
        ActionResult created = tickets.execute(alice, "create_ticket", Map.of("subject", "new", "owner", "alice"));
        assertThat(seen).hasSize(2);
        tickets.execute(alice, "delete_ticket", Map.of("ticket_id", "t2"));

        assertThat(seen)
                .extracting(Helpdesk::describe)
                .containsExactly("WRITE UPSERT t1", "WRITE UPSERT n1", "WRITE DELETE t2");
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.connection()).isEqualTo(Helpdesk.CONNECTION);
            assertThat(e.stream()).isEqualTo("tickets");
            assertThat(e.record()).isNull();
            assertThat(e.position()).isNull();
        });
        // The versions are the vendor's, as the action reported them.
        assertThat(seen.get(0).version()).isEqualTo("2026-03-01T12:01:00Z").isEqualTo(fake.updatedAt("t1"));
        assertThat(seen.get(1).version()).isEqualTo("2026-03-01T12:02:00Z");
        assertThat(deliveredOn).containsOnly(Thread.currentThread());
        assertThat(commented.affected()).containsExactly(new RecordRef("tickets", "t1", false, "2026-03-01T12:01:00Z"));
        assertThat(created.affected()).extracting(RecordRef::id).containsExactly("n1");
        // A subscriber of another stream hears nothing of these.
        assertThat(elsewhere).isEmpty();
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.WRITE)
                .extracting(e -> e.recordIds())
                .containsExactly(List.of("tickets/t1"), List.of("tickets/n1"), List.of("tickets/t2"));
    }

    @Test
    void aWriteMarksItsPolledStreamToBePolledEarly() {
        GatedSleeper sleeper = new GatedSleeper();
        build(sleeper);
        Subscription feed = switchboard.subscribe(
                memory,
                ChangeRequest.builder("memory", Helpdesk.CONNECTION)
                        .streams("tickets")
                        .pollEvery(Duration.ofMinutes(5))
                        .build(),
                this::listen);
        try {
            sleeper.awaitAsleep(); // the first poll is done
            assertThat(seen).extracting(Helpdesk::describe).containsExactly("POLL UPSERT t1", "POLL UPSERT t2");
            int lists = fake.requests("GET", "/tickets");

            sleeper.wake(); // a turn of the loop with nothing due: no poll
            sleeper.awaitAsleep();
            assertThat(fake.requests("GET", "/tickets")).isEqualTo(lists);

            clock.advance(Duration.ofSeconds(30));
            switchboard
                    .connection(Helpdesk.CONNECTION)
                    .execute(alice, "add_comment", Map.of("ticket_id", "t2", "body", "done"));
            assertThat(seen).extracting(Helpdesk::describe).last().isEqualTo("WRITE UPSERT t2");

            sleeper.wake(); // not due for four and a half minutes, but marked by the write
            sleeper.awaitAsleep();
            assertThat(fake.requests("GET", "/tickets")).isEqualTo(lists + 1);
            assertThat(seen)
                    .extracting(Helpdesk::describe)
                    .containsExactly("POLL UPSERT t1", "POLL UPSERT t2", "WRITE UPSERT t2", "POLL UPSERT t2");
            assertThat(seen.get(3).version()).isEqualTo("2026-03-01T12:00:30Z");
            assertThat(feed.lastFailure()).isEmpty();
        } finally {
            feed.close();
        }
    }

    @Test
    void aUserSubscriberHearsAnUpsertKnownByIdOnlyForItsOwnWritesAndEveryDelete() {
        switchboard = Helpdesk.switchboard(fake.baseUrl(), Helpdesk.tokens(clock), clock)
                .accessPolicy(AccessPolicy.rowLevel())
                .consentGate(ConsentGate.approveAll())
                .auditSink(audit)
                .build();
        AgentContext bob = AgentContext.of(Principal.user("bob", "acme"));
        List<ChangeEvent> bobHeard = new CopyOnWriteArrayList<>();
        switchboard.subscribe(
                bob,
                ChangeRequest.builder("bob-cache", Helpdesk.CONNECTION)
                        .streams("tickets")
                        .manual()
                        .build(),
                bobHeard::add);
        var tickets = switchboard.connection(Helpdesk.CONNECTION);

        // Alice's write to her private ticket: an id-only upsert cannot pass the row filter, so Bob hears none of it.
        tickets.execute(alice, "add_comment", Map.of("ticket_id", "t1", "body", "private note"));
        // Bob's own write: he hears it.
        tickets.execute(bob, "add_comment", Map.of("ticket_id", "t2", "body", "mine"));
        // A delete is authorized per stream: every subscriber must forget the record.
        tickets.execute(alice, "delete_ticket", Map.of("ticket_id", "t1"));

        assertThat(bobHeard).extracting(Helpdesk::describe).containsExactly("WRITE UPSERT t2", "WRITE DELETE t1");
    }
}
