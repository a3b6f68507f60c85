package dev.switchboard.core.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.TokenMode;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.governance.AccessDecision;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.governance.Operation;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.GatedSleeper;
import dev.switchboard.core.support.Helpdesk;
import dev.switchboard.core.support.HelpdeskFake;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Starting, running and stopping a change feed: scheduled feeds poll on a thread of their own that
 * stops with them; subscribing is authorized per stream and audited; a connection polled with each
 * user's grant needs to be told whose; system principals are kept apart from users.
 */
class SubscriptionTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final HelpdeskFake fake = new HelpdeskFake(clock);
    private final TokenStore store = Helpdesk.tokens(clock);
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final AgentContext memory = AgentContext.of(Principal.system("memory"));
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private Switchboard switchboard;

    @BeforeEach
    void setUp() {
        fake.start()
                .ticket("t1", "2026-02-01T00:00:00Z", "alice", "team")
                .ticket("t2", "2026-02-02T00:00:00Z", "bob", "team");
    }

    @AfterEach
    void tearDown() {
        if (switchboard != null) {
            switchboard.close();
        }
        fake.close();
    }

    private Switchboard build(AccessPolicy policy, dev.switchboard.core.time.Sleeper sleeper) {
        switchboard = Helpdesk.switchboard(fake.baseUrl(), store, clock)
                .sleeper(sleeper)
                .accessPolicy(policy)
                .auditSink(audit)
                .build();
        return switchboard;
    }

    private static ChangeRequest.Builder tickets(String subscriber) {
        return ChangeRequest.builder(subscriber, Helpdesk.CONNECTION).streams("tickets");
    }

    private static long feedThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("switchboard-feed-"))
                .count();
    }

    @Test
    void aScheduledFeedPollsOnItsOwnThreadAndStopsWhenClosed() {
        GatedSleeper sleeper = new GatedSleeper();
        build(AccessPolicy.allowAll(), sleeper);
        long before = feedThreads();

        Subscription feed = switchboard.subscribe(
                memory, tickets("memory").pollEvery(Duration.ofMinutes(1)).build(), e -> heard.add(e.recordId()));
        sleeper.awaitAsleep(); // polled once, now waiting for the next turn

        assertThat(heard).containsExactly("t1", "t2");
        assertThat(feedThreads()).isEqualTo(before + 1);

        fake.ticket("t3", "2026-02-03T00:00:00Z", "carol", "team");
        clock.advance(Duration.ofMinutes(1));
        sleeper.wake();
        sleeper.awaitAsleep();
        assertThat(heard).containsExactly("t1", "t2", "t3");

        feed.close();

        assertThat(feed.isOpen()).isFalse();
        assertThat(feedThreads()).isEqualTo(before);
        assertThatThrownBy(feed::poll).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void removingTheConnectionStopsItsFeeds() {
        GatedSleeper sleeper = new GatedSleeper();
        build(AccessPolicy.allowAll(), sleeper);
        long before = feedThreads();
        Subscription feed = switchboard.subscribe(
                memory, tickets("memory").pollEvery(Duration.ofMinutes(1)).build(), e -> heard.add(e.recordId()));
        sleeper.awaitAsleep();

        switchboard.removeConnection(Helpdesk.CONNECTION);

        assertThat(feed.isOpen()).isFalse();
        assertThat(feed.lastFailure()).containsInstanceOf(InvalidInputException.class);
        assertThat(feedThreads()).isEqualTo(before);
    }

    @Test
    void subscribingIsAuthorizedPerStreamAndAudited() {
        AccessPolicy noTicketFeeds = new AccessPolicy() {
            @Override
            public AccessDecision authorize(AgentContext context, Operation operation) {
                return operation.kind() == Operation.Kind.SUBSCRIBE
                                && operation.name().equals("tickets")
                        ? AccessDecision.deny("tickets may be read, not followed")
                        : AccessDecision.allow("ok");
            }

            @Override
            public @Nullable Record filter(AgentContext context, Record record) {
                return record;
            }
        };
        build(noTicketFeeds, clock.sleeper());

        assertThatThrownBy(() ->
                        switchboard.subscribe(alice, tickets("alice").manual().build(), e -> {}))
                .isInstanceOfSatisfying(
                        PermissionDeniedException.class,
                        e -> assertThat(e.getMessage()).contains("tickets may be read, not followed"));
        assertThat(audit.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.Kind.ACCESS);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
            assertThat(e.operation()).isEqualTo("tickets");
            assertThat(e.detail()).startsWith("SUBSCRIBE");
            assertThat(e.userId()).isEqualTo("alice");
        });
        assertThat(fake.requests("GET", "/")).isZero();

        Subscription events = switchboard.subscribe(
                alice,
                ChangeRequest.builder("alice", Helpdesk.CONNECTION)
                        .streams("events")
                        .manual()
                        .build(),
                e -> {});
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.SUBSCRIBE)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.ALLOWED);
                    assertThat(e.detail())
                            .contains("alice")
                            .contains("[events]")
                            .contains("polled by the application");
                });
        events.close();
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.SUBSCRIBE)
                .extracting(AuditEvent::outcome)
                .containsExactly(AuditEvent.Outcome.ALLOWED, AuditEvent.Outcome.SUCCEEDED);
    }

    @Test
    void unknownAndUnfollowableStreamsAreRefused() {
        build(AccessPolicy.allowAll(), clock.sleeper());
        assertThatThrownBy(() -> switchboard.subscribe(
                        memory,
                        ChangeRequest.builder("memory", Helpdesk.CONNECTION)
                                .streams("agents")
                                .manual()
                                .build(),
                        e -> {}))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.getMessage())
                                .contains("cannot be followed")
                                .contains("[events, tickets]"));
        assertThatThrownBy(() -> switchboard.subscribe(
                        memory,
                        ChangeRequest.builder("memory", "helpdesk-nowhere")
                                .manual()
                                .build(),
                        e -> {}))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aConnectionPolledWithEachUsersGrantNeedsToBeToldWhose() {
        switchboard = Switchboard.builder()
                .connection(Helpdesk.connection("helpdesk-users", fake.baseUrl())
                        .newBuilder()
                        .tokenMode(TokenMode.PER_PRINCIPAL)
                        .build())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.rowLevel())
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        Principal alicePrincipal = alice.principal();
        store.compareAndSet(
                switchboard.connection("helpdesk-users").config().credentialKey(alicePrincipal),
                0,
                Credential.builder("alice-token").build());

        assertThatThrownBy(() -> switchboard.subscribe(
                        memory,
                        ChangeRequest.builder("memory", "helpdesk-users")
                                .manual()
                                .build(),
                        e -> {}))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.getMessage())
                                .contains("PER_PRINCIPAL")
                                .contains("pollAs"));

        Subscription feed = switchboard.subscribe(
                memory,
                ChangeRequest.builder("memory", "helpdesk-users")
                        .streams("tickets")
                        .pollAs(alicePrincipal)
                        .manual()
                        .build(),
                e -> heard.add(e.recordId()));
        assertThat(feed.poll()).isEqualTo(2);
        assertThat(fake.requests(r -> true))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer alice-token"));
    }

    @Test
    void aUserMayPollOnlyWithItsOwnGrant() {
        switchboard = Switchboard.builder()
                .connection(Helpdesk.connection("helpdesk-users", fake.baseUrl())
                        .newBuilder()
                        .tokenMode(TokenMode.PER_PRINCIPAL)
                        .build())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.rowLevel())
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();

        assertThatThrownBy(() -> switchboard.subscribe(
                        alice,
                        ChangeRequest.builder("alice", "helpdesk-users")
                                .pollAs(Principal.user("bob", "acme"))
                                .manual()
                                .build(),
                        e -> {}))
                .isInstanceOfSatisfying(
                        PermissionDeniedException.class,
                        e -> assertThat(e.getMessage()).contains("bob"));
        assertThat(switchboard
                        .subscribe(
                                alice,
                                ChangeRequest.builder("alice", "helpdesk-users")
                                        .pollAs(alice.principal())
                                        .manual()
                                        .build(),
                                e -> {})
                        .isOpen())
                .isTrue();
    }

    @Test
    void systemPrincipalsAreKeptApartFromUsers() {
        Principal system = Principal.system("memory");
        assertThat(system.system()).isTrue();
        assertThat(system.userId()).isEqualTo("system:memory");
        assertThat(system.tenantId()).isEqualTo("*");
        assertThat(Principal.user("alice", "acme").system()).isFalse();
        // A user cannot pass for one: the prefix and the tenant are reserved.
        assertThatThrownBy(() -> Principal.user("system:memory", "acme"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> Principal.user("alice", "*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> new Principal("system:x", "*", java.util.Set.of(), java.util.Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        // Roles keep it a system principal.
        assertThat(system.withRoles("indexer").system()).isTrue();
        for (String bad : List.of("", "has space", "slash/name", "-leading", "x".repeat(65))) {
            assertThatThrownBy(() -> Principal.system(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
