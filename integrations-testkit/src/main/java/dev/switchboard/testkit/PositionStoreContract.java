package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.change.PositionStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link PositionStore} keeps. Subclass it once per implementation: return a fresh, empty store
 * from {@link #createStore()}, and for a durable store another instance on the same storage from {@link #reopen()}
 * (a restart, or a second application instance; a store in memory leaves it, and those tests are skipped).
 */
public abstract class PositionStoreContract {
    protected static final String SUBSCRIBER = "search-index";
    protected static final String CONNECTION = "crm-acme";
    protected static final String STREAM = "contacts";
    private static final int SAVES = 25;

    protected PositionStore store;

    /** A new, empty store. */
    protected abstract PositionStore createStore() throws Exception;

    /**
     * Another instance on the storage of the store {@link #createStore()} returned last. By default the store is not
     * durable and the tests that need this are skipped.
     */
    protected PositionStore reopen() throws Exception {
        Assumptions.abort("this store keeps positions in memory only");
        throw new AssertionError("unreachable");
    }

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
    }

    /** A position as a feed saves it: a v2 checkpoint of many partitions, with what breaks naive storage. */
    protected static String awkwardPosition(int partitions) {
        StringBuilder p = new StringBuilder("v2;digest=9f86d081884c7d65;");
        for (int i = 0; i < partitions; i++) {
            p.append("p")
                    .append(i)
                    .append("=2026-03-01T10:15:30.123456789Z|id-")
                    .append(i)
                    .append(";");
        }
        return p.append("Zoë 😀 \"quoted\" \n\t\\ ' ; DROP TABLE x; --").toString();
    }

    @Test
    void nothingSavedLoadsNothing() {
        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM)).isEmpty();
        store.delete(SUBSCRIBER, CONNECTION, STREAM); // forgetting nothing is fine
        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM)).isEmpty();
    }

    @Test
    void aSavedPositionLoadsExactlyAndASaveReplacesIt() {
        String big = awkwardPosition(2_000); // about 100 kB
        store.save(SUBSCRIBER, CONNECTION, STREAM, big);
        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM)).contains(big);
        store.save(SUBSCRIBER, CONNECTION, STREAM, "v2;p0=2");
        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM)).contains("v2;p0=2");
        store.save(SUBSCRIBER, CONNECTION, STREAM, "");
        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM)).contains("");
    }

    @Test
    void positionsArePerSubscriberConnectionAndStream() {
        store.save(SUBSCRIBER, CONNECTION, STREAM, "a");
        store.save("audit-mirror", CONNECTION, STREAM, "b");
        store.save(SUBSCRIBER, "crm-other", STREAM, "c");
        store.save(SUBSCRIBER, CONNECTION, "companies", "d");

        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM)).contains("a");
        assertThat(store.load("audit-mirror", CONNECTION, STREAM)).contains("b");
        assertThat(store.load(SUBSCRIBER, "crm-other", STREAM)).contains("c");
        assertThat(store.load(SUBSCRIBER, CONNECTION, "companies")).contains("d");

        store.delete(SUBSCRIBER, CONNECTION, STREAM);
        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM)).isEmpty();
        assertThat(store.load("audit-mirror", CONNECTION, STREAM)).contains("b");
        assertThat(store.load(SUBSCRIBER, CONNECTION, "companies")).contains("d");
    }

    @Test
    void concurrentSavesOfOnePositionLeaveOneOfTheSavedValues() throws Exception {
        List<Integer> done = Concurrently.run(thread -> {
            for (int i = 0; i < SAVES; i++) {
                store.save(SUBSCRIBER, CONNECTION, STREAM, "t" + thread + "-" + i);
            }
            return SAVES;
        });
        assertThat(done).containsOnly(SAVES);
        Set<String> saved = new HashSet<>();
        for (int t = 0; t < Concurrently.THREADS; t++) {
            saved.add("t" + t + "-" + (SAVES - 1)); // the last save of some thread is the one that stays
        }
        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM))
                .hasValueSatisfying(p -> assertThat(saved).contains(p));
    }

    @Test
    void concurrentFirstSavesOfManyPositionsAreAllKept() throws Exception {
        // every thread saves every position, in the same order: each position's first save is a race to create it
        Concurrently.run(thread -> {
            for (int i = 0; i < SAVES; i++) {
                store.save("subscriber-" + i, CONNECTION, STREAM, thread + "/" + i);
            }
            return thread;
        });
        for (int i = 0; i < SAVES; i++) {
            int position = i;
            assertThat(store.load("subscriber-" + i, CONNECTION, STREAM))
                    .hasValueSatisfying(p -> assertThat(p).matches("[0-7]/" + position));
        }
    }

    @Test
    void positionsSurviveARestartAndAreSharedBetweenInstances() throws Exception {
        String position = awkwardPosition(3);
        store.save(SUBSCRIBER, CONNECTION, STREAM, position);
        PositionStore other = reopen();
        assertThat(other.load(SUBSCRIBER, CONNECTION, STREAM)).contains(position);
        other.save(SUBSCRIBER, CONNECTION, STREAM, "moved on");
        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM)).contains("moved on");
        other.delete(SUBSCRIBER, CONNECTION, STREAM);
        assertThat(store.load(SUBSCRIBER, CONNECTION, STREAM)).isEmpty();
    }
}
