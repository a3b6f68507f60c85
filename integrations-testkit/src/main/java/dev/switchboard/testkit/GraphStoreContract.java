package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityGraph;
import dev.switchboard.normalize.EntityRef;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.GraphStore;
import dev.switchboard.normalize.GraphStore.Row;
import dev.switchboard.normalize.GraphStore.Write;
import dev.switchboard.normalize.Link;
import dev.switchboard.normalize.LinkPin;
import dev.switchboard.normalize.LinkedEntity;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.Provenance;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link GraphStore} keeps. Subclass it once per implementation: return a fresh, empty store from
 * {@link #createStore()}; for a store that instances share, another instance on the same storage from
 * {@link #openAnother()} (a store in memory leaves it, and those tests are skipped); and, where the storage refuses
 * some text the store passes on, a write it refuses from {@link #writeTheStorageRefuses()}. Every assertion counts
 * rows and sequence numbers; none depends on timing. The last cases run {@link EntityGraph}s on the store, as
 * several application instances do: each sees the others' changes, and a graph opened later is the same graph.
 */
public abstract class GraphStoreContract {
    private static final String ENTITY = "entity";
    private static final int WRITES_PER_THREAD = 30;

    protected GraphStore store;
    private final List<GraphStore> opened = new ArrayList<>();

    /** A new, empty store. */
    protected abstract GraphStore createStore() throws Exception;

    /**
     * Another instance on the storage of the store {@link #createStore()} returned last, as a second application
     * instance opens it. By default the store is not shared and the tests that need this are skipped.
     */
    protected GraphStore openAnother() throws Exception {
        Assumptions.abort("this store is not shared between instances");
        throw new AssertionError("unreachable");
    }

    /**
     * A write the storage refuses once the store passed it on (a body the database cannot hold), to check that a
     * batch failing inside the storage leaves nothing. By default there is none and that test is skipped.
     */
    protected Optional<Write> writeTheStorageRefuses() {
        return Optional.empty();
    }

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStores() {
        store.close();
        opened.forEach(GraphStore::close);
    }

    private GraphStore another() throws Exception {
        GraphStore other = openAnother();
        opened.add(other);
        return other;
    }

    /** A body as a graph writes it, with what breaks naive storage. */
    protected static String awkwardBody(int repeat) {
        StringBuilder b =
                new StringBuilder("{\"format\":1,\"name\":\"Zoë 😀 \\\"quoted\\\" \\n\\t\\\\ ' ; DROP TABLE x; --\"");
        for (int i = 0; i < repeat; i++) {
            b.append(",\"f").append(i).append("\":\"value ").append(i).append("\"");
        }
        return b.append('}').toString();
    }

    private static Write put(String key, String body) {
        return Write.put(key, ENTITY, body);
    }

    private List<Row> all(GraphStore s) {
        return s.changedAfter(0, Integer.MAX_VALUE);
    }

    @Test
    void anEmptyStoreHasNothing() {
        assertThat(store.lastSequence()).isZero();
        assertThat(store.changedAfter(0, 10)).isEmpty();
        assertThat(store.write(List.of())).isEmpty();
        assertThat(store.lastSequence()).isZero();
        assertThat(store.purgeDeleted(Long.MAX_VALUE)).isZero();
    }

    @Test
    void writtenRowsReadBackExactlyInSequenceOrder() {
        String big = awkwardBody(20_000); // about 400 kB
        List<Row> written = store.write(List.of(
                put("sf-acme/Contact/003A", awkwardBody(1)),
                Write.put("sf-acme/Account/001A", "relation", big),
                put("hs-acme/contacts/901", "")));

        assertThat(written)
                .containsExactly(
                        new Row("sf-acme/Contact/003A", ENTITY, 1, 1, false, awkwardBody(1)),
                        new Row("sf-acme/Account/001A", "relation", 2, 2, false, big),
                        new Row("hs-acme/contacts/901", ENTITY, 3, 3, false, ""));
        assertThat(all(store)).isEqualTo(written);
        assertThat(store.lastSequence()).isEqualTo(3);
    }

    @Test
    void aReplaceKeepsTheFirstSequenceAndTakesTheNext() {
        store.write(List.of(put("a", "a1"), put("b", "b1")));
        List<Row> replaced = store.write(List.of(put("a", "a2")));

        assertThat(replaced).containsExactly(new Row("a", ENTITY, 1, 3, false, "a2"));
        assertThat(all(store)).containsExactly(new Row("b", ENTITY, 2, 2, false, "b1"), replaced.get(0));
        assertThat(store.changedAfter(2, 10)).containsExactly(replaced.get(0));
        assertThat(store.changedAfter(3, 10)).isEmpty();
    }

    @Test
    void aDeleteLeavesATombstoneAndARecreateKeepsTheFirstSequence() {
        store.write(List.of(put("a", "a1"), put("b", "b1")));
        List<Row> deleted = store.write(List.of(Write.delete("a", ENTITY, "gone at 2024-06-01")));
        assertThat(deleted).containsExactly(new Row("a", ENTITY, 1, 3, true, "gone at 2024-06-01"));
        assertThat(store.changedAfter(2, 10)).containsExactly(deleted.get(0));

        List<Row> recreated = store.write(List.of(put("a", "a3")));
        assertThat(recreated).containsExactly(new Row("a", ENTITY, 1, 4, false, "a3"));
        assertThat(all(store)).containsExactly(new Row("b", ENTITY, 2, 2, false, "b1"), recreated.get(0));
    }

    @Test
    void aKeyWrittenTwiceInOneCallEndsAsItsLastWrite() {
        List<Row> rows = store.write(List.of(put("a", "first"), put("b", "b"), put("a", "second")));
        assertThat(rows)
                .containsExactly(
                        new Row("a", ENTITY, 1, 1, false, "first"),
                        new Row("b", ENTITY, 2, 2, false, "b"),
                        new Row("a", ENTITY, 1, 3, false, "second"));
        assertThat(all(store)).containsExactly(rows.get(1), rows.get(2));
        assertThat(store.lastSequence()).isEqualTo(3);
    }

    @Test
    void aWriteRefusedHalfwayLeavesNothing() {
        List<Row> before = store.write(List.of(put("a", "a1")));
        String tooLong = "k".repeat(GraphStore.MAX_KEY_LENGTH + 1);

        for (Write bad : List.of(put(tooLong, "x"), put("", "x"), Write.put("c", "k".repeat(65), "x"))) {
            assertThatThrownBy(() -> store.write(List.of(put("b", "b1"), put("a", "a2"), bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nothing was written")
                    .hasMessageNotContaining("kkkkk");
        }
        assertThat(all(store)).isEqualTo(before);
        assertThat(store.lastSequence()).isEqualTo(1);
        // no number was used up by the refused writes
        assertThat(store.write(List.of(put("b", "b1"))))
                .extracting(Row::sequence)
                .containsExactly(2L);
    }

    @Test
    void aWriteTheStorageRefusesLeavesNothing() {
        Optional<Write> refused = writeTheStorageRefuses();
        Assumptions.assumeTrue(refused.isPresent(), "this storage refuses no text the store passes on");
        List<Row> before = store.write(List.of(put("a", "a1")));

        // a new key, a replaced key, then the refused one: the first two reach the storage before it fails
        assertThatThrownBy(() -> store.write(List.of(put("b", "b1"), put("a", "a2"), refused.get())))
                .isInstanceOf(RuntimeException.class);

        assertThat(all(store)).isEqualTo(before);
        assertThat(store.lastSequence()).isEqualTo(1);
        assertThat(store.write(List.of(put("b", "b1"))))
                .extracting(Row::sequence)
                .containsExactly(2L);
    }

    @Test
    void changedAfterPagesThroughEveryRowInOrder() {
        for (int batch = 0; batch < 5; batch++) {
            List<Write> writes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                writes.add(put("key-" + batch + "-" + i, "body " + batch + "/" + i));
            }
            store.write(writes);
        }
        List<Row> seen = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        long after = 0;
        for (List<Row> page = store.changedAfter(after, 7); !page.isEmpty(); page = store.changedAfter(after, 7)) {
            pages.add(page.size());
            seen.addAll(page);
            after = page.get(page.size() - 1).sequence();
        }
        assertThat(pages).containsExactly(7, 7, 7, 4);
        assertThat(seen).extracting(Row::sequence).containsExactlyElementsOf(sequences(1, 25));
        assertThat(seen).extracting(Row::key).doesNotHaveDuplicates().hasSize(25);
        assertThat(store.changedAfter(24, 7)).extracting(Row::key).containsExactly("key-4-4");
        assertThatThrownBy(() -> store.changedAfter(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void purgeDropsOnlyTombstonesAtOrBelowTheSequence() {
        store.write(List.of(put("a", "a"), put("b", "b"), put("c", "c")));
        store.write(List.of(Write.delete("a", ENTITY, ""), Write.delete("b", ENTITY, "")));
        store.write(List.of(put("d", "d")));

        assertThat(store.purgeDeleted(4)).isEqualTo(1); // a's tombstone (4), not b's (5), not live rows
        assertThat(all(store)).extracting(Row::key).containsExactly("c", "b", "d");
        assertThat(store.purgeDeleted(4)).isZero();
        assertThat(store.purgeDeleted(Long.MAX_VALUE)).isEqualTo(1);
        assertThat(all(store)).extracting(Row::key).containsExactly("c", "d");
        // numbers are never given twice, and a key whose tombstone is gone starts again
        assertThat(store.lastSequence()).isEqualTo(6);
        assertThat(store.write(List.of(put("a", "again")))).containsExactly(new Row("a", ENTITY, 7, 7, false, "again"));
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.write(List.of(put("a", "a")));
        store.close();
        assertThatThrownBy(() -> store.write(List.of(put("b", "b")))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.changedAfter(0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void instancesSharingTheStorageShareOneLog() throws Exception {
        GraphStore other = another();
        List<Row> mine = store.write(List.of(put("a", "a1"), put("b", "b1")));
        assertThat(all(other)).isEqualTo(mine);
        assertThat(other.lastSequence()).isEqualTo(2);

        List<Row> theirs = other.write(List.of(put("a", "a2"), Write.delete("b", ENTITY, "")));
        assertThat(theirs)
                .containsExactly(new Row("a", ENTITY, 1, 3, false, "a2"), new Row("b", ENTITY, 2, 4, true, ""));
        assertThat(store.changedAfter(2, 10)).isEqualTo(theirs);
        assertThat(store.purgeDeleted(4)).isEqualTo(1);
        assertThat(all(other)).containsExactly(theirs.get(0));

        other.close(); // closing one instance leaves the storage to the others
        assertThat(store.write(List.of(put("c", "c"))))
                .extracting(Row::sequence)
                .containsExactly(5L);
    }

    @Test
    void concurrentWritersGetDistinctNumbersWithoutGaps() throws Exception {
        GraphStore[] instances = instances();
        List<List<Long>> got = Concurrently.run(thread -> {
            GraphStore s = instances[thread % instances.length];
            List<Long> sequences = new ArrayList<>();
            for (int i = 0; i < WRITES_PER_THREAD; i += 3) {
                // batches of three: two new keys, and one key every thread replaces
                for (Row row : s.write(List.of(
                        put("t" + thread + "-" + i, "x"),
                        put("t" + thread + "-" + (i + 1), "y"),
                        put("shared", "z")))) {
                    sequences.add(row.sequence());
                }
            }
            return sequences;
        });
        List<Long> every = got.stream().flatMap(List::stream).sorted().toList();
        int total = Concurrently.THREADS * WRITES_PER_THREAD;
        assertThat(every).containsExactlyElementsOf(sequences(1, total));
        for (List<Long> one : got) {
            assertThat(one).isSorted(); // one instance's own writes are numbered in its order
        }
        assertThat(store.lastSequence()).isEqualTo(total);
        Row shared = all(store).stream()
                .filter(r -> r.key().equals("shared"))
                .findFirst()
                .orElseThrow();
        assertThat(shared.firstSequence()).isEqualTo(3); // the first batch's third write
        assertThat(shared.sequence()).isEqualTo(total); // every batch is three writes: the last batch ends there
    }

    @Test
    void aReaderCatchingUpWhileWritersWriteSeesEveryNumberInOrder() throws Exception {
        GraphStore[] instances = instances();
        GraphStore reader = instances[instances.length - 1];
        int total = Concurrently.THREADS * WRITES_PER_THREAD;
        AtomicBoolean writersDone = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<Long>> read = pool.submit(() -> {
                List<Long> seen = new ArrayList<>();
                long after = 0;
                // bounded by count, not time: the writers finish, then at most a few polls reach the end
                for (int polls = 0; polls < 1_000_000 && (!writersDone.get() || after < total); polls++) {
                    for (Row row : reader.changedAfter(after, 5)) {
                        seen.add(row.sequence());
                        after = row.sequence();
                    }
                }
                return seen;
            });
            Concurrently.run(thread -> {
                GraphStore s = instances[thread % instances.length];
                for (int i = 0; i < WRITES_PER_THREAD; i++) {
                    s.write(List.of(put("t" + thread + "-" + i, "body")));
                }
                return thread;
            });
            writersDone.set(true);
            // every key is new, so nothing is replaced: a reader that never saw a number before the one below it
            // was committed has received them all, each once, in order
            assertThat(read.get(60, TimeUnit.SECONDS)).containsExactlyElementsOf(sequences(1, total));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- entity graphs on the store: several instances, one graph

    @Test
    void graphsOnOneStoreHoldTheSameGroupsAndFollowEachOthersChanges() throws Exception {
        GraphStore[] on = instances();
        GraphStore second = on[on.length - 1];
        Entity janeSf = person("sf-acme", "Contact", "003A", "Jane Doe", "jane@acme.com");
        Entity janeHs = person("hs-acme", "contacts", "901", "Jane Doe", "jane@acme.com");
        Entity john = person("hs-acme", "contacts", "902", "John Roe", "john@acme.com");
        Entity acme = organization("sf-acme", "001A", "Acme", "acme.com");
        Entity kase = ticket("sf-acme", "500A", janeSf.ref());
        EntityGraph a = EntityGraph.builder()
                .store(store)
                .addAll(List.of(janeSf, janeHs, john, acme, kase))
                .build();
        EntityGraph b = EntityGraph.builder().store(second).build();

        assertThat(describe(b)).isEqualTo(describe(a));
        LinkedEntity jane = b.person(Email.parse("jane@acme.com").orElseThrow()).orElseThrow();
        assertThat(jane.members()).hasSize(2);
        // Read back from the store: every value and its provenance, the record by reference only.
        Entity stored = b.group(janeSf.ref()).orElseThrow().members().stream()
                .filter(m -> m.ref().equals(janeSf.ref()))
                .findFirst()
                .orElseThrow();
        assertThat(stored).isEqualTo(janeSf);
        assertThat(stored.provenance(Person.EMAIL)).isEqualTo(janeSf.provenance(Person.EMAIL));
        assertThat(stored.hasRaw()).isFalse();

        a.remove(janeHs.ref());
        a.pin(LinkPin.never(janeSf.ref(), john.ref()));
        a.relate(kase.ref(), john.ref());
        assertThat(b.refresh()).isEqualTo(3);
        assertThat(describe(b)).isEqualTo(describe(a));
        assertThat(b.group(janeHs.ref())).isEmpty();
        assertThat(b.related(b.group(john.ref()).orElseThrow(), EntityType.TICKET, 5))
                .hasSize(1);

        // A change made through the second instance reaches the first; a graph opened later is the same graph.
        assertThat(b.apply(janeHs)).isTrue();
        a.refresh();
        assertThat(describe(a)).isEqualTo(describe(b));
        assertThat(a.person(Email.parse("jane@acme.com").orElseThrow())
                        .orElseThrow()
                        .members())
                .hasSize(2);
        EntityGraph c = EntityGraph.builder().store(second).build();
        assertThat(describe(c)).isEqualTo(describe(a));
    }

    @Test
    void randomChangesMadeThroughOneGraphReachAnotherAsTheyWereMade() throws Exception {
        GraphStore[] on = instances();
        EntityGraph a = EntityGraph.builder().store(store).build();
        EntityGraph b = EntityGraph.builder().store(on[on.length - 1]).build();
        java.util.Random random = new java.util.Random(7);
        String[] names = {"Jane Doe", "John Roe", "Jane Do", "Ann Lee"};
        String[] emails = {"jane@acme.com", "john@acme.com", "support@acme.com", "ann@beta.io"};
        for (int step = 0; step < 60; step++) {
            int op = random.nextInt(6);
            String id = String.valueOf(random.nextInt(6));
            Entity p = person(
                    random.nextBoolean() ? "sf-acme" : "hs-acme",
                    "people",
                    id,
                    names[random.nextInt(names.length)],
                    emails[random.nextInt(emails.length)]);
            if (op < 4) {
                a.apply(p);
            } else if (op == 4) {
                a.remove(p.ref());
            } else {
                Entity q = person("sf-acme", "people", String.valueOf(random.nextInt(6)), "x", "x@y.io");
                if (!q.ref().equals(p.ref())) {
                    a.pin(new LinkPin(p.ref(), q.ref(), random.nextBoolean()));
                }
            }
            b.refresh();
            assertThat(describe(b)).as("change " + step).isEqualTo(describe(a));
        }
        assertThat(describe(EntityGraph.builder().store(on[on.length - 1]).build()))
                .isEqualTo(describe(a));
    }

    /** What a reader sees of a graph: groups in order with their members and links, relations, conflicts. */
    private static List<String> describe(EntityGraph g) {
        List<String> out = new ArrayList<>();
        for (LinkedEntity group : g.groups()) {
            out.add(group.type() + " "
                    + group.refs().stream().map(EntityRef::key).toList()
                    + " " + group.links().stream().map(Link::explain).toList()
                    + " "
                    + g.relations(group, null, null, 50).stream()
                            .map(r ->
                                    r.name() + ">" + r.entity().primary().ref().key())
                            .toList());
        }
        g.linkConflicts().forEach(c -> out.add(c.explain()));
        return out;
    }

    private static Entity person(String connection, String object, String id, String name, String email) {
        Entity.Builder b = entity(EntityType.PERSON, connection, object, id);
        b.set(Person.NAME, new Value<>(name, new Provenance(b.origin(), "Name")));
        b.set(Person.EMAIL, new Value<>(Email.parse(email).orElseThrow(), new Provenance(b.origin(), "Email")));
        return b.build();
    }

    private static Entity organization(String connection, String id, String name, String domain) {
        Entity.Builder b = entity(EntityType.ORGANIZATION, connection, "Account", id);
        b.set(Organization.NAME, new Value<>(name, new Provenance(b.origin(), "Name")));
        b.set(Organization.DOMAIN, new Value<>(domain, new Provenance(b.origin(), "Website")));
        return b.build();
    }

    private static Entity ticket(String connection, String id, EntityRef requester) {
        Entity.Builder b = entity(EntityType.TICKET, connection, "Case", id);
        b.set(Ticket.REQUESTER, new Value<>(requester, new Provenance(b.origin(), "ContactId")));
        return b.build();
    }

    private static Entity.Builder entity(EntityType type, String connection, String object, String id) {
        Record record = Record.builder().stream(object)
                .id(id)
                .source(new RecordSource(connection.startsWith("sf") ? "salesforce" : "hubspot", connection, object))
                .data(JsonObject.builder().put("Id", id).build())
                .updatedAt(java.time.Instant.parse("2026-01-01T00:00:00Z"))
                .version("1")
                .build();
        return Entity.builder(type, record);
    }

    /** The store, and another instance on its storage when the store is shared. */
    private GraphStore[] instances() throws Exception {
        try {
            return new GraphStore[] {store, another()};
        } catch (org.opentest4j.TestAbortedException notShared) {
            // openAnother() aborts for a store that is not shared: these races then run on the one instance
            return new GraphStore[] {store};
        }
    }

    private static List<Long> sequences(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
