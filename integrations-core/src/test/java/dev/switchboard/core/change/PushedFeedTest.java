package dev.switchboard.core.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.support.Inventory;
import dev.switchboard.core.support.InventoryConnector;
import dev.switchboard.core.time.ManualClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connector that pushes a stream's changes (the inventory database's change sequence): events arrive
 * in the source's order, each position is stored, and the source hears the acknowledgement only after
 * the listener returned; a listener that fails gets the same events again.
 */
class PushedFeedTest {
    private static final String CONNECTION = "stock-acme";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final Inventory inventory = new Inventory();
    private final PositionStore positions = PositionStore.inMemory();
    private final AgentContext memory = AgentContext.of(Principal.system("memory"));
    private final ChangeRequest request =
            ChangeRequest.builder("memory", CONNECTION).manual().build();
    private final List<Switchboard> instances = new ArrayList<>();

    @BeforeEach
    void stock() {
        inventory
                .put("e1", "east", 10, "2026-03-01T10:01:00Z")
                .put("w1", "west", 20, "2026-03-01T10:02:00Z")
                .put("e2", "east", 30, "2026-03-01T10:03:00Z")
                .put("e1", "east", 5, "2026-03-01T10:04:00Z");
        inventory.delete("w1", "2026-03-01T10:05:00Z");
    }

    @AfterEach
    void close() {
        instances.forEach(Switchboard::close);
        inventory.close();
    }

    private static ConnectionConfig connection(String tenant) {
        return ConnectionConfig.builder(CONNECTION)
                .connector(InventoryConnector.ID)
                .settings(Map.of(InventoryConnector.DATA_SOURCE, "inventory-db", InventoryConnector.TENANT, tenant))
                .build();
    }

    private Switchboard instance() {
        return instance(inventory.dataSource());
    }

    private Switchboard instance(DataSource database) {
        Switchboard sb = Switchboard.builder()
                .connector(new InventoryConnector())
                .resource("inventory-db", database)
                .connection(connection("acme"))
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .positionStore(positions)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        instances.add(sb);
        return sb;
    }

    private static String describe(ChangeEvent e) {
        return e.origin() + " " + e.op() + " " + e.recordId();
    }

    private Position stored() {
        return Checkpoint.parse(positions.load("memory", CONNECTION, "stock").orElseThrow())
                .position()
                .orElseThrow();
    }

    @Test
    void pushedChangesArriveInOrderAndAreAcknowledgedAfterTheListenerReturned() {
        // The database's own order of writes: e1 was written again after e2, then w1 deleted.
        List<String> expected = List.of("PUSH UPSERT e2", "PUSH UPSERT e1", "PUSH DELETE w1");
        long e2 = inventory.changeSeq("e2");
        long e1 = inventory.changeSeq("e1");
        long w1 = inventory.changeSeq("w1");
        assertThat(e2).isLessThan(e1).isLessThan(w1);

        List<String> seen = new ArrayList<>();
        List<OptionalLong> confirmedWhenDelivered = new ArrayList<>();
        Subscription feed = instance().subscribe(memory, request, e -> {
            seen.add(describe(e));
            confirmedWhenDelivered.add(inventory.confirmed(CONNECTION));
        });

        assertThat(feed.poll()).isEqualTo(3);
        assertThat(seen).isEqualTo(expected);
        // While the listener held each event, the source had heard of the ones before it only.
        assertThat(confirmedWhenDelivered)
                .containsExactly(OptionalLong.empty(), OptionalLong.of(e2), OptionalLong.of(e1));
        assertThat(inventory.confirmed(CONNECTION)).hasValue(w1);
        assertThat(stored()).isEqualTo(Position.of(Long.toString(w1), "w1"));
        assertThat(feed.poll()).isZero();

        inventory.put("e3", "east", 1, "2026-03-01T10:06:00Z");
        assertThat(feed.poll()).isEqualTo(1);
        assertThat(seen).last().isEqualTo("PUSH UPSERT e3");
    }

