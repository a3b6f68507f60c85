package dev.switchboard.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.Helpdesk;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.support.HelpdeskFake;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections added, updated and removed while the Switchboard runs: a new one reads, a removed one
 * refuses every call with a typed error, a call under way finishes on the configuration it started
 * with and only then is its session closed, and concurrent changes and reads never fail otherwise.
 */
class RuntimeConnectionsTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final HelpdeskFake east = new HelpdeskFake(clock);
    private final HelpdeskFake west = new HelpdeskFake(clock);
    private final TokenStore store = TokenStore.inMemory(clock);
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private final SessionCounting connector = new SessionCounting();
    private final Random jitter = new Random(7);
    private Switchboard switchboard;

    /** The help desk connector, counting the sessions it opens and how often each is closed. */
    private static final class SessionCounting implements Connector {
        private final Connector helpdesk = new HelpdeskConnector();
        final Map<String, AtomicInteger> closes = new ConcurrentHashMap<>();
        final AtomicInteger opened = new AtomicInteger();

        @Override
        public ConnectorDescriptor descriptor() {
            return helpdesk.descriptor();
        }

        @Override
        public ConnectorSession open(ConnectorContext context) {
            ConnectorSession session = helpdesk.open(context);
            String name = context.connection().id() + "#" + opened.incrementAndGet() + "@"
                    + context.connection().baseUrl().orElseThrow();
            AtomicInteger closed = new AtomicInteger();
            closes.put(name, closed);
            return new ConnectorSession() {
                @Override
                public StreamReader openStream(StreamCall call) {
                    return session.openStream(call);
                }

                @Override
                public ActionOutput execute(ActionCall call) {
                    return session.execute(call);
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                    session.close();
                }
            };
        }

        int closed(String connection, String baseUrl) {
            return closes.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(connection + "#")
                            && e.getKey().endsWith("@" + baseUrl))
                    .mapToInt(e -> e.getValue().get())
                    .sum();
        }
    }

    @BeforeEach
    void setUp() {
        east.start();
        west.start();
        for (int i = 1; i <= 6; i++) {
            east.ticket("e" + i, "2026-02-0" + i + "T00:00:00Z", "alice", "team");
            west.ticket("w" + i, "2026-02-0" + i + "T00:00:00Z", "alice", "team");
        }
        switchboard = Switchboard.builder()
                .connector(connector)
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .clock(clock)
                .sleeper(clock.sleeper())
                .random(() -> jitter)
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
        east.close();
        west.close();
    }

    private ConnectionConfig config(String id, HelpdeskFake fake) {
        store.compareAndSet(id, 0, Credential.builder("token-" + id).build());
        return Helpdesk.connection(id, fake.baseUrl());
    }

    private static List<String> ids(RecordStream stream) {
        List<String> ids = new ArrayList<>();
        stream.forEach(r -> ids.add(r.id()));
        return ids;
    }

    @Test
    void aConnectionAddedAtRuntimeReads() {
        assertThat(switchboard.connectionIds()).isEmpty();

        switchboard.addConnection(config("tickets-acme", east));

        assertThat(switchboard.connectionIds()).containsExactly("tickets-acme");
        try (RecordStream tickets = switchboard.connection("tickets-acme").read(alice, ReadRequest.of("tickets"))) {
            assertThat(ids(tickets)).containsExactly("e1", "e2", "e3", "e4", "e5", "e6");
        }
        assertThatThrownBy(() -> switchboard.addConnection(config("tickets-acme", west)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("updateConnection");
    }

    @Test
    void aRemovedConnectionRefusesEveryCallWithATypedError() {
        switchboard.addConnection(config("tickets-acme", east));
        Connection before = switchboard.connection("tickets-acme");

        assertThat(switchboard.removeConnection("tickets-acme")).isTrue();
        assertThat(switchboard.removeConnection("tickets-acme")).isFalse();

        List<Runnable> calls = List.of(
                () -> switchboard.connection("tickets-acme"),
                () -> before.read(alice, ReadRequest.of("tickets")),
                () -> before.execute(alice, "count_tickets", JsonObject.empty()),
                () -> before.describe(alice, "tickets"),
                () -> before.config());
        for (Runnable call : calls) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(
                            InvalidInputException.class,
                            e -> assertThat(e.getMessage()).contains("no connection 'tickets-acme'"));
        }
        assertThat(east.requests("GET", "/")).isZero();
        assertThat(connector.closed("tickets-acme", east.baseUrl())).isEqualTo(1);
    }

    @Test
    void aReadUnderWayOnARemovedConnectionFinishesThenItsSessionCloses() {
        switchboard.addConnection(config("tickets-acme", east));
        List<String> read = new ArrayList<>();
        try (RecordStream tickets = switchboard.connection("tickets-acme").read(alice, ReadRequest.of("tickets"))) {
            Iterator<Record> it = tickets.iterator();
            read.add(it.next().id()); // the first page of three was read

            switchboard.removeConnection("tickets-acme");
            assertThatThrownBy(() -> switchboard.connection("tickets-acme")).isInstanceOf(InvalidInputException.class);

            it.forEachRemaining(r -> read.add(r.id()));
            assertThat(connector.closed("tickets-acme", east.baseUrl())).isZero();
        }
        assertThat(read).containsExactly("e1", "e2", "e3", "e4", "e5", "e6");
        assertThat(east.requests("GET", "/tickets")).isEqualTo(2);
        assertThat(connector.closed("tickets-acme", east.baseUrl())).isEqualTo(1);
    }

    @Test
    void anUpdateSwitchesNewCallsWhileAReadUnderWayFinishesOnTheOldConfiguration() {
        switchboard.addConnection(config("tickets-acme", east));
        List<String> underWay = new ArrayList<>();
        try (RecordStream old = switchboard.connection("tickets-acme").read(alice, ReadRequest.of("tickets"))) {
            Iterator<Record> it = old.iterator();
            underWay.add(it.next().id());

            switchboard.updateConnection(config("tickets-acme", west));

            try (RecordStream fresh = switchboard.connection("tickets-acme").read(alice, ReadRequest.of("tickets"))) {
                assertThat(ids(fresh)).containsExactly("w1", "w2", "w3", "w4", "w5", "w6");
            }
            it.forEachRemaining(r -> underWay.add(r.id()));
            assertThat(connector.closed("tickets-acme", east.baseUrl())).isZero();
        }
        assertThat(underWay).containsExactly("e1", "e2", "e3", "e4", "e5", "e6");
        // Counted at each server: the old read's two pages at east, the new read's two at west.
        assertThat(east.requests("GET", "/tickets")).isEqualTo(2);
        assertThat(west.requests("GET", "/tickets")).isEqualTo(2);
        assertThat(connector.closed("tickets-acme", east.baseUrl())).isEqualTo(1);
        assertThat(connector.closed("tickets-acme", west.baseUrl())).isZero();
        assertThat(switchboard.connection("tickets-acme").config().baseUrl()).contains(west.baseUrl());
    }

    @Test
    void concurrentChangesAndCallsFailOnlyWithTheTypedError() throws Exception {
        List<String> ids = List.of("c-0", "c-1", "c-2");
        for (String id : ids) {
            store.compareAndSet(id, 0, Credential.builder("token-" + id).build());
        }
        int threads = 4;
        int rounds = 60;
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(t);
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        String id = ids.get(random.nextInt(ids.size()));
                        HelpdeskFake fake = random.nextBoolean() ? east : west;
                        try {
                            switch (random.nextInt(4)) {
                                case 0 -> switchboard.addConnection(Helpdesk.connection(id, fake.baseUrl()));
                                case 1 -> switchboard.removeConnection(id);
                                case 2 -> switchboard.updateConnection(Helpdesk.connection(id, fake.baseUrl()));
                                default -> {
                                    try (RecordStream tickets =
                                            switchboard.connection(id).read(alice, ReadRequest.of("tickets"))) {
                                        assertThat(ids(tickets)).hasSize(6);
                                        reads.incrementAndGet();
                                    }
                                }
                            }
                        } catch (InvalidInputException e) {
                            refused.incrementAndGet(); // read after removal: the typed error
                        } catch (IllegalArgumentException e) {
                            taken.incrementAndGet(); // add of an id taken, update of one removed: as documented
                        }
                    }
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        ids.forEach(switchboard::removeConnection);

        assertThat(unexpected).isEmpty();
        // Every session opened was closed, exactly once.
        assertThat(connector.closes).hasSize(connector.opened.get());
        assertThat(connector.closes.values())
                .allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        assertThat(reads.get() + refused.get() + taken.get()).isPositive();
    }
}
