package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenLease;
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
 * fresh, empty store from {@link #createStore(ManualClock)}. Lease time passes through {@link #elapse}: by default
 * it advances that clock, for stores whose leases expire by it; a store whose leases expire by another time source
 * (a database's clock) overrides it.
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

    /**
     * Lets {@code duration} pass for the store's leases. The default advances {@link #clock}. A store whose leases
     * expire by a database's clock may instead move its leases' expiries back by {@code duration}: for every lease
     * that exists, that is the same as time passing.
     */
    protected void elapse(Duration duration) throws Exception {
        clock.advance(duration);
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
    void leaseIsExclusiveUntilItExpires() throws Exception {
        assertThat(store.tryLease("conn", "instance-a", Duration.ofSeconds(30))).isTrue();
        assertThat(store.tryLease("conn", "instance-b", Duration.ofSeconds(30))).isFalse();
        elapse(Duration.ofSeconds(31));
        assertThat(store.tryLease("conn", "instance-b", Duration.ofSeconds(30))).isTrue();
        assertThat(store.renewLease("conn", "instance-a", Duration.ofSeconds(30)))
                .isFalse();
    }

    @Test
    void renewExtendsOnlyTheOwnersLease() throws Exception {
        store.tryLease("conn", "instance-a", Duration.ofSeconds(30));
        elapse(Duration.ofSeconds(20));
        assertThat(store.renewLease("conn", "instance-a", Duration.ofSeconds(30)))
                .isTrue();
        assertThat(store.renewLease("conn", "instance-b", Duration.ofSeconds(30)))
                .isFalse();
        elapse(Duration.ofSeconds(20)); // 40 s after the first lease, 20 s after renewal
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

    @Test
    void leaseEpochsGrowWithEveryAcquisitionByAnyOwner() throws Exception {
        TokenLease first =
                store.acquireLease("conn", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        assertThat(first.key()).isEqualTo("conn");
        assertThat(first.owner()).isEqualTo("instance-a");
        assertThat(store.acquireLease("conn", "instance-b", Duration.ofSeconds(30)))
                .isEmpty();
        elapse(Duration.ofSeconds(31));
        TokenLease second =
                store.acquireLease("conn", "instance-b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(second.epoch()).isGreaterThan(first.epoch());
        store.releaseLease(second);
        TokenLease third =
                store.acquireLease("conn", "instance-b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(third.epoch()).isGreaterThan(second.epoch());
        TokenLease again = store.acquireLease("conn", "instance-b", Duration.ofSeconds(30))
                .orElseThrow(); // the same owner takes it again: a new epoch too
        assertThat(again.epoch()).isGreaterThan(third.epoch());
        assertThat(store.acquireLease("other", "instance-a", Duration.ofSeconds(30)))
                .isPresent();
    }

    @Test
    void theStoreFencesWrites() {
        assertThat(store.fencesWrites()).isTrue();
    }

    @Test
    void aFencedWriteSucceedsWhileItsLeaseIsHeld() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        TokenLease lease =
                store.acquireLease("conn", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        elapse(Duration.ofSeconds(20));
        assertThat(store.compareAndSet("conn", 1, credential("b", 2), lease)).isTrue();
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("b");
        assertThat(store.compareAndSet("conn", 1, credential("c", 2), lease)).isFalse(); // the version rule still holds
    }

    @Test
    void aFencedWriteFailsOnceItsLeaseExpiredEvenIfNobodyTookIt() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        TokenLease lease =
                store.acquireLease("conn", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        elapse(Duration.ofSeconds(31));
        assertThat(store.compareAndSet("conn", 1, credential("late", 2), lease)).isFalse();
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("a");
        assertThat(store.renewLease(lease, Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void aHolderWhoseLeaseWasTakenOverCannotWriteAndTheNewHolderCan() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        TokenLease stale =
                store.acquireLease("conn", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        elapse(Duration.ofSeconds(31));
        TokenLease current =
                store.acquireLease("conn", "instance-b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(store.compareAndSet("conn", 1, credential("stale", 2), stale))
                .isFalse();
        assertThat(store.renewLease(stale, Duration.ofSeconds(30))).isFalse();
        store.releaseLease(stale); // leaves the new holder's lease alone
        assertThat(store.tryLease("conn", "instance-c", Duration.ofSeconds(30))).isFalse();
        assertThat(store.compareAndSet("conn", 1, credential("current", 2), current))
                .isTrue();
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("current");
    }

    @Test
    void anOwnersOlderEpochIsFencedOffByItsNewerOne() {
        store.compareAndSet("conn", 0, credential("a", 1));
        TokenLease older =
                store.acquireLease("conn", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        TokenLease newer =
                store.acquireLease("conn", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        assertThat(store.compareAndSet("conn", 1, credential("older", 2), older))
                .isFalse();
        assertThat(store.renewLease(older, Duration.ofSeconds(30))).isFalse();
        assertThat(store.renewLease(newer, Duration.ofSeconds(30))).isTrue();
        assertThat(store.compareAndSet("conn", 1, credential("newer", 2), newer))
                .isTrue();
    }

    @Test
    void aReleasedLeaseFencesItsHoldersWrites() {
        store.compareAndSet("conn", 0, credential("a", 1));
        TokenLease lease =
                store.acquireLease("conn", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        store.releaseLease(lease);
        assertThat(store.compareAndSet("conn", 1, credential("b", 2), lease)).isFalse();
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("a");
    }

    @Test
    void aFencedFirstWriteNeedsTheLeaseToo() throws Exception {
        TokenLease lease =
                store.acquireLease("conn", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        elapse(Duration.ofSeconds(31));
        assertThat(store.compareAndSet("conn", 0, credential("a", 1), lease)).isFalse();
        assertThat(store.load("conn")).isEmpty();
        TokenLease fresh =
                store.acquireLease("conn", "instance-a", Duration.ofSeconds(30)).orElseThrow();
        assertThat(store.compareAndSet("conn", 0, credential("a", 1), fresh)).isTrue();
    }

    @Test
    void versionsContinueAfterADeleteAndNeverRepeat() {
        store.compareAndSet("conn", 0, credential("a", 1));
        store.compareAndSet("conn", 1, credential("b", 2));
        assertThat(store.lastVersion("conn")).isEqualTo(2);
        assertThat(store.delete("conn")).isTrue();
        assertThat(store.load("conn")).isEmpty();
        assertThat(store.lastVersion("conn")).isEqualTo(2);
        assertThat(store.delete("conn")).isFalse();
        assertThat(store.compareAndSet("conn", 0, credential("again", 1))).isFalse();
        assertThat(store.compareAndSet("conn", 2, credential("again", 3))).isTrue();
        assertThat(store.load("conn")).contains(credential("again", 3));
        assertThat(store.lastVersion("never-stored")).isZero();
    }

    @Test
    void aReauthorizationMarkIsSeenByEveryoneUntilANewVersionIsStored() {
        store.compareAndSet("conn", 0, credential("a", 1));
        assertThat(store.needsReauthorization("conn", 1)).isFalse();
        assertThat(store.markNeedsReauthorization("conn", 1)).isTrue();
        assertThat(store.markNeedsReauthorization("conn", 1)).isFalse(); // set already: nobody tells twice
        assertThat(store.needsReauthorization("conn", 1)).isTrue();
        assertThat(store.markNeedsReauthorization("conn", 7)).isFalse(); // not the stored version
        assertThat(store.needsReauthorization("conn", 7)).isFalse();
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("a"); // nothing deleted

        assertThat(store.compareAndSet("conn", 1, credential("b", 2))).isTrue();
        assertThat(store.needsReauthorization("conn", 1)).isFalse();
        assertThat(store.needsReauthorization("conn", 2)).isFalse();
        assertThat(store.markNeedsReauthorization("other", 1)).isFalse(); // nothing stored there
    }

    @Test
    void aDeletedGrantIsNotMarkedAndItsSuccessorStartsClean() {
        store.compareAndSet("conn", 0, credential("a", 1));
        store.markNeedsReauthorization("conn", 1);
        store.delete("conn");
        assertThat(store.needsReauthorization("conn", 1)).isFalse();
        assertThat(store.markNeedsReauthorization("conn", 1)).isFalse();
        store.compareAndSet("conn", 1, credential("new-grant", 2));
        assertThat(store.needsReauthorization("conn", 2)).isFalse();
    }

    @Test
    void issuedAtRoundTrips() {
        Credential c = credential("a", 1)
                .newBuilder()
                .issuedAt(Instant.parse("2025-12-31T23:30:00.123456789Z"))
                .build();
        store.compareAndSet("conn", 0, c);
        assertThat(store.load("conn")).contains(c);
        assertThat(store.load("conn").orElseThrow().lifetime())
                .contains(Duration.ofMinutes(90).minusNanos(123456789));
    }
}
