package dev.switchboard.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.http.Backoff;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.time.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The refresh under real failure: leases lost while a refresh runs, a store that fails while the result is written,
 * other writers, dead lease holders, waiting threads, short-lived tokens, and marks shared through the store. The
 * refresher behaves like a provider that rotates refresh tokens and detects reuse, so a refresh token spent twice
 * shows.
 */
class RefreshUnderFailureTest {
    private static final String KEY = "crm/t1/u1";
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final TokenStore store = TokenStore.inMemory(clock);
    private final SplittableRandom jitter = new SplittableRandom(11);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /**
     * A provider that rotates refresh tokens: refresh-n buys access-(n+1) and refresh-(n+1); a refresh token used a
     * second time revokes the grant (every later refresh fails), as providers with reuse detection do.
     */
    private final class RotatingProvider implements CredentialRefresher {
        final List<String> used = Collections.synchronizedList(new ArrayList<>());
        volatile boolean revoked;
        volatile Runnable during = () -> {};
        private int issued = 1;

        @Override
        public Credential refresh(String key, Credential current) {
            String rt = current.refreshToken().orElseThrow();
            synchronized (this) {
                if (used.contains(rt)) {
                    revoked = true;
                }
                used.add(rt);
            }
            during.run(); // the call is in flight
            synchronized (this) {
                if (revoked) {
                    throw new ReauthorizationRequiredException("oauth", "token-refresh", "invalid_grant");
                }
                issued++;
                return Credential.builder("access-" + issued)
                        .refreshToken("refresh-" + issued)
                        .expiresAt(clock.instant().plusSeconds(3600))
                        .build();
            }
        }
    }

    private Credential seed(Duration validFor) {
        Credential c = Credential.builder("access-1")
                .refreshToken("refresh-1")
                .expiresAt(clock.instant().plus(validFor))
                .build();
        assertThat(store.compareAndSet(KEY, 0, c)).isTrue();
        return c;
    }

