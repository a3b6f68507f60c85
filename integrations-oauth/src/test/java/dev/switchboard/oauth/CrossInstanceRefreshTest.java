package dev.switchboard.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.oauth.store.JdbcTokenStore;
import dev.switchboard.oauth.support.Postgres;
import dev.switchboard.oauth.support.RotatingTokenEndpoint;
import dev.switchboard.oauth.support.TestKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instances sharing one PostgreSQL token store, each with its own store object and HTTP client, against a provider
 * that rotates refresh tokens and revokes a grant whose spent refresh token comes back (as certified providers do):
 * a slow refresh that outlives its lease, a lease holder that died while the token is still valid, a revoked grant
 * and the new one authorized after it, and tokens that live shorter than the refresh window.
 */
class CrossInstanceRefreshTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private RotatingTokenEndpoint endpoint;
    private String prefix;

    @BeforeEach
    void start() {
        endpoint = new RotatingTokenEndpoint();
        prefix = "cross" + TABLES.incrementAndGet() + "_";
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    /** Another instance's store: its own data source, the same tables. */
    private TokenStore instanceStore() {
        DataSource ds = Postgres.newDataSource();
        return JdbcTokenStore.open(ds, TestKeys.in(ds, prefix), Clock.systemUTC(), prefix);
    }

    private void seed(String refreshToken, Instant expiresAt) {
        endpoint.grant(refreshToken);
        assertThat(instanceStore()
                        .compareAndSet(
                                "crm",
                                0,
                                Credential.builder("at-seed")
                                        .refreshToken(refreshToken)
                                        .expiresAt(expiresAt)
                                        .build()))
                .isTrue();
    }

    @Test
    void aLeaseThatExpiresWhileItsHoldersSlowRefreshRunsEndsWithOneRefreshTokenUse() throws Exception {
        seed("rt-seed", Instant.now().minusSeconds(5));
        // The provider answers after 1.5 s; the lease lives 1 s. (Real time: lease expiry is the database's.)
        endpoint.delayMillis(1_500);
        TokenManager a = manager("instance-a", Duration.ofSeconds(1));
        TokenManager b = manager("instance-b", Duration.ofSeconds(1));

        CompletableFuture<Credential> first = CompletableFuture.supplyAsync(() -> a.current("crm"));
        for (int i = 0; i < 10_000 && endpoint.requests() == 0; i++) {
            Thread.sleep(1); // until A's refresh is in flight
        }
        assertThat(endpoint.requests()).isEqualTo(1);
        Credential second = b.current("crm"); // B finds the lease taken, and must not take it over
        Credential firstResult = first.get(30, TimeUnit.SECONDS);

        assertThat(endpoint.uses("rt-seed")).isEqualTo(1);
        assertThat(endpoint.reused()).isEmpty();
        assertThat(second).isEqualTo(firstResult);
        Credential stored = instanceStore().load("crm").orElseThrow();
        assertThat(stored).isEqualTo(firstResult);
        assertThat(endpoint.isCurrent(stored.refreshToken().orElseThrow())).isTrue();
    }

    private TokenManager manager(String id, Duration leaseTtl) {
        return TokenManager.builder(endpoint.client(), instanceStore())
                .sharedStore(true)
                .instanceId(id)
                .lease(leaseTtl, Duration.ofMillis(50), Duration.ofSeconds(20))
                .sleeper(Sleeper.system())
                .build();
    }

    @Test
    void aNewerVersionThatAnotherWriterCommitsDuringTheRefreshWinsAndIsNotOverwritten() throws Exception {
        seed("rt-seed", Instant.now().minusSeconds(5));
        endpoint.holdAnswers();
        TokenManager a = manager("instance-a", Duration.ofSeconds(30));
        CompletableFuture<Credential> refreshing = CompletableFuture.supplyAsync(() -> a.current("crm"));
        for (int i = 0; i < 30_000 && endpoint.requests() == 0; i++) {
            Thread.sleep(1); // until A's refresh is at the token endpoint
        }
        assertThat(endpoint.requests()).isEqualTo(1);
        // Meanwhile another writer (a tool of the application, an instance without the lease) commits version 2.
        Credential other = Credential.builder("at-other")
                .refreshToken("rt-other")
                .expiresAt(Instant.now().plusSeconds(3600))
                .version(2)
                .build();
        assertThat(instanceStore().compareAndSet("crm", 1, other)).isTrue();
        endpoint.releaseAnswers();

        Credential got = refreshing.get(30, TimeUnit.SECONDS);

        assertThat(got.accessToken()).isEqualTo("at-other");
        Credential stored = instanceStore().load("crm").orElseThrow();
        assertThat(stored.accessToken()).isEqualTo("at-other");
        assertThat(stored.version()).isEqualTo(2);
        assertThat(a.current("crm").accessToken()).isEqualTo("at-other"); // A does not keep its own result either
        assertThat(endpoint.uses("rt-seed")).isEqualTo(1);
    }

    @Test
    void aDeadLeaseHolderDoesNotStallInstancesWhoseTokenIsStillValid() {
        seed("rt-seed", Instant.now().plusSeconds(60)); // inside the default 2-minute window
        // What a killed instance leaves behind: a lease that nobody renews or releases, for its whole ttl.
        assertThat(instanceStore().acquireLease("crm", "killed-instance", Duration.ofMinutes(10)))
                .isPresent();
        AtomicInteger waits = new AtomicInteger();
        TokenManager b = TokenManager.builder(endpoint.client(), instanceStore())
                .sharedStore(true)
                .instanceId("instance-b")
                .sleeper(d -> {
                    waits.incrementAndGet();
                    throw new AssertionError("waited for a dead holder's lease although the token is valid");
                })
                .build();

        for (int i = 0; i < 100; i++) {
            assertThat(b.current("crm").accessToken()).isEqualTo("at-seed");
        }
        assertThat(waits).hasValue(0);
        assertThat(endpoint.requests()).isZero();
    }

    @Test
    void aGrantRevokedAndAuthorizedAgainIsSeenRightByBothInstances() {
        seed("rt-revoked", Instant.now().minusSeconds(5));
        TokenStore storeOfA = instanceStore();
        TokenManager a = TokenManager.builder(endpoint.client(), storeOfA)
                .sharedStore(true)
                .instanceId("instance-a")
                .build();
        TokenManager b = TokenManager.builder(endpoint.client(), instanceStore())
                .sharedStore(true)
                .instanceId("instance-b")
                .build();
        // The user revoked the grant at the provider: A finds out and marks it in the store.
        endpoint.revokeGrantOf("rt-revoked");
        assertThatThrownBy(() -> a.current("crm")).isInstanceOf(ReauthorizationRequiredException.class);
        // B learns it from the store without spending the dead refresh token again.
        assertThatThrownBy(() -> b.refreshAfterRejection("crm", 1))
                .isInstanceOf(ReauthorizationRequiredException.class);
        assertThat(b.needsReauthorization("crm")).isTrue();
        assertThat(endpoint.uses("rt-revoked")).isEqualTo(1);

        // On B the user signs out and authorizes again: the new grant continues the versions, never 1 again.
        b.revoke("crm");
        Credential fresh = b.save(
                "crm",
                Credential.builder("at-fresh")
                        .refreshToken("rt-fresh")
                        .expiresAt(Instant.now().plusSeconds(3600))
                        .build());
        assertThat(fresh.version()).isEqualTo(2);

        // A's mark was for version 1: the new grant is served, not rejected.
        assertThat(a.current("crm").accessToken()).isEqualTo("at-fresh");
        assertThat(a.needsReauthorization("crm")).isFalse();
        assertThat(storeOfA.load("crm").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void tokensThatLiveThirtySecondsWithTheDefaultWindowAreRefreshedAHandfulOfTimesNotOnEveryCall() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        endpoint.expiresInSeconds(30);
        endpoint.grant("rt-seed");
        TokenStore store = TokenStore.inMemory(clock);
        store.compareAndSet(
                "crm",
                0,
                Credential.builder("at-seed")
                        .refreshToken("rt-seed")
                        .expiresAt(clock.instant().plusSeconds(30))
                        .build());
        TokenManager tokens = TokenManager.builder(endpoint.client(clock), store)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build(); // the default refresh window: 2 minutes

        for (int i = 0; i < 3_000; i++) { // five minutes of calls, one every 100 ms
            tokens.current("crm");
            clock.advance(Duration.ofMillis(100));
        }

        // Refreshed when half of the 30 s is left: about one refresh per 15 s, 20 in five minutes.
        assertThat(endpoint.requests()).isBetween(15, 25);
        assertThat(endpoint.reused()).isEmpty();
    }
}
