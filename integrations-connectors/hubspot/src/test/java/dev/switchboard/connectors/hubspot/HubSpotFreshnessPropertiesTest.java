package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.Replica;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jspecify.annotations.Nullable;

/**
 * The freshness invariant, driven by jqwik: whatever interleaving of creates, updates, deletes (archives),
 * index lag and clock ticks happens before, between and during reads that stop and resume at random points,
 * with HubSpot's webhook deliveries handled at random points too, a consumer that applies what the reads
 * and the webhook handler delivered (a {@link Replica}) holds exactly the portal's live tickets, with their
 * current modstamp and subject, after one final catch-up read.
 *
 * <p>The index lag stays under the connector's default look-back (one minute), which is what the
 * look-back promises; a lag beyond it is a documented loss (docs/connectors/hubspot.md). Run against the
 * connector as it was before issue 11 (offset paging, no look-back, no tombstones), the property failed
 * within five tries and shrank to one step: a read of one ticket a page during which the first ticket
 * changes loses the next one (the offset loss).
 *
 * <p>CI runs 30 short interleavings; {@code -Plong} runs 1,000 of up to 40 steps.
 */
class HubSpotFreshnessPropertiesTest {
    private static final FakeHubSpot FAKE = new FakeHubSpot();
    private static final Duration MAX_LAG = Duration.ofSeconds(20);

    /** One step of an interleaving. */
    sealed interface Step permits Create, Update, Delete, Tick, Lag, Read, Deliver {}

    /** HubSpot posts the webhook events queued so far; the consumer applies the events the handler returns. */
    record Deliver() implements Step {}

    record Create(int subject) implements Step {}

    record Update(int which, int subject) implements Step {}

    record Delete(int which) implements Step {}

    record Tick(int millis) implements Step {}

    /** Changes made from now on reach search this late. */
    record Lag(int seconds) implements Step {}

    /**
     * A read from the checkpoint, {@code pageSize} a page: it stops after {@code stopAfter} records (or runs to
     * the end when null), and applies {@code during} after {@code changeAfter} records, while it is under way.
     */
    record Read(
            int pageSize,
            @Nullable Integer stopAfter,
            int changeAfter,
            @Nullable Step during) implements Step {}

    @Property(tries = 30)
    void aReplicaOfTheReadsHoldsThePortalAfterACatchUpRead(@ForAll("interleavings") List<Step> steps) {
        check(steps);
    }

    @Property(tries = 1000)
    @Tag("long")
    void aReplicaOfTheReadsHoldsThePortalAfterACatchUpRead_long(@ForAll("longInterleavings") List<Step> steps) {
        check(steps);
    }

