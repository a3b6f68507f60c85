package dev.switchboard.oauth;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.CredentialListener;
import dev.switchboard.core.auth.CredentialRefresher;
import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.auth.RefreshingCredentialSource;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.http.Backoff;
import dev.switchboard.core.time.Sleeper;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Hands out a valid access token per (connection, principal), and is the {@link CredentialSource}
 * to give {@code Switchboard.builder().credentialSource(...)}. It is a thin layer over core's
 * {@link RefreshingCredentialSource}, the one refresh implementation: single flight per key in this
 * JVM, the store's lease across instances ({@link Builder#sharedStore}), {@code compareAndSet} on the
 * version, a proactive refresh window, transient retries with backoff, and "reauthorization required"
 * raised once, audited, and then answered at once.
 *
 * <pre>{@code
 * TokenManager tokens = TokenManager.builder(oauthClient, tokenStore)
 *     .refreshWindow(Duration.ofMinutes(2))
 *     .auditSink(audit)
 *     .build();
 * String bearer = tokens.accessToken(connection, principal);
 * }</pre>
 *
 * <p><b>Rotation and crashes.</b> When the server returns a new refresh token, the new credential is
 * stored with {@code compareAndSet} before any caller sees the new access token. If the process dies
 * after the token response and before the store, the store still holds the old refresh token. For
 * providers that keep old refresh tokens valid (most; Salesforce, HubSpot) the next start simply
 * refreshes again. For providers that invalidate a refresh token on use (strict rotation, Slack with
 * token rotation, some OIDC servers with reuse detection) that refresh fails with {@code invalid_grant},
 * and the connection is marked as needing reauthorization: the user authorizes once more. No store can
 * avoid this window entirely; it is as short as one database write.
 */
public final class TokenManager implements CredentialSource {
    private final RefreshingCredentialSource source;
    private final TokenStore store;
    private final @Nullable OAuthClient client;

    private TokenManager(RefreshingCredentialSource source, TokenStore store, @Nullable OAuthClient client) {
        this.source = source;
        this.store = store;
        this.client = client;
    }

    /** A manager that refreshes through this OAuth client. */
    public static Builder builder(OAuthClient client, TokenStore store) {
        return new Builder(store, client.refresher(), client);
    }

    /** A manager over any refresher (API keys with a custom renewal, tests, benchmarks). */
    public static Builder builder(CredentialRefresher refresher, TokenStore store) {
        return new Builder(store, refresher, null);
    }

    /** The credential for this principal on this connection, refreshed first if it is about to expire. */
    public Credential credential(ConnectionConfig connection, Principal principal) {
        return current(connection.credentialKey(principal));
    }

    /** The access token for this principal on this connection. */
    public String accessToken(ConnectionConfig connection, Principal principal) {
        return credential(connection, principal).accessToken();
    }

    @Override
    public Credential current(String key) {
        return source.current(key);
    }

    @Override
    public Credential refreshAfterRejection(String key, long rejectedVersion) {
        return source.refreshAfterRejection(key, rejectedVersion);
    }

    /** Credential events (refreshes, revoked grants) reach the listener; a Switchboard audits them to its sink. */
    @Override
    public void addListener(dev.switchboard.core.auth.CredentialListener listener) {
        source.addListener(listener);
    }

    @Override
    public void removeListener(dev.switchboard.core.auth.CredentialListener listener) {
        source.removeListener(listener);
    }

    /**
     * Checks the callback, exchanges the code and stores the credential for {@code key} (replacing a
     * previous grant and clearing a reauthorization mark).
     */
    public Credential authorize(String key, PendingAuthorization pending, URI callback) {
        return save(key, requireClient().exchange(pending, callback));
    }

    /** Stores a credential obtained elsewhere as the next version for {@code key}. */
    public Credential save(String key, Credential credential) {
        return source.save(key, credential);
    }

    /**
     * Revokes the grant at the provider (RFC 7009) and deletes it from the store. A later call for this
     * key gets "reauthorization required".
     */
    public void revoke(String key) {
        store.load(key).ifPresent(c -> requireClient().revoke(c));
        store.delete(key);
        source.forget(key);
    }

