package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.Replica;
import dev.switchboard.testkit.fake.FakeSalesforce;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeTry;
import org.jspecify.annotations.Nullable;

/**
 * The freshness invariant for Salesforce: whatever the org does between and during reads (creates,
 * updates, deletes, undeletes, transactions that commit long after their rows were stamped) and wherever
 * a consumer stops and resumes its reads, a {@link Replica} that applies what the reads delivered holds
 * exactly the org's records after a final catch-up read. Without the look-back (the connector as it was)
 * it finds a row a long transaction committed behind the checkpoint.
 */
class SalesforceReplicaPropertiesTest {
    private static final String[] STATUSES = {"New", "Working", "Escalated", "On Hold", "Closed"};

    private static @Nullable FakeSalesforce fake;
    private static @Nullable FakeConnection harness;

    /** One org and one connection for every try; each try starts from the freshly seeded org. */
    private static FakeConnection harness() {
        if (harness == null) {
            fake = new FakeSalesforce();
            fake.start();
            harness = FakeConnection.to(fake, SalesforceConnector.ID)
                    .connectionId("sf")
                    .connector(new SalesforceConnector())
                    .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                    .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, fake.baseUrl()))
                    .clock(ManualClock.at(Instant.parse("2026-06-01T09:00:00Z")))
                    .seed(11)
                    .build();
        }
        return harness;
    }

    private static FakeSalesforce fake() {
        harness();
        return java.util.Objects.requireNonNull(fake, "started by harness()");
    }

    @BeforeTry
    void freshOrg() {
        fake().reset();
    }

    @AfterContainer
    static void stop() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
        if (fake != null) {
            fake.close();
            fake = null;
        }
    }

    @Property(tries = 150)
    void theReplicaEqualsTheOrgAfterACatchUpRead(@ForAll("histories") List<Op> history) {
        check(history);
    }

    @Property(tries = 3000)
    @Tag("long")
    void theReplicaEqualsTheOrgAfterACatchUpReadLong(@ForAll("longHistories") List<Op> history) {
        check(history);
    }

    private void check(List<Op> history) {
        World w = new World(harness(), fake());
        for (Op op : history) {
            op.run(w);
        }
        w.open.forEach(FakeSalesforce.Transaction::commit);
        w.open.clear();
        w.read(Integer.MAX_VALUE, 200, -1, false); // the catch-up

        Set<String> contract = harness().connection().contract("Case").fields().stream()
                .map(Schema.Field::name)
                .collect(Collectors.toSet());
        Map<String, JsonObject> org = new TreeMap<>();
        for (JsonObject row : fake().records("Case")) {
            JsonObject.Builder b = JsonObject.builder();
            row.fields().forEach((k, v) -> {
                if (contract.contains(k)) {
                    b.put(k, v);
                }
            });
            org.put(row.string("Id"), b.build());
        }
        assertThat(w.replica.data("Case")).as("the replica after %s", history).isEqualTo(org);
    }

    /** What the org and the consumer hold during one try. */
    static final class World {
        final FakeConnection harness;
        final FakeSalesforce org;
        final Replica replica = new Replica();
        final Deque<FakeSalesforce.Transaction> open = new ArrayDeque<>();

        @Nullable
        Checkpoint checkpoint;

        int created;

        World(FakeConnection harness, FakeSalesforce org) {
            this.harness = harness;
            this.org = org;
        }

        String live(int pick) {
            List<JsonObject> rows = org.records("Case");
            return String.valueOf(rows.get(Math.floorMod(pick, rows.size())).string("Id"));
        }

        /**
         * Reads from the checkpoint: at most {@code stopAfter} records (then the consumer stops and keeps
         * the checkpoint), with the org changing a record after {@code changeAt} of them, and its query
         * locators expiring then when {@code expire}.
         */
        void read(int stopAfter, int pageSize, int changeAt, boolean expire) {
            ReadRequest request = ReadRequest.of("Case").pageSize(pageSize);
            if (checkpoint != null) {
                request = request.since(checkpoint);
            }
            try (RecordStream stream = harness.connection().read(harness.context(), request)) {
                Iterator<Record> it = stream.iterator();
                int n = 0;
                while (n < stopAfter && it.hasNext()) {
                    replica.apply(it.next());
                    n++;
                    if (n == changeAt) {
                        update(n * 7, n);
                        if (expire) {
                            org.expireQueryLocators();
                        }
                    }
                }
                checkpoint = stream.checkpoint();
            }
        }

        void update(int pick, int status) {
            if (org.records("Case").isEmpty()) {
                return;
            }
            try {
                org.set("Case", live(pick), "Status", new JsonString(STATUSES[Math.floorMod(status, STATUSES.length)]));
            } catch (IllegalStateException lockedByATransaction) {
                // Salesforce would have made this edit wait for the lock: it happens in another history
            }
        }
    }

    /** One step of a history. */
    sealed interface Op {
        void run(World w);
    }

    record Create(int n) implements Op {
        @Override
        public void run(World w) {
            w.org.put("Case", JsonObject.builder().put("Subject", "Case " + n).build());
        }
    }

    record Update(int pick, int status) implements Op {
        @Override
        public void run(World w) {
            w.update(pick, status);
        }
    }

    record Delete(int pick) implements Op {
        @Override
        public void run(World w) {
            if (w.org.records("Case").size() <= 1) {
                return;
            }
            try {
                w.org.delete("Case", w.live(pick));
            } catch (IllegalStateException lockedByATransaction) {
                // as for an update
            }
        }
    }

    record Undelete(int pick) implements Op {
        @Override
        public void run(World w) {
            List<JsonObject> bin = w.org.recycleBin("Case");
            if (!bin.isEmpty()) {
                w.org.undelete(
                        "Case",
                        String.valueOf(bin.get(Math.floorMod(pick, bin.size())).string("Id")));
            }
        }
    }

    /** A transaction opens, stamped now, and writes a record (or creates or deletes one); it commits later. */
    record Begin(int pick, int kind) implements Op {
        @Override
        public void run(World w) {
            int what = Math.floorMod(kind, 3);
            if (what != 1 && w.org.records("Case").isEmpty()) {
                return; // nothing left to change or delete
            }
            FakeSalesforce.Transaction t = w.org.begin();
            try {
                switch (what) {
                    case 0 -> t.set("Case", w.live(pick), "Status", new JsonString(STATUSES[Math.floorMod(pick, 5)]));
                    case 1 ->
                        t.put(
                                "Case",
                                JsonObject.builder()
                                        .put("Subject", "Batch " + pick)
                                        .build());
                    default -> t.delete("Case", w.live(pick));
                }
                w.open.add(t);
            } catch (IllegalStateException lockedOrChangedSince) {
                t.rollback();
            }
        }
    }

    record Commit() implements Op {
        @Override
        public void run(World w) {
            FakeSalesforce.Transaction t = w.open.poll();
            if (t != null) {
                t.commit();
            }
        }
    }

    record Read(int stopAfter, int pageSize, int changeAt, boolean expire) implements Op {
        @Override
        public void run(World w) {
            w.read(stopAfter, pageSize, changeAt, expire);
        }
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        return ops().list().ofMinSize(1).ofMaxSize(14);
    }

    @Provide
    Arbitrary<List<Op>> longHistories() {
        return ops().list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<Op> ops() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 50);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, op(pick.map(Create::new))),
                net.jqwik.api.Tuple.of(3, op(Combinators.combine(pick, pick).as(Update::new))),
                net.jqwik.api.Tuple.of(2, op(pick.map(Delete::new))),
                net.jqwik.api.Tuple.of(1, op(pick.map(Undelete::new))),
                net.jqwik.api.Tuple.of(2, op(Combinators.combine(pick, pick).as(Begin::new))),
                net.jqwik.api.Tuple.of(2, op(Arbitraries.just(new Commit()))),
                net.jqwik.api.Tuple.of(
                        4,
                        op(Combinators.combine(
                                        Arbitraries.integers().between(1, 12),
                                        Arbitraries.integers().between(1, 4),
                                        Arbitraries.integers().between(-1, 6),
                                        Arbitraries.of(true, false))
                                .as(Read::new))));
    }

    private static Arbitrary<Op> op(Arbitrary<? extends Op> steps) {
        return steps.map(o -> (Op) o);
    }
}