    /** One connection for every try (a Switchboard per try would cost more than the try); the clock only moves on. */
    private static final ManualClock CLOCK = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));

    private static @Nullable HubSpotHarness shared;
    private static final String WEBHOOK_SECRET = "property-test-app-secret";

    private static HubSpotHarness hub() {
        HubSpotHarness h = shared;
        if (h == null) {
            FAKE.start();
            h = HubSpotHarness.virtual(FAKE, CLOCK, Map.of());
            h.tokenStore()
                    .compareAndSet(
                            "hubspot-acme#" + HubSpotConnector.WEBHOOK_SECRET,
                            0,
                            dev.switchboard.core.auth.Credential.builder(WEBHOOK_SECRET)
                                    .build());
            shared = h;
        }
        return h;
    }

    @AfterContainer
    static void stopTheFake() {
        HubSpotHarness h = shared;
        if (h != null) {
            h.close();
            shared = null;
        }
        FAKE.close();
    }

    private void check(List<Step> steps) {
        HubSpotHarness hub = hub();
        FAKE.reset();
        ManualClock clock = CLOCK;
        clock.advance(Duration.ofMinutes(5)); // a new portal, later than anything the last try left
        FAKE.clock(clock)
                .subscribeWebhooks(java.net.URI.create("https://app.example.com/hooks/hubspot-acme"), WEBHOOK_SECRET);
        for (int i = 0; i < 4; i++) {
            FAKE.put("tickets", Map.of("subject", "seed " + i), clock.instant().minusMillis(4 - i));
        }
        {
            Replica replica = new Replica();
            Checkpoint checkpoint = null;
            for (Step step : steps) {
                if (step instanceof Read read) {
                    checkpoint = read(hub, replica, checkpoint, read, clock);
                } else if (step instanceof Deliver) {
                    for (dev.switchboard.core.webhook.WebhookRequest post :
                            FAKE.takeWebhookDeliveries("hubspot-acme")) {
                        hub.switchboard.webhooks().handle(post).events().forEach(replica::apply);
                    }
                } else {
                    apply(step, clock);
                }
            }
            clock.advance(MAX_LAG.plusSeconds(1)); // every change is in the index now
            checkpoint = read(hub, replica, checkpoint, new Read(3, null, 0, null), clock);

            assertThat(held(replica)).as("after %s", steps).isEqualTo(portal());
        }
    }

    private static @Nullable Checkpoint read(
            HubSpotHarness hub, Replica replica, @Nullable Checkpoint since, Read read, ManualClock clock) {
        ReadRequest request = ReadRequest.of("tickets").pageSize(read.pageSize());
        if (since != null) {
            request = request.since(since);
        }
        try (RecordStream s = hub.connection.read(HubSpotHarness.CONTEXT, request)) {
            Iterator<Record> it = s.iterator();
            int n = 0;
            while (it.hasNext()) {
                if (read.during() != null && n == read.changeAfter()) {
                    apply(read.during(), clock);
                }
                replica.apply(it.next());
                n++;
                if (read.stopAfter() != null && n >= read.stopAfter()) {
                    break;
                }
            }
            return Checkpoint.parse(s.checkpoint().value()); // stored and read back, as an application does
        }
    }

    private static void apply(Step step, ManualClock clock) {
        List<String> live = FAKE.liveIds("tickets");
        if (step instanceof Create c) {
            FAKE.put("tickets", Map.of("subject", "s" + c.subject()), clock.instant());
        } else if (step instanceof Update u) {
            if (!live.isEmpty()) {
                FAKE.set("tickets", live.get(u.which() % live.size()), "subject", "u" + u.subject());
            }
        } else if (step instanceof Delete d) {
            if (!live.isEmpty()) {
                FAKE.archive("tickets", live.get(d.which() % live.size()));
            }
        } else if (step instanceof Tick t) {
            clock.advance(Duration.ofMillis(t.millis()));
        } else if (step instanceof Lag l) {
            FAKE.indexLag(Duration.ofSeconds(l.seconds()));
        } else {
            throw new IllegalArgumentException("a read is not a change: " + step);
        }
    }

    private static Map<String, String> portal() {
        Map<String, String> out = new HashMap<>();
        FAKE.liveObjects("tickets").forEach((id, o) -> {
            dev.switchboard.core.json.JsonObject props = o.object("properties");
            out.put(id, o.string("updatedAt") + " " + (props == null ? null : props.string("subject")));
        });
        return out;
    }

    private static Map<String, String> held(Replica replica) {
        Map<String, String> out = new HashMap<>();
        replica.records("tickets")
                .forEach((id, r) -> out.put(
                        id, r.data().string("updatedAt") + " " + r.data().string("subject")));
        return out;
    }

    // ---- generators ----------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Step>> interleavings() {
        return step().list().ofMinSize(1).ofMaxSize(10);
    }

    @Provide
    Arbitrary<List<Step>> longInterleavings() {
        return step().list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<Step> change() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 99).map(Create::new)),
                net.jqwik.api.Tuple.of(
                        4,
                        Combinators.combine(
                                        Arbitraries.integers().between(0, 20),
                                        Arbitraries.integers().between(0, 99))
                                .as(Update::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 20).map(Delete::new)),
                net.jqwik.api.Tuple.of(
                        3, Arbitraries.of(0, 1, 2, 500, 1_000, 5_000).map(Tick::new)),
                net.jqwik.api.Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(0, (int) MAX_LAG.toSeconds())
                                .map(Lag::new)));
    }

    private static Arbitrary<Step> step() {
        Arbitrary<Step> read = Combinators.combine(
                        Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 8).injectNull(0.5),
                        Arbitraries.integers().between(0, 6),
                        change().injectNull(0.3))
                .as((pageSize, stopAfter, changeAfter, during) ->
                        (Step) new Read(pageSize, stopAfter, changeAfter, during));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, change()),
                net.jqwik.api.Tuple.of(2, read),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Step) new Deliver())));
    }
}