    /** Whether the grant for {@code key} is known to be gone until the user authorizes again. */
    public boolean needsReauthorization(String key) {
        return source.needsReauthorization(key);
    }

    private OAuthClient requireClient() {
        if (client == null) {
            throw new IllegalStateException("this TokenManager was built without an OAuthClient");
        }
        return client;
    }

    @Override
    public String toString() {
        return "TokenManager[" + store + "]";
    }

    /** Builds a {@link TokenManager}. */
    public static final class Builder {
        private final TokenStore store;
        private final RefreshingCredentialSource.Builder source;
        private final @Nullable OAuthClient client;
        private @Nullable String instanceId;
        private Duration leaseTtl = Duration.ofSeconds(30);
        private boolean shared;
        private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
        private Duration backoffBase = Duration.ofMillis(250);
        private Duration backoffCap = Duration.ofSeconds(5);

        private Builder(TokenStore store, CredentialRefresher refresher, @Nullable OAuthClient client) {
            this.store = Objects.requireNonNull(store);
            this.client = client;
            this.source = RefreshingCredentialSource.builder(store, refresher).refreshWindow(Duration.ofMinutes(2));
        }

        /**
         * Refresh tokens that expire within this window before handing them out (default 2 minutes); for tokens
         * that live less than twice the window, half their lifetime instead.
         */
        public Builder refreshWindow(Duration window) {
            source.refreshWindow(window);
            return this;
        }

        /** Attempts at the token endpoint per refresh when it fails transiently (default 3). */
        public Builder maxAttempts(int attempts) {
            source.maxAttempts(attempts);
            return this;
        }

        /** Backoff between attempts: full jitter from {@code base}, doubling, up to {@code cap}. */
        public Builder backoff(Duration base, Duration cap) {
            this.backoffBase = base;
            this.backoffCap = cap;
            return this;
        }

        /**
         * Several application instances share this store (JDBC on PostgreSQL): take the store's refresh
         * lease before refreshing so that exactly one instance calls the token endpoint.
         */
        public Builder sharedStore(boolean shared) {
            this.shared = shared;
            return this;
        }

        /**
         * Names this instance in the store's lease records (default {@code instance}); a suffix unique to this
         * manager is added, so instances given the same id still exclude each other.
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /**
         * Lease ttl (default 30 s; the holder renews it every third of the ttl while it refreshes, so a slow token
         * endpoint keeps it, and a dead holder's lease is taken over after the ttl), how often a waiting instance
         * re-reads the store, and how long a caller whose token has expired waits in all (null: twice the ttl).
         * Callers whose token is still valid never wait for another instance's refresh.
         */
        public Builder lease(Duration ttl, Duration poll, @Nullable Duration totalWait) {
            this.leaseTtl = ttl;
            source.leaseWait(poll, totalWait);
            return this;
        }

        public Builder clock(Clock clock) {
            source.clock(clock);
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            source.sleeper(sleeper);
            return this;
        }

        /**
         * Where backoff jitter is drawn from: {@code random.get()} on the waiting thread, once per wait.
         * {@code ThreadLocalRandom::current} by default; a seeded (thread-safe) generator in tests.
         */
        public Builder random(Supplier<RandomGenerator> random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public Builder meters(MeterRegistry meters) {
            source.meters(meters);
            return this;
        }

        /** Audits "reauthorization required" as an {@code AUTH}/{@code FAILED} event. */
        public Builder auditSink(AuditSink audit) {
            source.auditSink(audit);
            return this;
        }

        /** Hears refreshes and "reauthorization required" (to notify the user, for instance). */
        public Builder listener(CredentialListener listener) {
            source.listener(listener);
            return this;
        }

        public TokenManager build() {
            source.backoff(new Backoff(backoffBase, backoffCap, random));
            if (shared) {
                source.lease(instanceId != null ? instanceId : "instance", leaseTtl);
            }
            return new TokenManager(source.build(), store, client);
        }
    }
}
