package dev.switchboard.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.http.Backoff;
import dev.switchboard.core.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefreshingCredentialSourceTest {
    private final SplittableRandom jitter = new SplittableRandom(7);
    private static final String KEY = "crm/t1/u1";
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final TokenStore store = TokenStore.inMemory(clock);
    private final AtomicInteger calls = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private Credential seed(Duration validFor) {
        Credential c = Credential.builder("access-1")
                .refreshToken("refresh-1")
                .expiresAt(clock.instant().plus(validFor))
                .build();
        assertThat(store.compareAndSet(KEY, 0, c)).isTrue();
        return c;
    }

    private Credential issued(int n) {
        return Credential.builder("access-" + n)
                .refreshToken("refresh-" + n)
                .expiresAt(clock.instant().plusSeconds(3600))
                .build();
    }

    private RefreshingCredentialSource.Builder builder(CredentialRefresher refresher) {
        return RefreshingCredentialSource.builder(store, refresher)
                .clock(clock)
                .sleeper(clock.sleeper())
                .meters(meters)
                .backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), () -> jitter));
    }

    @Test
    void aThousandConcurrentCallersOfAnExpiredTokenCauseOneRefreshAndAllGetItsResult() throws Exception {
        seed(Duration.ofSeconds(-1));
        CountDownLatch refreshing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    refreshing.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return issued(2);
                })
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<Credential>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                results.add(pool.submit(() -> source.current(KEY)));
            }
            assertThat(refreshing.await(30, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            Set<String> tokens = new HashSet<>();
            for (Future<Credential> r : results) {
                tokens.add(r.get(30, TimeUnit.SECONDS).accessToken());
            }
            assertThat(calls).hasValue(1);
            assertThat(tokens).containsExactly("access-2");
            assertThat(store.load(KEY).orElseThrow().version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refreshesProactivelyInsideTheWindowOnly() {
        seed(Duration.ofMinutes(10));
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    return issued(2);
                })
                .refreshWindow(Duration.ofMinutes(2))
                .build();
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-1");
        clock.advance(Duration.ofMinutes(7));
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-1");
        assertThat(calls).hasValue(0);
        clock.advance(Duration.ofMinutes(1)); // 2 minutes left: inside the window
        Credential refreshed = source.current(KEY);
        assertThat(refreshed.accessToken()).isEqualTo("access-2");
        assertThat(refreshed.version()).isEqualTo(2);
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-2");
        assertThat(calls).hasValue(1);
    }

    @Test
    void transientFailuresAreRetriedWithBackoffInInjectedTime() {
        seed(Duration.ofSeconds(-1));
        RefreshingCredentialSource source = builder((key, current) -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new TransientException("oauth", "token-refresh", "token endpoint answered 503", null);
                    }
                    return issued(2);
                })
                .maxAttempts(3)
                .build();
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-2");
        assertThat(calls).hasValue(3);
        assertThat(clock.totalSlept()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200 + 400));
    }

    @Test
    void aProactiveRefreshThatKeepsFailingHandsOutTheStillValidTokenAndStoresNothing() {
        Credential original = seed(Duration.ofSeconds(30));
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    throw new TransientException("oauth", "token-refresh", "timeout", null);
                })
                .refreshWindow(Duration.ofMinutes(1))
                .maxAttempts(4)
                .build();
        assertThat(source.current(KEY)).isEqualTo(original);
        assertThat(calls).hasValue(4);
        assertThat(store.load(KEY)).contains(original);
    }

    @Test
    void retriesStopWhenTheCurrentTokenWouldExpireDuringTheWait() {
        Credential original = seed(Duration.ofMillis(1));
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    throw new TransientException("oauth", "token-refresh", "timeout", null);
                })
                .backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), ConstantMax::new))
                .refreshWindow(Duration.ofMinutes(1))
                .maxAttempts(5)
                .build();
        assertThat(source.current(KEY)).isEqualTo(original); // still valid for 1 ms: handed out
        assertThat(calls).hasValue(1);
    }

    @Test
    void transientFailuresAfterARejectionEndInATransientErrorAndTheStoreIsUntouched() {
        Credential original = seed(Duration.ofMinutes(30));
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    throw new TransientException("oauth", "token-refresh", "token endpoint answered 502", null);
                })
                .maxAttempts(3)
                .build();
        assertThatThrownBy(() -> source.refreshAfterRejection(KEY, 1)).isInstanceOf(TransientException.class);
        assertThat(calls).hasValue(3);
        assertThat(store.load(KEY)).contains(original);
    }

    @Test
    void aRevokedGrantIsMarkedAuditedAndFailsAtOnceAfterwards() {
        seed(Duration.ofSeconds(-1));
        InMemoryAuditSink audit = AuditSink.inMemory();
        List<String> events = new ArrayList<>();
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    throw new ReauthorizationRequiredException(
                            "oauth", "token-refresh", "the token endpoint said invalid_grant");
                })
                .auditSink(audit)
                .listener(new CredentialListener() {
                    @Override
                    public void reauthorizationRequired(String key, long version, String reason) {
                        events.add(key + "@" + version);
                    }
                })
                .build();
        assertThatThrownBy(() -> source.current(KEY))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .satisfies(e -> assertThat(((ReauthorizationRequiredException) e).nextStep())
                        .isEqualTo(NextStep.REAUTHORIZE));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> source.current(KEY)).isInstanceOf(ReauthorizationRequiredException.class);
            assertThatThrownBy(() -> source.refreshAfterRejection(KEY, 1))
                    .isInstanceOf(ReauthorizationRequiredException.class);
        }
        assertThat(calls).hasValue(1);
        assertThat(events).containsExactly(KEY + "@1");
        assertThat(source.needsReauthorization(KEY)).isTrue();
        assertThat(audit.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.Kind.AUTH);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILED);
            assertThat(e.connection()).isEqualTo("crm");
            assertThat(e.tenantId()).isEqualTo("t1");
            assertThat(e.userId()).isEqualTo("u1");
        });
        assertThat(store.load(KEY).orElseThrow().version()).isEqualTo(1); // nothing deleted or overwritten

        Credential again = source.save(KEY, issued(9));
        assertThat(again.version()).isEqualTo(2);
        assertThat(source.needsReauthorization(KEY)).isFalse();
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-9");
    }

    @Test
    void aStaleRefreshTokenRereadsTheStoreInsteadOfFailing() {
        seed(Duration.ofSeconds(-1));
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    // Another instance rotated the refresh token and stored its result while we were asking.
                    store.compareAndSet(KEY, 1, issued(2).withVersion(2));
                    throw new ReauthorizationRequiredException("oauth", "token-refresh", "invalid_grant");
                })
                .build();
        Credential c = source.current(KEY);
        assertThat(c.accessToken()).isEqualTo("access-2");
        assertThat(source.needsReauthorization(KEY)).isFalse();
    }

    @Test
    void aRejectionOfAnOlderVersionReturnsTheStoredOneWithoutRefreshing() {
        seed(Duration.ofMinutes(30));
        store.compareAndSet(KEY, 1, issued(2).withVersion(2));
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    return issued(3);
                })
                .build();
        assertThat(source.refreshAfterRejection(KEY, 1).accessToken()).isEqualTo("access-2");
        assertThat(calls).hasValue(0);
    }

    @Test
    void otherFailuresOfAProactiveRefreshKeepTheValidToken() {
        Credential original = seed(Duration.ofSeconds(10));
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    throw new PermanentException("oauth", "token-refresh", "token endpoint answered HTML");
                })
                .build();
        assertThat(source.current(KEY)).isEqualTo(original);
        clock.advance(Duration.ofSeconds(11));
        assertThatThrownBy(() -> source.current(KEY)).isInstanceOf(PermanentException.class);
        assertThat(store.load(KEY)).contains(original);
    }

    @Test
    void aLeaseHolderThatDiedIsTakenOverAfterItsLeaseExpires() {
        seed(Duration.ofSeconds(-1));
        assertThat(store.tryLease(KEY, "dead-instance", Duration.ofSeconds(30))).isTrue();
        RefreshingCredentialSource source = builder((key, current) -> {
                    calls.incrementAndGet();
                    return issued(2);
                })
                .lease("instance-b", Duration.ofSeconds(30))
                .build();
        Instant start = clock.instant();
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-2");
        assertThat(calls).hasValue(1);
        assertThat(Duration.between(start, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        // released by its owner: another instance can take it at once
        assertThat(store.tryLease(KEY, "instance-c", Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void anInstanceThatFindsTheLeaseTakenWaitsForTheHoldersResult() {
        seed(Duration.ofSeconds(-1));
        assertThat(store.tryLease(KEY, "instance-a", Duration.ofSeconds(30))).isTrue();
        AtomicInteger polls = new AtomicInteger();
        RefreshingCredentialSource source = RefreshingCredentialSource.builder(store, (key, current) -> {
                    calls.incrementAndGet();
                    return issued(3);
                })
                .clock(clock)
                .sleeper(d -> {
                    clock.advance(d);
                    if (polls.incrementAndGet() == 5) { // instance-a stores its refresh meanwhile
                        store.compareAndSet(KEY, 1, issued(2).withVersion(2));
                    }
                })
                .lease("instance-b", Duration.ofSeconds(30))
                .build();
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-2");
        assertThat(calls).hasValue(0);
    }

    @Test
    void ofKeepsItsBehaviourNoProactiveRefreshAndNoCache() {
        seed(Duration.ofSeconds(-1));
        RefreshingCredentialSource source = RefreshingCredentialSource.of(
                store,
                (key, current) -> {
                    calls.incrementAndGet();
                    return issued(2);
                },
                meters);
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-1");
        store.compareAndSet(KEY, 1, issued(5).withVersion(2));
        assertThat(source.current(KEY).accessToken()).isEqualTo("access-5");
        assertThat(calls).hasValue(0);
        assertThat(source.refreshAfterRejection(KEY, 2).accessToken()).isEqualTo("access-2");
        assertThat(calls).hasValue(1);
    }

    /** Always draws the ceiling, so waits are exact. */
    private static final class ConstantMax implements java.util.random.RandomGenerator {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }
}
