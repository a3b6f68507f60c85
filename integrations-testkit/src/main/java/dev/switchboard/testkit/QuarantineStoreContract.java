package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link QuarantineStore} keeps. Subclass it once per implementation: return a
 * fresh, empty store from {@link #createStore()}, and, for a durable store, a second instance on
 * the same storage from {@link #reopen()} (the restart case; a store in memory leaves it, and that
 * test is skipped).
 */
public abstract class QuarantineStoreContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");
    protected static final String CONNECTION = "crm-acme";
    protected static final String STREAM = "contacts";
    private static final int THREADS = 8;

    protected QuarantineStore store;

    /** A new, empty store. */
    protected abstract QuarantineStore createStore() throws Exception;

    /**
     * Another instance on the storage of the store {@link #createStore()} returned last, as after a
     * restart. By default the store is not durable and the restart test is skipped.
     */
    protected QuarantineStore reopen() throws Exception {
        Assumptions.abort("this store keeps records in memory only");
        throw new AssertionError("unreachable");
    }

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
    }

    /** JSON with what breaks naive storage: non-BMP characters, escapes, nesting, big and exotic numbers. */
    protected static JsonObject awkwardData() {
        return (JsonObject) Json.parse("""
        {"id": "c-1", "name": "Zoë Ünal 😀 — 日本語 ☃", "quote": "she said \\"hi\\"\\n\\ttab\\\\ \\u2028 \\u0001",
         "address": {"lines": ["Straße 1", {"floor": 3, "flags": [true, false, null]}], "geo": {"lat": -33.8688, "lng": 151.2093}},
         "amount": 12345678901234567890.123456789, "tiny": 1E-30, "thousand": 1E+3, "zero": 0, "negative": -7,
         "empty": {}, "none": [], "nothing": null, "ключ 🔑": "значение", "": "empty key"}
        """);
    }

    protected static QuarantinedRecord quarantined(
            String connection, String stream, String id, @Nullable String version, Instant at) {
        Record record = Record.builder().stream(stream)
                .id(id)
                .source(new RecordSource("hubspot", connection, stream))
                .data(awkwardData())
                .updatedAt(at.minusSeconds(3600))
                .version(version)
                .acl(new Acl("owner-9", "tenant-7", Visibility.PRIVATE, Set.of("support", "admin")))
                .build();
        return new QuarantinedRecord(
                connection,
                "hubspot",
                stream,
                record,
                List.of(
                        new Drift("amount", Drift.Kind.TYPE_CHANGED, "STRING?", "NUMBER"),
                        new Drift("ключ 🔑", Drift.Kind.ADDED, null, "STRING"),
                        new Drift("name", Drift.Kind.MISSING, "STRING", null)),
                DriftPolicy.QUARANTINE,
                "TYPE_CHANGED amount, MISSING name",
                at);
    }

    protected static QuarantinedRecord quarantined(String id, @Nullable String version, Instant at) {
        return quarantined(CONNECTION, STREAM, id, version, at);
    }

    @Test
    void anEmptyStoreKeepsNothing() {
        assertThat(store.list(CONNECTION, STREAM)).isEmpty();
        assertThat(store.count(CONNECTION, STREAM)).isZero();
        assertThat(store.release(CONNECTION, STREAM, "c-1")).isEmpty();
    }

    @Test
    void aRecordRoundTripsExactly() {
        QuarantinedRecord kept = quarantined("c-1", "v1", T0);
        store.put(kept);

        List<QuarantinedRecord> listed = store.list(CONNECTION, STREAM);
        assertThat(listed).containsExactly(kept);
        QuarantinedRecord back = listed.get(0);
        // equals covers every part; these say which part broke when it fails
        assertThat(back.record().data()).isEqualTo(awkwardData());
        assertThat(Json.write(back.record().data())).isEqualTo(Json.write(awkwardData()));
        assertThat(back.record().updatedAt()).isEqualTo(T0.minusSeconds(3600));
        assertThat(back.record().acl()).isEqualTo(kept.record().acl());
        assertThat(back.drifts()).isEqualTo(kept.drifts());
        assertThat(back.quarantinedAt()).isEqualTo(T0);
        assertThat(back.policy()).isEqualTo(DriftPolicy.QUARANTINE);
        assertThat(back.reason()).isEqualTo(kept.reason());
        assertThat(store.count(CONNECTION, STREAM)).isEqualTo(1);
    }

    @Test
    void aRecordWithoutVersionTimeOrAclRoundTrips() {
        Record bare = Record.builder().stream(STREAM)
                .id("bare")
                .source(new RecordSource("slack", CONNECTION, "messages"))
                .data(JsonObject.empty())
                .build();
        QuarantinedRecord kept =
                new QuarantinedRecord(CONNECTION, "slack", STREAM, bare, List.of(), DriftPolicy.QUARANTINE, "", T0);
        store.put(kept);
        store.put(kept);

        assertThat(store.list(CONNECTION, STREAM)).containsExactly(kept);
    }

    @Test
    void recordsAreKeptPerConnectionAndStreamOldestFirst() {
        store.put(quarantined("c-2", "v1", T0));
        store.put(quarantined("c-1", "v1", T0.plusSeconds(1)));
        store.put(quarantined("other-conn", STREAM, "c-1", "v1", T0));
        store.put(quarantined(CONNECTION, "companies", "c-1", "v1", T0));

        assertThat(store.list(CONNECTION, STREAM))
                .extracting(QuarantinedRecord::id)
                .containsExactly("c-2", "c-1");
        assertThat(store.count(CONNECTION, STREAM)).isEqualTo(2);
        assertThat(store.count("other-conn", STREAM)).isEqualTo(1);
        assertThat(store.list(CONNECTION, "companies"))
                .extracting(QuarantinedRecord::stream)
                .containsExactly("companies");
        assertThat(store.count("unknown", STREAM)).isZero();
    }

    @Test
    void theSameVersionPutAgainChangesNothing() {
        QuarantinedRecord first = quarantined("c-1", "v1", T0);
        store.put(first);
        store.put(quarantined("c-2", "v1", T0.plusSeconds(1)));
        store.put(quarantined("c-1", "v1", T0.plusSeconds(60))); // the same version, read again later

        assertThat(store.list(CONNECTION, STREAM))
                .extracting(QuarantinedRecord::id)
                .containsExactly("c-1", "c-2");
        assertThat(store.list(CONNECTION, STREAM).get(0)).isEqualTo(first);
        assertThat(store.count(CONNECTION, STREAM)).isEqualTo(2);
    }

    @Test
    void anotherVersionReplacesTheCopyAndGoesLast() {
        store.put(quarantined("c-1", "v1", T0));
        store.put(quarantined("c-2", "v1", T0.plusSeconds(1)));
        QuarantinedRecord newer = quarantined("c-1", "v2", T0.plusSeconds(2));
        store.put(newer);

        assertThat(store.list(CONNECTION, STREAM))
                .extracting(QuarantinedRecord::id, q -> q.record().version())
                .containsExactly(tuple("c-2", "v1"), tuple("c-1", "v2"));
        assertThat(store.list(CONNECTION, STREAM).get(1)).isEqualTo(newer);
        // a versioned copy after an unversioned one is another version too
        store.put(quarantined("c-3", null, T0));
        store.put(quarantined("c-3", "v1", T0.plusSeconds(3)));
        assertThat(store.list(CONNECTION, STREAM))
                .filteredOn(q -> q.id().equals("c-3"))
                .singleElement()
                .extracting(q -> q.record().version())
                .isEqualTo("v1");
    }

    @Test
    void releaseHandsTheRecordBackOnceAndKeepsTheRest() {
        QuarantinedRecord one = quarantined("c-1", "v1", T0);
        store.put(one);
        store.put(quarantined("c-2", "v1", T0));

        assertThat(store.release(CONNECTION, STREAM, "c-1")).contains(one);
        assertThat(store.release(CONNECTION, STREAM, "c-1")).isEmpty();
        assertThat(store.release("other-conn", STREAM, "c-2")).isEmpty();
        assertThat(store.list(CONNECTION, STREAM))
                .extracting(QuarantinedRecord::id)
                .containsExactly("c-2");
        assertThat(store.count(CONNECTION, STREAM)).isEqualTo(1);
        // once released, the same version may be quarantined again
        store.put(one);
        assertThat(store.count(CONNECTION, STREAM)).isEqualTo(2);
    }

    @Test
    void concurrentPutsOfTheSameRecordAreCountedOnce() throws Exception {
        List<Integer> none = concurrently(i -> {
            store.put(quarantined("c-1", "v1", T0.plusSeconds(i)));
            return 0;
        });
        assertThat(none).hasSize(THREADS);
        assertThat(store.count(CONNECTION, STREAM)).isEqualTo(1);
        assertThat(store.list(CONNECTION, STREAM))
                .singleElement()
                .extracting(q -> q.record().version())
                .isEqualTo("v1");
    }

    @Test
    void concurrentPutsOfDifferentRecordsAreAllKept() throws Exception {
        concurrently(i -> {
            store.put(quarantined("c-" + i, "v1", T0));
            return 0;
        });
        assertThat(store.count(CONNECTION, STREAM)).isEqualTo(THREADS);
        assertThat(store.list(CONNECTION, STREAM))
                .extracting(QuarantinedRecord::id)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, THREADS).mapToObj(i -> "c-" + i).toList());
    }

    @Test
    void concurrentReleasesHandTheRecordToExactlyOneCaller() throws Exception {
        store.put(quarantined("c-1", "v1", T0));
        List<Integer> got =
                concurrently(i -> store.release(CONNECTION, STREAM, "c-1").isPresent() ? 1 : 0);
        assertThat(got.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
        assertThat(store.count(CONNECTION, STREAM)).isZero();
    }

    @Test
    void recordsSurviveARestart() throws Exception {
        QuarantinedRecord one = quarantined("c-1", "v1", T0);
        QuarantinedRecord two = quarantined("c-2", null, T0.plusSeconds(1));
        store.put(one);
        store.put(two);

        QuarantineStore restarted = reopen();
        assertThat(restarted.list(CONNECTION, STREAM)).containsExactly(one, two);
        assertThat(restarted.release(CONNECTION, STREAM, "c-1")).contains(one);
        assertThat(store.list(CONNECTION, STREAM)).containsExactly(two); // both instances see one table
    }

    private interface Task {
        int run(int index) throws Exception;
    }

    /** Runs {@code task} on {@value #THREADS} threads released together; returns each result. */
    private static List<Integer> concurrently(Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.run(index);
                }));
            }
            start.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