    @Test
    void aListenerThatFailsGetsTheSameEventsAgain() {
        List<String> seen = new ArrayList<>();
        boolean[] failed = {false};
        Subscription feed = instance().subscribe(memory, request, e -> {
            seen.add(describe(e));
            if (e.recordId().equals("e1") && !failed[0]) {
                failed[0] = true;
                throw new IllegalStateException("the listener failed once");
            }
        });

        assertThatThrownBy(feed::poll).isInstanceOf(TransientException.class);
        assertThat(inventory.confirmed(CONNECTION)).hasValue(inventory.changeSeq("e2"));
        assertThat(feed.lastFailure()).isPresent();

        assertThat(feed.poll()).isEqualTo(2);
        assertThat(seen).containsExactly("PUSH UPSERT e2", "PUSH UPSERT e1", "PUSH UPSERT e1", "PUSH DELETE w1");
        assertThat(feed.lastFailure()).isEmpty();
    }

    @Test
    void aFeedFollowsAnUpdatedConnectionOnItsNewConfiguration() {
        Switchboard sb = instance();
        List<ChangeEvent> seen = new ArrayList<>();
        Subscription feed = sb.subscribe(memory, request, seen::add);
        assertThat(feed.poll()).isEqualTo(3);

        sb.updateConnection(connection("acme-eu"));
        inventory.put("e3", "east", 1, "2026-03-01T10:06:00Z");

        assertThat(feed.poll()).isEqualTo(1);
        assertThat(seen).last().satisfies(e -> {
            assertThat(e.recordId()).isEqualTo("e3");
            assertThat(e.record().acl().tenant()).isEqualTo("acme-eu");
        });
    }

    @Test
    void anotherInstanceResumesAfterTheStoredPosition() {
        List<String> first = new ArrayList<>();
        instance().subscribe(memory, request, e -> first.add(describe(e))).poll();
        inventory.put("w2", "west", 7, "2026-03-01T10:07:00Z");

        List<String> second = new ArrayList<>();
        Subscription resumed = instance().subscribe(memory, request, e -> second.add(describe(e)));

        assertThat(resumed.poll()).isEqualTo(1);
        assertThat(first).containsExactly("PUSH UPSERT e2", "PUSH UPSERT e1", "PUSH DELETE w1");
        assertThat(second).containsExactly("PUSH UPSERT w2");
    }

    @Test
    void aFailingPushedStreamIsTriedAgainLessAndLessOftenThenDeliversWhenItRecovers() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger triedWhileDown = new AtomicInteger();
        DataSource real = inventory.dataSource();
        DataSource flaky = (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && down.get()) {
                        triedWhileDown.incrementAndGet();
                        throw new SQLException("the database is down", "08001");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription feed = instance(flaky)
                .subscribe(memory, ChangeRequest.builder("memory", CONNECTION).build(), e -> seen.add(describe(e)));
        try {
            // Ten minutes of the feed's own (injected) time with the database down.
            Instant start = clock.instant();
            awaitTrue(() -> Duration.between(start, clock.instant()).compareTo(Duration.ofMinutes(10)) >= 0);
            // The feed's thread runs on in injected time while this one looks: read the tries, then the time.
            int tries = triedWhileDown.get();
            long elapsed = Duration.between(start, clock.instant()).toSeconds();
            // Every slice (250 ms) would be 4 a second (2,400 over ten minutes); doubling from a slice (8 tries in the
            // first 32 s), then one every 30 s. The bound allows twice that: under load (a 2-core machine running
            // other builds) a run counted 44 where 39 were expected, and the property is the order of magnitude,
            // not the exact schedule; with the doubling removed the count is in the thousands.
            assertThat(tries).isBetween(5, (int) (2 * (9 + elapsed / 30)));
            assertThat(feed.lastFailure()).get().isInstanceOf(TransientException.class);

            down.set(false);
            awaitTrue(() -> seen.size() == 3);
            assertThat(seen).containsExactly("PUSH UPSERT e2", "PUSH UPSERT e1", "PUSH DELETE w1");
            awaitTrue(() -> feed.lastFailure().isEmpty());
        } finally {
            feed.close();
        }
    }

    /** Waits, in real time, for the feed's thread to make {@code condition} true; fails after 20 s. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the feed did not get there within 20 s");
            }
            Thread.sleep(1);
        }
    }
}
