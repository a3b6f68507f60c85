package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.keys.DataKeyStore;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.WrappedDataKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link DataKeyStore} keeps. Subclass it once per implementation: return a fresh, empty store
 * from {@link #createStore()}, and for a durable store another instance on the same storage from {@link #reopen()}
 * (a store in memory leaves it, and that test is skipped).
 */
public abstract class DataKeyStoreContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

    protected DataKeyStore store;

    /** A new, empty store. */
    protected abstract DataKeyStore createStore() throws Exception;

    /** Another instance on the storage of the store {@link #createStore()} returned last, as after a restart. */
    protected DataKeyStore reopen() throws Exception {
        Assumptions.abort("this store keeps data keys in memory only");
        throw new AssertionError("unreachable");
    }

    /**
     * A second instance working on the same storage at the same time, for a store that several application instances
     * share (a database); by default the store itself (one instance, such as a file's).
     */
    protected DataKeyStore anotherInstance() throws Exception {
        return store;
    }

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
    }

    protected static byte[] wrapped(int seed) {
        byte[] b = new byte[60];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 13 + i);
        }
        return b;
    }

    protected static WrappedDataKey key(KeyScope scope, int version) {
        return WrappedDataKey.live(scope, version, "k1", wrapped(version), T0);
    }

    @Test
    void anEmptyStoreHasNoKeys() {
        assertThat(store.find(KeyScope.tenant("t-1"), 1)).isEmpty();
        assertThat(store.latest(KeyScope.tenant("t-1"))).isEmpty();
        assertThat(store.list(null, 10)).isEmpty();
        assertThat(store.destroy(KeyScope.tenant("t-1"), T0)).isZero();
    }

    @Test
    void aKeyIsKeptExactlyAndEachVersionIsAddedOnce() {
        KeyScope scope = KeyScope.user("t-1", "Zoë 😀");
        WrappedDataKey v1 = key(scope, 1);
        assertThat(store.add(v1)).isTrue();
        assertThat(store.find(scope, 1)).contains(v1);
        assertThat(store.add(WrappedDataKey.live(scope, 1, "k2", wrapped(9), T0.plusSeconds(1))))
                .isFalse();
        assertThat(store.find(scope, 1)).contains(v1);
        assertThat(store.find(scope, 2)).isEmpty();
        assertThat(store.find(KeyScope.tenant("t-1"), 1)).isEmpty();
    }

    @Test
    void latestIsTheNewestVersionLiveOrDestroyed() {
        KeyScope scope = KeyScope.tenant("t-1");
        store.add(key(scope, 1));
        store.add(key(scope, 2));
        store.add(key(KeyScope.tenant("t-10"), 7));
        assertThat(store.latest(scope)).contains(key(scope, 2));
        store.destroy(scope, T0.plusSeconds(5));
        assertThat(store.latest(scope)).contains(key(scope, 2).destroy(T0.plusSeconds(5)));
        assertThat(store.latest(scope).orElseThrow().wrapped()).isNull();
    }

    @Test
    void rewrapReplacesTheWrappingOnlyIfItIsStillTheExpectedOne() {
        KeyScope scope = KeyScope.tenant("t-1");
        store.add(key(scope, 1));
        assertThat(store.rewrap(scope, 1, "k0", "k2", wrapped(20))).isFalse();
        assertThat(store.rewrap(scope, 2, "k1", "k2", wrapped(20))).isFalse();
        assertThat(store.rewrap(scope, 1, "k1", "k2", wrapped(20))).isTrue();
        assertThat(store.find(scope, 1)).contains(WrappedDataKey.live(scope, 1, "k2", wrapped(20), T0));
        assertThat(store.rewrap(scope, 1, "k1", "k3", wrapped(30))).isFalse();
        store.destroy(scope, T0);
        assertThat(store.rewrap(scope, 1, "k2", "k3", wrapped(30))).isFalse();
        assertThat(store.find(scope, 1).orElseThrow().destroyed()).isTrue();
    }

    @Test
    void destroyTakesTheScopeAndTheScopesWithinItAndNothingThatOnlyLooksAlike() {
        // '_' and '%' are LIKE wildcards in SQL: a scope named with them must not match others
        KeyScope tenant = KeyScope.tenant("a_b%");
        List<KeyScope> within = List.of(tenant, KeyScope.user("a_b%", "u-1"), KeyScope.user("a_b%", "u-2"));
        List<KeyScope> outside = List.of(
                KeyScope.tenant("aXbY"),
                KeyScope.user("aXbY", "u-1"),
                KeyScope.tenant("a_b%2"),
                KeyScope.user("a_b%2", "u-1"),
                KeyScope.of("tenant/a_b%25x"),
                KeyScope.tenant("a_"),
                // each would match if '_' or '%' were wildcards: tenant/a_b%25/% as a LIKE pattern
                KeyScope.user("aXb%", "u-1"),
                KeyScope.of("tenant/a_bQQ%25/x"));
        for (KeyScope s : within) {
            store.add(key(s, 1));
        }
        store.add(key(tenant, 2));
        for (KeyScope s : outside) {
            store.add(key(s, 1));
        }
        Instant at = T0.plusSeconds(60);
        assertThat(store.destroy(tenant, at)).isEqualTo(within.size() + 1);
        for (KeyScope s : within) {
            WrappedDataKey destroyed = store.find(s, 1).orElseThrow();
            assertThat(destroyed.destroyed()).isTrue();
            assertThat(destroyed.destroyedAt()).isEqualTo(at);
            assertThat(destroyed.wrapped()).isNull();
            assertThat(destroyed.masterKeyId()).isNull();
            assertThat(destroyed.createdAt()).isEqualTo(T0);
        }
        for (KeyScope s : outside) {
            assertThat(store.find(s, 1)).as(s.value()).contains(key(s, 1));
        }
        assertThat(store.destroy(tenant, at.plusSeconds(1))).isZero(); // destroyed already
        assertThat(store.find(tenant, 1).orElseThrow().destroyedAt()).isEqualTo(at);
        // a new version after the destroy is live
        assertThat(store.add(key(tenant, 3))).isTrue();
        assertThat(store.latest(tenant)).contains(key(tenant, 3));
    }

    @Test
    void listPagesThroughEveryKeyOnce() {
        Set<WrappedDataKey> added = new HashSet<>();
        for (int t = 0; t < 7; t++) {
            for (int v = 1; v <= 3; v++) {
                WrappedDataKey k = key(KeyScope.user("t-" + t, "u-" + (t % 2)), v);
                store.add(k);
                added.add(k);
            }
        }
        store.destroy(KeyScope.tenant("t-3"), T0);
        List<WrappedDataKey> seen = new ArrayList<>();
        @Nullable WrappedDataKey after = null;
        for (int pages = 0; pages < 100; pages++) {
            List<WrappedDataKey> page = store.list(after, 4);
            assertThat(page).hasSizeLessThanOrEqualTo(4);
            seen.addAll(page);
            if (page.size() < 4) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        assertThat(seen).hasSize(added.size()).doesNotHaveDuplicates();
        assertThat(seen).filteredOn(WrappedDataKey::destroyed).hasSize(3);
        assertThat(seen)
                .filteredOn(k -> !k.destroyed())
                .allSatisfy(k -> assertThat(added).contains(k));
    }

    @Test
    void ofInstancesAddingTheSameVersionAtOnceExactlyOneWins() throws Exception {
        DataKeyStore other = anotherInstance();
        for (int round = 0; round < 5; round++) {
            KeyScope scope = KeyScope.tenant("race-" + round);
            List<Boolean> added = Concurrently.run(thread ->
                    (thread % 2 == 0 ? store : other).add(WrappedDataKey.live(scope, 1, "k1", wrapped(thread), T0)));
            assertThat(added).containsOnlyOnce(true);
            int winner = added.indexOf(true);
            assertThat(store.find(scope, 1)).contains(WrappedDataKey.live(scope, 1, "k1", wrapped(winner), T0));
        }
    }

    @Test
    void keysSurviveARestart() throws Exception {
        KeyScope scope = KeyScope.user("t-1", "u-1");
        store.add(key(scope, 1));
        store.add(key(scope, 2));
        store.destroy(KeyScope.tenant("t-9"), T0);
        store.add(key(KeyScope.tenant("t-9"), 1));
        store.destroy(KeyScope.tenant("t-9"), T0.plusSeconds(1));
        DataKeyStore restarted = reopen();
        assertThat(restarted.find(scope, 1)).contains(key(scope, 1));
        assertThat(restarted.latest(scope)).contains(key(scope, 2));
        assertThat(restarted.find(KeyScope.tenant("t-9"), 1))
                .contains(key(KeyScope.tenant("t-9"), 1).destroy(T0.plusSeconds(1)));
    }
}
