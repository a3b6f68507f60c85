package dev.switchboard.core.auth;

import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.http.Backoff;
import dev.switchboard.core.http.Redaction;
import dev.switchboard.core.time.Sleeper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where credentials are refreshed. A {@link CredentialSource} over a {@link TokenStore}
 * that replaces credentials with a {@link CredentialRefresher}:
 *
 * <ul>
 *   <li><b>Single flight in one JVM.</b> However many threads ask for the same key during a refresh,
 *       the first one refreshes and the others wait for its result (or its error).
 *   <li><b>Single flight across instances</b> (with {@link Builder#lease(String, Duration)}): the
 *       refreshing thread takes the store's refresh lease for the key, renews it before every attempt,
 *       and releases it when done; an instance that finds the lease taken waits for the new version
 *       to appear in the store, or for the lease to expire when its holder died.
 *   <li><b>Compare-and-set.</b> A replacement is stored with {@code compareAndSet} on the version
 *       before anyone uses it. When another writer won, the stored credential is returned instead.
 *       A failed refresh never changes the stored credential.
 *   <li><b>Proactive refresh</b> (with {@link Builder#refreshWindow(Duration)}): {@link #current}
 *       refreshes a credential that expires within the window, so a token never expires in the middle
 *       of a retry loop; if the token endpoint fails while the old token is still valid, the old one is
 *       handed out and a later call tries again.
 *   <li><b>Transient failures</b> ({@link TransientException}) are retried with {@link Backoff} and
 *       the injected {@link Sleeper}, at most {@link Builder#maxAttempts(int)} times, and for a
 *       proactive refresh only while the current token stays valid.
 *   <li><b>Revoked grants.</b> A {@link ReauthorizationRequiredException} from the refresher first
 *       re-reads the store: when another instance already rotated the refresh token, its credential is
 *       used. Otherwise the key is marked as needing reauthorization, the {@link CredentialListener}
 *       and the {@link AuditSink} are told, and every caller gets the exception at once, without a
 *       retry, until a new credential is stored.
 * </ul>
 */
public final class RefreshingCredentialSource implements CredentialSource {
    private static final Logger log = LoggerFactory.getLogger(RefreshingCredentialSource.class);
    private static final String COMPONENT = "credentials";

    private enum Trigger {
        EXPIRING,
        REJECTED
    }

    private final TokenStore store;
    private final CredentialRefresher refresher;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final int maxAttempts;
    private final @Nullable Duration refreshWindow;
    private final @Nullable String leaseOwner;
    private final Duration leaseTtl;
    private final Duration leasePoll;
    private final Duration leaseWait;
    private final @Nullable AuditSink audit;
    private final CredentialListener listener;
    private final java.util.concurrent.CopyOnWriteArrayList<CredentialListener> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final boolean cache;
    private final boolean markRevoked;
    private final ConcurrentHashMap<String, CompletableFuture<Credential>> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> needsReauthorization = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Credential> cached = new ConcurrentHashMap<>();

    private RefreshingCredentialSource(Builder b) {
        this.store = b.store;
        this.refresher = b.refresher;
        this.meters = b.meters;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.backoff = b.backoff != null
                ? b.backoff
                : new Backoff(
                        Duration.ofMillis(200),
                        Duration.ofSeconds(5),
                        ThreadLocalRandom::current); // drawn on the waiting thread, never one shared generator
        this.maxAttempts = b.maxAttempts;
        this.refreshWindow = b.refreshWindow;
        this.leaseOwner = b.leaseOwner;
        this.leaseTtl = b.leaseTtl;
        this.leasePoll = b.leasePoll;
        this.leaseWait =
                b.leaseWait != null ? b.leaseWait : b.leaseTtl.multipliedBy(2).plus(b.leasePoll);
        this.audit = b.audit;
        this.listener = b.listener;
        this.cache = b.cache;
        this.markRevoked = b.markRevoked;
    }

    /**
     * A source that refreshes only after a rejection, tries the refresher once, keeps no cache and
     * takes no lease, and does not remember revoked grants: {@code builder(store, refresher).meters(meters)
     * .refreshWindow(null).maxAttempts(1).cacheCredentials(false).rememberRevokedGrants(false).build()}.
     *
     * @param store where credentials live
     * @param refresher how a rejected credential is replaced
     * @param meters where {@code switchboard.credential.refreshes} is counted
     */
    public static RefreshingCredentialSource of(TokenStore store, CredentialRefresher refresher, MeterRegistry meters) {
        return builder(store, refresher)
                .meters(meters)
                .refreshWindow(null)
                .maxAttempts(1)
                .cacheCredentials(false)
                .rememberRevokedGrants(false)
                .build();
    }

    /** A source that never refreshes: a rejection means the user must authorize again. */
    public static RefreshingCredentialSource withoutRefresh(TokenStore store) {
        return of(
                store,
                (key, current) -> {
                    throw new ReauthorizationRequiredException(
                            COMPONENT,
                            "refresh",
                            "the credential for '" + key
                                    + "' was rejected and this connection has no way to refresh it");
                },
                new CompositeMeterRegistry());
    }

    /**
     * A builder with these defaults: refresh window 60 s, 3 attempts with backoff 200 ms doubling to
     * 5 s (full jitter), system clock and sleeper, credentials cached in memory between refreshes, no
     * lease (one instance), no audit, a private meter registry.
     */
    public static Builder builder(TokenStore store, CredentialRefresher refresher) {
        return new Builder(store, refresher);
    }

    @Override
    public Credential current(String key) {
        Credential c = known(key);
        Long marked = needsReauthorization.get(key);
        if (marked != null && marked == c.version()) {
            c = reload(key); // authorized again, perhaps by another instance?
            if (c.version() == marked) {
                throw reauthorizationRequired(key, null);
            }
        }
        if (refreshWindow != null && c.refreshToken().isPresent() && c.expiresWithin(refreshWindow, clock.instant())) {
            return singleFlight(key, c.version(), Trigger.EXPIRING);
        }
        return c;
    }

    @Override
    public void addListener(CredentialListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(CredentialListener listener) {
        listeners.remove(listener);
    }

    private List<CredentialListener> allListeners() {
        List<CredentialListener> all = new java.util.ArrayList<>(listeners.size() + 1);
        all.add(listener);
        all.addAll(listeners);
        return all;
    }

    /** A stored refresh is done: a listener that throws must not turn it into an error. */
    private void notifyRefreshed(String key, long version) {
        for (CredentialListener l : allListeners()) {
            try {
                l.refreshed(key, version);
            } catch (RuntimeException e) {
                log.warn("Credential listener failed on '{}': {}", key, safe(e));
            }
        }
    }

    @Override
    public Credential refreshAfterRejection(String key, long rejectedVersion) {
        Credential known = cache ? cached.get(key) : null;
        if (known != null && known.version() > rejectedVersion) {
            return known;
        }
        Credential stored = reload(key);
        if (stored.version() != rejectedVersion) {
            return stored; // someone already replaced the rejected version
        }
        Long marked = needsReauthorization.get(key);
        if (marked != null && marked == rejectedVersion) {
            throw reauthorizationRequired(key, null);
        }
        return singleFlight(key, rejectedVersion, Trigger.REJECTED);
    }

    /**
     * Stores a newly authorized credential for {@code key} as the next version (after an
     * authorization-code exchange, for instance), replacing whatever is stored, and clears a
     * reauthorization mark. Returns the credential as stored.
     */
    public Credential save(String key, Credential authorized) {
        while (true) {
            long current = store.load(key).map(Credential::version).orElse(0L);
            Credential next = authorized.withVersion(current + 1);
            if (store.compareAndSet(key, current, next)) {
                needsReauthorization.remove(key);
                remember(key, next);
                log.info("Stored a new authorization for '{}' as version {}", key, next.version());
                return next;
            }
        }
    }

    /** Forgets the cached credential and the reauthorization mark of {@code key} (after a revocation). */
    public void forget(String key) {
        cached.remove(key);
        needsReauthorization.remove(key);
    }

    /** Whether {@code key} is known to need the user to authorize again. */
    public boolean needsReauthorization(String key) {
        return needsReauthorization.containsKey(key);
    }

    private Credential known(String key) {
        if (cache) {
            Credential c = cached.get(key);
            if (c != null) {
                return c;
            }
        }
        return reload(key);
    }

    private Credential reload(String key) {
        Credential c = store.load(key)
                .orElseThrow(() -> new ReauthorizationRequiredException(
                        COMPONENT,
                        "load",
                        "no credential is stored for '" + key + "': run the authorization flow for this connection"));
        remember(key, c);
        return c;
    }

    private void remember(String key, Credential c) {
        if (cache) {
            cached.merge(key, c, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
        }
    }

    private Credential singleFlight(String key, long version, Trigger trigger) {
        CompletableFuture<Credential> mine = new CompletableFuture<>();
        CompletableFuture<Credential> flight = inFlight.putIfAbsent(key, mine);
        if (flight == null) {
            try {
                mine.complete(refreshOnce(key, version, trigger));
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
            } finally {
                inFlight.remove(key, mine);
            }
            flight = mine;
        }
        try {
            return flight.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private Credential refreshOnce(String key, long version, Trigger trigger) {
        Credential stored = reload(key);
        if (stored.version() != version) {
            return stored;
        }
        return leaseOwner == null ? refreshAndStore(key, stored, trigger) : refreshUnderLease(key, stored, trigger);
    }

    private Credential refreshUnderLease(String key, Credential stored, Trigger trigger) {
        String owner = Objects.requireNonNull(leaseOwner);
        Instant giveUpAt = clock.instant().plus(leaseWait);
        boolean waited = false;
        while (true) {
            if (store.tryLease(key, owner, leaseTtl)) {
                try {
                    Credential now = reload(key); // the previous holder may have finished just before we took it
                    if (now.version() != stored.version()) {
                        return now;
                    }
                    if (waited) {
                        log.info("Took over the refresh lease of '{}' after it expired", key);
                    }
                    return refreshAndStore(key, now, trigger);
                } finally {
                    store.releaseLease(key, owner);
                }
            }
            waited = true;
            if (!clock.instant().isBefore(giveUpAt)) {
                return giveUp(
                        key,
                        stored,
                        trigger,
                        new TransientException(
                                COMPONENT,
                                "token-refresh",
                                "another instance holds the refresh lease for '" + key
                                        + "' and has not stored a new credential within " + leaseWait
                                        + "; try again shortly",
                                null));
            }
            sleep(leasePoll);
            Credential now = reload(key);
            if (now.version() != stored.version()) {
                meters.counter("switchboard.credential.refreshes", "outcome", "by-other-instance")
                        .increment();
                return now;
            }
        }
    }

    private Credential refreshAndStore(String key, Credential stored, Trigger trigger) {
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1 && leaseOwner != null && !store.renewLease(key, leaseOwner, leaseTtl)) {
                Credential now = reload(key);
                if (now.version() != stored.version()) {
                    return now;
                }
                if (!store.tryLease(key, leaseOwner, leaseTtl)) {
                    return giveUp(
                            key,
                            stored,
                            trigger,
                            new TransientException(
                                    COMPONENT,
                                    "token-refresh",
                                    "lost the refresh lease for '" + key
                                            + "' to another instance while retrying; try again shortly",
                                    null));
                }
            }
            Credential fetched;
            try {
                fetched = refresher.refresh(key, stored);
            } catch (ReauthorizationRequiredException e) {
                Credential now = reload(key);
                if (now.version() != stored.version()) {
                    // Our refresh token was stale: another instance rotated it and stored the result.
                    meters.counter("switchboard.credential.refreshes", "outcome", "superseded")
                            .increment();
                    return now;
                }
                meters.counter("switchboard.credential.refreshes", "outcome", "reauthorization-required")
                        .increment();
                if (markRevoked) {
                    markNeedsReauthorization(key, stored.version(), e);
                }
                throw e;
            } catch (TransientException e) {
                meters.counter("switchboard.credential.refreshes", "outcome", "failed")
                        .increment();
                Credential now = reload(key);
                if (now.version() != stored.version()) {
                    return now;
                }
                Duration delay = backoff.delay(attempt);
                boolean stillValidAfterWait = trigger == Trigger.EXPIRING
                        && stored.expiresAt()
                                .map(exp -> clock.instant().plus(delay).isBefore(exp))
                                .orElse(true);
                boolean mayRetry = attempt < maxAttempts
                        && (trigger == Trigger.REJECTED || stillValidAfterWait || isExpired(stored));
                log.warn(
                        "Refresh of credential '{}' version {} failed (attempt {} of {}): {}",
                        key,
                        stored.version(),
                        attempt,
                        maxAttempts,
                        safe(e));
                if (!mayRetry) {
                    return giveUp(key, stored, trigger, e);
                }
                sleep(delay);
                continue;
            } catch (RuntimeException e) {
                meters.counter("switchboard.credential.refreshes", "outcome", "failed")
                        .increment();
                log.warn("Refresh of credential '{}' version {} failed: {}", key, stored.version(), safe(e));
                return giveUp(key, stored, trigger, e);
            }
            Credential next = fetched.withVersion(stored.version() + 1);
            if (store.compareAndSet(key, stored.version(), next)) {
                remember(key, next);
                meters.counter("switchboard.credential.refreshes", "outcome", "refreshed")
                        .increment();
                log.info("Refreshed credential '{}' to version {}", key, next.version());
                notifyRefreshed(key, next.version());
                return next;
            }
            // Another writer (another instance) stored a newer credential first: use theirs.
            meters.counter("switchboard.credential.refreshes", "outcome", "superseded")
                    .increment();
            return reload(key);
        }
    }

    private boolean isExpired(Credential c) {
        return c.expiresAt().map(exp -> !clock.instant().isBefore(exp)).orElse(false);
    }

    /** A proactive refresh that failed while the old token is still valid hands out the old token. */
    private Credential giveUp(String key, Credential stored, Trigger trigger, RuntimeException e) {
        if (trigger == Trigger.EXPIRING && !isExpired(stored)) {
            log.warn(
                    "Using credential '{}' version {} until it expires; the proactive refresh will be tried again",
                    key,
                    stored.version());
            return stored;
        }
        throw e;
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(COMPONENT, "token-refresh", "interrupted while waiting to refresh", e);
        }
    }

    private void markNeedsReauthorization(String key, long version, ReauthorizationRequiredException cause) {
        if (needsReauthorization.put(key, version) != null) {
            return;
        }
        String reason = cause.getMessage() == null ? "the grant was rejected" : Redaction.message(cause.getMessage());
        log.warn("Credential '{}' version {} needs reauthorization: {}", key, version, reason);
        for (CredentialListener l : allListeners()) {
            try {
                l.reauthorizationRequired(key, version, reason);
            } catch (RuntimeException e) {
                log.warn("Credential listener failed on '{}': {}", key, safe(e));
            }
        }
        if (audit != null) {
            String[] parts = key.split("/", 3);
            audit.record(AuditEvent.builder(clock.instant(), AuditEvent.Kind.AUTH, AuditEvent.Outcome.FAILED)
                    .connection(parts[0])
                    .operation("token-refresh")
                    .principal(parts.length == 3 ? parts[1] : "-", parts.length == 3 ? parts[2] : "-")
                    .detail("reauthorization required: " + reason)
                    .build());
        }
    }

    private ReauthorizationRequiredException reauthorizationRequired(String key, @Nullable Throwable cause) {
        return new ReauthorizationRequiredException(
                COMPONENT,
                "token-refresh",
                "the grant for '" + key
                        + "' was revoked or has expired: ask the user to authorize this connection again",
                cause);
    }

    /** Builds a {@link RefreshingCredentialSource}. */
    public static final class Builder {
        private final TokenStore store;
        private final CredentialRefresher refresher;
        private MeterRegistry meters = new CompositeMeterRegistry();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private @Nullable Backoff backoff;
        private int maxAttempts = 3;
        private @Nullable Duration refreshWindow = Duration.ofSeconds(60);
        private @Nullable String leaseOwner;
        private Duration leaseTtl = Duration.ofSeconds(30);
        private Duration leasePoll = Duration.ofMillis(100);
        private @Nullable Duration leaseWait;
        private @Nullable AuditSink audit;
        private CredentialListener listener = CredentialListener.NONE;
        private boolean cache = true;
        private boolean markRevoked = true;

        private Builder(TokenStore store, CredentialRefresher refresher) {
            this.store = Objects.requireNonNull(store, "store");
            this.refresher = Objects.requireNonNull(refresher, "refresher");
        }

        /** Where {@code switchboard.credential.refreshes} (tagged by outcome) is counted. */
        public Builder meters(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters);
            return this;
        }

        /** The clock that decides expiry; also stamps audit events. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Waits between attempts and while another instance holds the lease. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        /** The wait before each retry of a transient failure. */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff);
            return this;
        }

        /** Attempts at the token endpoint per refresh, at least 1. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Refresh in {@link #current} a refreshable credential that expires within this window; {@code null}
         * refreshes only after a rejection.
         */
        public Builder refreshWindow(@Nullable Duration refreshWindow) {
            if (refreshWindow != null && refreshWindow.isNegative()) {
                throw new IllegalArgumentException("refresh window must not be negative: " + refreshWindow);
            }
            this.refreshWindow = refreshWindow;
            return this;
        }

        /**
         * Takes the store's refresh lease as {@code owner} (unique per instance) before refreshing, so
         * instances sharing the store refresh once. {@code ttl} must be longer than one token-endpoint
         * call with its timeouts: the lease is renewed before every attempt.
         */
        public Builder lease(String owner, Duration ttl) {
            if (owner.isBlank() || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("lease needs an owner id and a positive ttl");
            }
            this.leaseOwner = owner;
            this.leaseTtl = ttl;
            return this;
        }

        /**
         * How often an instance that found the lease taken re-reads the store, and how long it waits in
         * all before giving up with a {@link TransientException} (default: twice the ttl and one poll,
         * so a dead holder's lease expires and is taken over first).
         */
        public Builder leaseWait(Duration poll, @Nullable Duration total) {
            this.leasePoll = Objects.requireNonNull(poll);
            this.leaseWait = total;
            return this;
        }

        /** Records an {@link AuditEvent.Kind#AUTH} event when a grant needs reauthorization. */
        public Builder auditSink(@Nullable AuditSink audit) {
            this.audit = audit;
            return this;
        }

        public Builder listener(CredentialListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Whether to keep the last credential per key in memory, so the hot path does not read the store
         * (default true). The store is re-read before every refresh and after every rejection, so a credential
         * rotated by another instance is picked up then.
         */
        public Builder cacheCredentials(boolean cache) {
            this.cache = cache;
            return this;
        }

        /**
         * Whether a grant the refresher reported as gone is remembered, so later calls fail at once
         * without asking the token endpoint again, and the listener and audit sink are told (default true).
         */
        public Builder rememberRevokedGrants(boolean remember) {
            this.markRevoked = remember;
            return this;
        }

        public RefreshingCredentialSource build() {
            return new RefreshingCredentialSource(this);
        }
    }

    /** A refresher's failure as it may be logged: the refresher is third-party code and may quote secrets. */
    private static String safe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + Redaction.message(String.valueOf(e.getMessage()));
    }
}
