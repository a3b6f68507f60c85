package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TokenStore} keeps. Subclass it once per implementation and return a
 * fresh, empty store from {@link #createStore(ManualClock)}; leases must expire by that clock.
 */
public abstract class TokenStoreContract {
    protected final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    protected TokenStore store;

    /** A new, empty store whose leases expire by {@code clock}. */
    protected abstract TokenStore createStore(ManualClock clock) throws Exception;

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore(clock);
    }

    protected static Credential credential(String token, long version) {
        return Credential.builder(token)
                .refreshToken("refresh-" + token)
                .version(version)
                .expiresAt(Instant.parse("2026-01-01T01:00:00Z"))
                .attributes(Map.of("instance_url", "https://example.my.salesforce.com"))
                .build();
    }

    @Test
    void emptyStoreLoadsNothing() {
        assertThat(store.load("conn")).isEmpty();
    }

    @Test
    void insertWithExpectedVersionZeroThenLoadReturnsEverything() {
        Credential first = credential("a", 1);
        assertThat(store.compareAndSet("conn", 0, first)).isTrue();
        assertThat(store.load("conn")).contains(first);
    }

    @Test
    void insertFailsWhenSomethingIsStored() {
        assertThat(store.compareAndSet("conn", 0, credential("a", 1))).isTrue();
        assertThat(store.compareAndSet("conn", 0, credential("b", 1))).isFalse();
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("a");
    }

    @Test
    void compareAndSetReplacesOnlyTheExpectedVersion() {
        store.compareAndSet("conn", 0, credential("a", 1));
        assertThat(store.compareAndSet("conn", 1, credential("b", 2))).isTrue();
        assertThat(store.compareAndSet("conn", 1, credential("c", 2))).isFalse();
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("b");
        assertThat(store.load("conn").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void compareAndSetOnMissingKeyWithNonZeroVersionFails() {
        assertThat(store.compareAndSet("conn", 3, credential("a", 4))).isFalse();
        assertThat(store.load("conn")).isEmpty();
    }

    @Test
    void versionMustIncreaseByOne() {
        store.compareAndSet("conn", 0, credential("a", 1));
        assertThatThrownBy(() -> store.compareAndSet("conn", 1, credential("b", 5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("a");
    }

    @Test
    void keysAreIndependent() {
        store.compareAndSet("conn/t1/u1", 0, credential("u1", 1));
        store.compareAndSet("conn/t1/u2", 0, credential("u2", 1));
        assertThat(store.load("conn/t1/u1").orElseThrow().accessToken()).isEqualTo("u1");
        assertThat(store.load("conn/t1/u2").orElseThrow().accessToken()).isEqualTo("u2");
    }

    @Test
    void deleteRemovesAndReportsWhetherSomethingWasThere() {
        store.compareAndSet("conn", 0, credential("a", 1));
        assertThat(store.delete("conn")).isTrue();
        assertThat(store.delete("conn")).isFalse();
        assertThat(store.load("conn")).isEmpty();
    }

    @Test
    void concurrentCompareAndSetOnOneVersionHasExactlyOneWinner() throws Exception {
        store.compareAndSet("conn", 0, credential("seed", 1));
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String token = "w" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return store.compareAndSet("conn", 1, credential(token, 2));
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> r : results) {
                winners += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(store.load("conn").orElseThrow().version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leaseIsExclusiveUntilItExpires() {
        assertThat(store.tryLease("conn", "instance-a", Duration.ofSeconds(30))).isTrue();
        assertThat(store.tryLease("conn", "instance-b", Duration.ofSeconds(30))).isFalse();
        clock.advance(Duration.ofSeconds(31));
        assertThat(store.tryLease("conn", "instance-b", Duration.ofSeconds(30))).isTrue();
        assertThat(store.renewLease("conn", "instance-a", Duration.ofSeconds(30)))
                .isFalse();
    }

    @Test
    void renewExtendsOnlyTheOwnersLease() {
        store.tryLease("conn", "instance-a", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(20));
        assertThat(store.renewLease("conn", "instance-a", Duration.ofSeconds(30)))
                .isTrue();
        assertThat(store.renewLease("conn", "instance-b", Duration.ofSeconds(30)))
                .isFalse();
        clock.advance(Duration.ofSeconds(20)); // 40 s after the first lease, 20 s after renewal
        assertThat(store.tryLease("conn", "instance-b", Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void onlyTheOwnerReleases() {
        store.tryLease("conn", "instance-a", Duration.ofSeconds(30));
        store.releaseLease("conn", "instance-b");
        assertThat(store.tryLease("conn", "instance-b", Duration.ofSeconds(30))).isFalse();
        store.releaseLease("conn", "instance-a");
        assertThat(store.tryLease("conn", "instance-b", Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void theOwnerMayTakeItsLeaseAgain() {
        assertThat(store.tryLease("conn", "instance-a", Duration.ofSeconds(30))).isTrue();
        assertThat(store.tryLease("conn", "instance-a", Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void leasesAreIndependentOfCredentials() {
        store.compareAndSet("conn", 0, credential("a", 1));
        store.tryLease("conn", "instance-a", Duration.ofSeconds(30));
        assertThat(store.delete("conn")).isTrue();
        assertThat(store.tryLease("conn", "instance-b", Duration.ofSeconds(30))).isFalse();
    }
}