    private RefreshingCredentialSource.Builder builder(TokenStore on, CredentialRefresher refresher) {
        return RefreshingCredentialSource.builder(on, refresher)
                .clock(clock)
                .sleeper(clock.sleeper())
                .backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), () -> jitter));
    }

    /** A store that fails the writes {@code fails} says (counted from 1), before or after committing them. */
    private static final class FlakyStore implements TokenStore {
        private final TokenStore delegate;
        private final Predicate<Integer> fails;
        private final boolean commitFirst;
        final AtomicInteger writes = new AtomicInteger();

        FlakyStore(TokenStore delegate, Predicate<Integer> fails, boolean commitFirst) {
            this.delegate = delegate;
            this.fails = fails;
            this.commitFirst = commitFirst;
        }

        private boolean write(java.util.function.BooleanSupplier cas) {
            if (!fails.test(writes.incrementAndGet())) {
                return cas.getAsBoolean();
            }
            if (commitFirst) {
                cas.getAsBoolean(); // committed, but the answer is lost on the way back
            }
            throw new TransientException("token-store", "store", "connection reset", null);
        }

        @Override
        public boolean compareAndSet(String key, long expectedVersion, Credential next) {
            return write(() -> delegate.compareAndSet(key, expectedVersion, next));
        }

        @Override
        public boolean compareAndSet(String key, long expectedVersion, Credential next, TokenLease lease) {
            return write(() -> delegate.compareAndSet(key, expectedVersion, next, lease));
        }

        @Override
        public boolean fencesWrites() {
            return delegate.fencesWrites();
        }

        @Override
        public Optional<Credential> load(String key) {
            return delegate.load(key);
        }

        @Override
        public long lastVersion(String key) {
            return delegate.lastVersion(key);
        }

        @Override
        public boolean delete(String key) {
            return delegate.delete(key);
        }

        @Override
        public Optional<TokenLease> acquireLease(String key, String owner, Duration ttl) {
            return delegate.acquireLease(key, owner, ttl);
        }

        @Override
        public boolean renewLease(TokenLease lease, Duration ttl) {
            return delegate.renewLease(lease, ttl);
        }

        @Override
        public void releaseLease(TokenLease lease) {
            delegate.releaseLease(lease);
        }

        @Override
        public boolean tryLease(String key, String owner, Duration ttl) {
            return delegate.tryLease(key, owner, ttl);
        }

        @Override
        public boolean renewLease(String key, String owner, Duration ttl) {
            return delegate.renewLease(key, owner, ttl);
        }

        @Override
        public void releaseLease(String key, String owner) {
            delegate.releaseLease(key, owner);
        }
    }

    @Test
    void aHolderWhoseLeaseWasTakenOverWhileItsCallRanDoesNotOverwriteTheNewHoldersResult() {
        seed(Duration.ofSeconds(-1));
        RotatingProvider provider = new RotatingProvider();
        TokenLease[] taken = new TokenLease[1];
        provider.during = () -> {
            // The call outlives the lease (a GC pause, a slow endpoint): instance B takes the expired lease over.
            clock.advance(Duration.ofSeconds(31));
            taken[0] = store.acquireLease(KEY, "instance-b", Duration.ofSeconds(30))
                    .orElseThrow();
        };
        AtomicInteger polls = new AtomicInteger();
        RefreshingCredentialSource a = builder(store, provider)
                .lease("instance-a", Duration.ofSeconds(30))
                .sleeper(d -> {
                    clock.advance(d);
                    if (polls.incrementAndGet() == 1) { // B stores its own refresh, fenced by its lease
                        Credential mine = Credential.builder("access-from-b")
                                .refreshToken("refresh-from-b")
                                .version(2)
                                .build();
                        assertThat(store.compareAndSet(KEY, 1, mine, taken[0])).isTrue();
                    }
                })
                .build();

        Credential got = a.current(KEY);

        assertThat(got.accessToken()).isEqualTo("access-from-b");
        assertThat(store.load(KEY).orElseThrow().accessToken()).isEqualTo("access-from-b");
        assertThat(provider.used).containsExactly("refresh-1");
    }

    @Test
    void aLeaseThatExpiredDuringTheCallButWasNotTakenOverIsTakenAgainAndTheResultStored() {
        seed(Duration.ofSeconds(-1));
        RotatingProvider provider = new RotatingProvider();
        provider.during = () -> clock.advance(Duration.ofSeconds(31));
        RefreshingCredentialSource a = builder(store, provider)
                .lease("instance-a", Duration.ofSeconds(30))
                .build();

        assertThat(a.current(KEY).accessToken()).isEqualTo("access-2");
        assertThat(store.load(KEY).orElseThrow().refreshToken()).contains("refresh-2");
        assertThat(provider.used).containsExactly("refresh-1");
    }

    @Test
    void aStoreThatFailsTheFirstWriteKeepsTheRefreshedCredentialAndSpendsNoRefreshTokenTwice() {
        seed(Duration.ofSeconds(-1));
        RotatingProvider provider = new RotatingProvider();
        FlakyStore flaky = new FlakyStore(store, n -> n == 1, false);
        RefreshingCredentialSource source = builder(flaky, provider).build();

        assertThat(source.current(KEY).accessToken()).isEqualTo("access-2");
        assertThat(store.load(KEY).orElseThrow().refreshToken()).contains("refresh-2");
        assertThat(provider.used).containsExactly("refresh-1");
        assertThat(provider.revoked).isFalse();
        assertThat(flaky.writes).hasValue(2);
    }

    @Test
    void aWriteThatCommittedButLostItsAnswerIsRecognizedByReadingBack() {
        seed(Duration.ofSeconds(-1));
        RotatingProvider provider = new RotatingProvider();
        FlakyStore flaky = new FlakyStore(store, n -> n == 1, true);
        List<Long> refreshed = new ArrayList<>();
        RefreshingCredentialSource source = builder(flaky, provider)
                .lease("instance-a", Duration.ofSeconds(30))
                .listener(new CredentialListener() {
                    @Override
                    public void refreshed(String key, long version) {
                        refreshed.add(version);
                    }
                })
                .build();

        assertThat(source.current(KEY).accessToken()).isEqualTo("access-2");
        assertThat(store.load(KEY).orElseThrow().version()).isEqualTo(2);
        assertThat(provider.used).containsExactly("refresh-1");
        assertThat(flaky.writes).hasValue(1); // read back, not written again
        assertThat(refreshed).containsExactly(2L); // recognized as this refresh's own write, not another writer's
    }

    @Test
    void aCredentialTheStoreCannotTakeIsHandedOutLoggedAndStoredWhenTheStoreRecovers() {
        seed(Duration.ofSeconds(-1));
        RotatingProvider provider = new RotatingProvider();
        AtomicBoolean down = new AtomicBoolean(true);
        FlakyStore flaky = new FlakyStore(store, n -> down.get(), false);
        RefreshingCredentialSource source =
                builder(flaky, provider).storeAttempts(3).build();
        ListAppender<ILoggingEvent> logs = capture();
        Credential got;
        try {
            got = source.current(KEY);
        } finally {
            release(logs);
        }
        assertThat(got.accessToken()).isEqualTo("access-2");
        assertThat(flaky.writes).hasValue(3);
        assertThat(store.load(KEY).orElseThrow().version()).isEqualTo(1);
        assertThat(logs.list)
                .filteredOn(e -> e.getLevel() == Level.ERROR)
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains(KEY)
                        .contains("could not be stored")
                        .doesNotContain("access-2")
                        .doesNotContain("refresh-2"));
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-2"); // this instance keeps using it

        down.set(false);
        clock.advance(Duration.ofMinutes(59)); // access-2 nears its expiry: the next refresh spends refresh-2
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-3");
        assertThat(provider.used).containsExactly("refresh-1", "refresh-2");
        assertThat(provider.revoked).isFalse();
        assertThat(store.load(KEY).orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void aNewGrantStoredByAnotherInstanceDuringTheRefreshWinsAndIsNotOverwritten() {
        seed(Duration.ofSeconds(-1));
        RefreshingCredentialSource other = builder(store, (k, c) -> {
                    throw new AssertionError("not refreshed here");
                })
                .build();
        Credential newGrant =
                Credential.builder("new-grant").refreshToken("new-refresh").build();
        RotatingProvider provider = new RotatingProvider();
        provider.during = () -> {
            store.delete(KEY); // the user revoked the grant on another instance ...
            other.save(KEY, newGrant); // ... and authorized again
        };
        RefreshingCredentialSource source = builder(store, provider).build();

        Credential got = source.current(KEY);

        assertThat(got.accessToken()).isEqualTo("new-grant");
        Credential stored = store.load(KEY).orElseThrow();
        assertThat(stored.accessToken()).isEqualTo("new-grant");
        assertThat(stored.version()).isEqualTo(2);
    }

    @Test
    void aNewerVersionAnotherWriterCommitsDuringTheRefreshFailsTheRefreshsCompareAndSetAndSurvives() {
        seed(Duration.ofSeconds(-1)); // version 1, expired
        Credential newer = Credential.builder("access-by-other-writer")
                .refreshToken("refresh-by-other-writer")
                .expiresAt(clock.instant().plusSeconds(3600))
                .version(2)
                .build();
        RotatingProvider provider = new RotatingProvider();
        // While this source's call is at the token endpoint, another writer (an instance without the lease, a
        // tool of the application) commits version 2 over version 1.
        provider.during = () -> assertThat(store.compareAndSet(KEY, 1, newer)).isTrue();
        RefreshingCredentialSource source = builder(store, provider).build();

        Credential got = source.current(KEY);

        // The refresh fetched access-2 against version 1; its compare-and-set on version 1 must fail.
        assertThat(provider.used).containsExactly("refresh-1");
        assertThat(got).isEqualTo(newer);
        assertThat(store.load(KEY)).contains(newer);
        assertThat(store.lastVersion(KEY)).isEqualTo(2);
        assertThat(source.current(KEY)).isEqualTo(newer); // not its own result from memory either
    }

    @Test
    void whileAnotherInstanceHoldsTheLeaseAStillValidTokenIsHandedOutAtOnce() {
        Credential original = seed(Duration.ofSeconds(60)); // inside the 2-minute window
        assertThat(store.acquireLease(KEY, "killed-instance", Duration.ofMinutes(10)))
                .isPresent();
        AtomicInteger sleeps = new AtomicInteger();
        RotatingProvider provider = new RotatingProvider();
        RefreshingCredentialSource source = builder(store, provider)
                .refreshWindow(Duration.ofMinutes(2))
                .lease("instance-b", Duration.ofSeconds(30))
                .leaseWait(Duration.ofMillis(100), Duration.ofSeconds(20))
                .sleeper(d -> {
                    sleeps.incrementAndGet();
                    clock.advance(d);
                })
                .build();

        for (int i = 0; i < 50; i++) {
            assertThat(source.current(KEY)).isEqualTo(original);
        }
        assertThat(sleeps).hasValue(0);
        assertThat(provider.used).isEmpty();

        // Once it has expired, a caller waits, and a bounded time: 20 s of 100 ms polls.
        clock.advance(Duration.ofSeconds(61));
        assertThatThrownBy(() -> source.current(KEY))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("holds the refresh lease");
        assertThat(sleeps.get()).isBetween(1, 201);
        assertThat(provider.used).isEmpty();
    }

    @Test
    void twoSourcesGivenTheSameInstanceIdStillExcludeEachOther() throws Exception {
        seed(Duration.ofSeconds(-1));
        RotatingProvider provider = new RotatingProvider();
        CountDownLatch aIsRefreshing = new CountDownLatch(1);
        CountDownLatch bIsWaiting = new CountDownLatch(1);
        provider.during = () -> {
            if (aIsRefreshing.getCount() == 1) { // the first call: A's
                aIsRefreshing.countDown();
                await(bIsWaiting);
            }
        };
        RefreshingCredentialSource a = builder(store, provider)
                .lease("web", Duration.ofSeconds(30))
                .sleeper(Sleeper.system())
                .build();
        Future<Credential> first = threads.submit(() -> a.current(KEY));
        assertThat(aIsRefreshing.await(30, TimeUnit.SECONDS)).isTrue();
        RefreshingCredentialSource b = builder(store, provider)
                .lease("web", Duration.ofSeconds(30))
                .sleeper(d -> {
                    bIsWaiting.countDown(); // B found the lease taken: let A finish, and wait for its result
                    try {
                        first.get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        throw new AssertionError(e);
                    }
                })
                .build();

        assertThat(b.current(KEY).accessToken()).isEqualTo("access-2");
        assertThat(first.get(30, TimeUnit.SECONDS).accessToken()).isEqualTo("access-2");
        assertThat(provider.used).containsExactly("refresh-1");
        assertThat(a.leaseOwner()).startsWith("web/").isNotEqualTo(b.leaseOwner());
    }

    @Test
    void aCallerInterruptedWhileWaitingForAnotherThreadsRefreshStopsWaiting() throws Exception {
        seed(Duration.ofSeconds(-1));
        CountDownLatch refreshing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RotatingProvider provider = new RotatingProvider();
        provider.during = () -> {
            refreshing.countDown();
            await(release);
        };
        RefreshingCredentialSource source = builder(store, provider).build();
        Future<Credential> leader = threads.submit(() -> source.current(KEY));
        assertThat(refreshing.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Thread> waiterThread = new CompletableFuture<>();
        CompletableFuture<List<Object>> waiter = new CompletableFuture<>();
        threads.submit(() -> {
            waiterThread.complete(Thread.currentThread());
            Object outcome;
            try {
                outcome = source.current(KEY);
            } catch (RuntimeException e) {
                outcome = e;
            }
            waiter.complete(List.of(outcome, Thread.currentThread().isInterrupted()));
        });
        Thread t = waiterThread.get(30, TimeUnit.SECONDS);
        waitUntilParked(t);
        t.interrupt();

        List<Object> outcome = waiter.get(30, TimeUnit.SECONDS); // before the leader is released
        assertThat(outcome.get(0))
                .isInstanceOfSatisfying(
                        TransientException.class, e -> assertThat(e).hasMessageContaining("interrupted"));
        assertThat(outcome.get(1)).isEqualTo(true); // the interrupt is kept for the caller
        release.countDown();
        assertThat(leader.get(30, TimeUnit.SECONDS).accessToken()).isEqualTo("access-2");
    }

    @Test
    void aWaitForAnotherThreadsRefreshIsBounded() throws Exception {
        seed(Duration.ofSeconds(-1));
        CountDownLatch refreshing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RotatingProvider provider = new RotatingProvider();
        provider.during = () -> {
            refreshing.countDown();
            await(release);
        };
        RefreshingCredentialSource source = builder(store, provider)
                .leaseWait(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
        Future<Credential> leader = threads.submit(() -> source.current(KEY));
        assertThat(refreshing.await(30, TimeUnit.SECONDS)).isTrue();
        Future<Object> waiter = threads.submit(() -> {
            try {
                return source.current(KEY);
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(waiter.get(30, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        TransientException.class, e -> assertThat(e).hasMessageContaining("did not finish"));
        release.countDown();
        assertThat(leader.get(30, TimeUnit.SECONDS).accessToken()).isEqualTo("access-2");
    }

    @Test
    void aCallerThatJoinedARefreshOfAnOlderVersionChecksWhatItGotAndRefreshesItsOwn() throws Exception {
        seed(Duration.ofSeconds(-1));
        CountDownLatch refreshing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        RefreshingCredentialSource source = builder(store, (key, current) -> {
                    int n = calls.incrementAndGet();
                    if (n == 1) {
                        refreshing.countDown();
                        await(release);
                    }
                    return Credential.builder("access-from-call-" + n)
                            .refreshToken("refresh-from-call-" + n)
                            .expiresAt(clock.instant().plusSeconds(3600))
                            .build();
                })
                .build();
        Future<Credential> leader = threads.submit(() -> source.current(KEY)); // refreshes version 1
        assertThat(refreshing.await(30, TimeUnit.SECONDS)).isTrue();
        // Meanwhile another instance stored version 2, and the vendor rejected it.
        store.compareAndSet(
                KEY,
                1,
                Credential.builder("other-access")
                        .refreshToken("other-refresh")
                        .version(2)
                        .build());
        CompletableFuture<Thread> rejectingThread = new CompletableFuture<>();
        Future<Credential> rejecting = threads.submit(() -> {
            rejectingThread.complete(Thread.currentThread());
            return source.refreshAfterRejection(KEY, 2);
        });
        waitUntilParked(rejectingThread.get(30, TimeUnit.SECONDS)); // joined the refresh of version 1
        release.countDown();

        assertThat(leader.get(30, TimeUnit.SECONDS).accessToken()).isEqualTo("other-access"); // superseded
        Credential replacement = rejecting.get(30, TimeUnit.SECONDS);
        assertThat(replacement.version()).isEqualTo(3);
        assertThat(replacement.accessToken()).isEqualTo("access-from-call-2");
        assertThat(calls).hasValue(2);
    }

    @Test
    void aListenerThatThrowsAfterAStoredRefreshDoesNotTurnItIntoAnError() {
        seed(Duration.ofSeconds(-1));
        RotatingProvider provider = new RotatingProvider();
        RefreshingCredentialSource source = builder(store, provider)
                .listener(new CredentialListener() {
                    @Override
                    public void refreshed(String key, long version) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .build();
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-2");
        assertThat(store.load(KEY).orElseThrow().version()).isEqualTo(2);
        assertThat(provider.used).containsExactly("refresh-1");
    }

    @Test
    void credentialsThatLiveShorterThanTheWindowAreRefreshedAtHalfTheirLifetimeNotOnEveryCall() {
        AtomicInteger calls = new AtomicInteger();
        store.compareAndSet(
                KEY,
                0,
                Credential.builder("access-0")
                        .refreshToken("r")
                        .expiresAt(clock.instant().plusSeconds(30))
                        .build());
        RefreshingCredentialSource source = builder(store, (key, current) -> {
                    calls.incrementAndGet();
                    return Credential.builder("access")
                            .refreshToken("r")
                            .expiresAt(clock.instant().plusSeconds(30))
                            .build();
                })
                .refreshWindow(Duration.ofMinutes(2))
                .build();
        ListAppender<ILoggingEvent> logs = capture();
        try {
            for (int i = 0; i < 3000; i++) { // five minutes, a call every 100 ms
                source.current(KEY);
                clock.advance(Duration.ofMillis(100));
            }
        } finally {
            release(logs);
        }
        // 30-second tokens refreshed 15 s before expiry: one refresh per 15 s, about 20 in five minutes.
        assertThat(calls.get()).isBetween(15, 25);
        assertThat(logs.list)
                .filteredOn(e -> e.getFormattedMessage().contains("wider than half the lifetime"))
                .hasSize(1);
    }

    @Test
    void aGrantMarkedInTheStoreFailsOnEveryInstanceWithoutSpendingItsRefreshTokenAgain() {
        seed(Duration.ofSeconds(-1));
        RotatingProvider provider = new RotatingProvider();
        provider.revoked = true; // the user revoked the grant at the provider
        RefreshingCredentialSource a = builder(store, provider).build();
        RefreshingCredentialSource b = builder(store, provider).build();
        List<String> bEvents = new ArrayList<>();
        b.addListener(new CredentialListener() {
            @Override
            public void reauthorizationRequired(String key, long version, String reason) {
                bEvents.add(key);
            }
        });

        assertThatThrownBy(() -> a.current(KEY)).isInstanceOf(ReauthorizationRequiredException.class);
        assertThatThrownBy(() -> b.refreshAfterRejection(KEY, 1)).isInstanceOf(ReauthorizationRequiredException.class);
        assertThatThrownBy(() -> b.current(KEY)).isInstanceOf(ReauthorizationRequiredException.class);

        assertThat(provider.used).containsExactly("refresh-1");
        assertThat(b.needsReauthorization(KEY)).isTrue();
        assertThat(bEvents).isEmpty(); // told once, by the instance that found it
    }

    @Test
    void aNewGrantAfterARevocationIsNotRejectedByAnotherInstancesMark() {
        seed(Duration.ofSeconds(-1));
        RotatingProvider provider = new RotatingProvider();
        provider.revoked = true;
        RefreshingCredentialSource a = builder(store, provider).build();
        RefreshingCredentialSource b = builder(store, provider).build();
        assertThatThrownBy(() -> a.current(KEY)).isInstanceOf(ReauthorizationRequiredException.class);

        store.delete(KEY); // B revokes ...
        b.forget(KEY);
        Credential fresh = b.save(
                KEY,
                Credential.builder("fresh-access")
                        .refreshToken("fresh-refresh")
                        .expiresAt(clock.instant().plusSeconds(3600))
                        .build()); // ... and the user authorizes again

        assertThat(fresh.version()).isEqualTo(2);
        assertThat(a.current(KEY).accessToken()).isEqualTo("fresh-access");
        assertThat(a.needsReauthorization(KEY)).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until {@code t} is parked (waiting for a lock or a future), at most 30 s. */
    private static void waitUntilParked(Thread t) throws InterruptedException {
        for (int i = 0; i < 30_000; i++) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("thread never waited: " + t.getState());
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger("dev.switchboard")).addAppender(logs);
        return logs;
    }

    private static void release(ListAppender<ILoggingEvent> logs) {
        ((Logger) LoggerFactory.getLogger("dev.switchboard")).detachAppender(logs);
    }
}
