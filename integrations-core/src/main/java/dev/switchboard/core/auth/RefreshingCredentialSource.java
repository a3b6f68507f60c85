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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where credentials are refreshed. A {@link CredentialSource} over a {@link TokenStore}
 * that replaces credentials with a {@link CredentialRefresher}:
 *
 * <ul>
 *   <li><b>Single flight in one JVM.</b> However many threads ask for the same key during a refresh,
 *       the first one refreshes and the others wait for its result (or its error), at most
 *       {@link Builder#leaseWait the wait bound}, and an interrupted waiter stops waiting at once. A caller whose
 *       token is still valid does not wait for a proactive refresh at all: it gets its token. A caller that joined a
 *       refresh of an older version than the one it needs replaced checks what it got, and refreshes again if that is
 *       not newer.
 *   <li><b>Single flight across instances</b> (with {@link Builder#lease(String, Duration)}): the
 *       refreshing thread takes the store's refresh lease for the key, keeps it alive while it holds it (renewed every
 *       third of its ttl, from a background thread, also while the token endpoint call runs), stores the result with a
 *       write the store fences by that lease, and releases it. An instance that finds the lease taken hands out its
 *       current token at once while that token is still valid; otherwise it waits, a bounded time, for the new version
 *       to appear in the store, or for the lease to expire when its holder died. Lease owners are unique per source
 *       by construction, whatever id they are given.
 *   <li><b>Compare-and-set, fenced.</b> A replacement is stored with {@code compareAndSet} on the version
 *       before anyone uses it, fenced by the lease when one is held: a refresh that outlived its lease never
 *       overwrites what the lease's next holder stores. When another writer won, the stored credential is returned
 *       instead. A failed refresh never changes the stored credential.
 *   <li><b>A refreshed credential is never thrown away.</b> When the store fails while the replacement is written,
 *       the write is retried with backoff (the lease kept alive meanwhile); a write that committed although its
 *       answer was lost is recognized by reading the store back. If it cannot be stored, the callers get it anyway,
 *       this instance keeps using it and stores it at its next use, and an error is logged.
 *   <li><b>Proactive refresh</b> (with {@link Builder#refreshWindow(Duration)}): {@link #current}
 *       refreshes a credential that expires within the window, so a token never expires in the middle
 *       of a retry loop; if the token endpoint fails while the old token is still valid, the old one is
 *       handed out and a later call tries again. The window is at most half the credential's lifetime
 *       ({@link Credential#lifetime()}), so short-lived tokens are not refreshed on every call.
 *   <li><b>Transient failures</b> ({@link TransientException}) are retried with {@link Backoff} and
 *       the injected {@link Sleeper}, at most {@link Builder#maxAttempts(int)} times, and for a
 *       proactive refresh only while the current token stays valid.
 *   <li><b>Revoked grants.</b> A {@link ReauthorizationRequiredException} from the refresher first
 *       re-reads the store: when another instance already rotated the refresh token, its credential is
 *       used. Otherwise the version is marked as needing reauthorization in the store (so every instance sharing
 *       it learns it without spending the dead refresh token again) and in memory; the {@link CredentialListener}
 *       and the {@link AuditSink} of the instance that marked it are told; and every caller gets the exception at
 *       once, without a retry, until a new credential is stored. Versions never repeat for a key
 *       ({@link TokenStore#lastVersion}), so a new grant is never mistaken for the revoked one.
 * </ul>
 */
public final class RefreshingCredentialSource implements CredentialSource {
    private static final Logger log = LoggerFactory.getLogger(RefreshingCredentialSource.class);
    private static final String COMPONENT = "credentials";
    private static final String METER = "switchboard.credential.refreshes";
    /** Rounds a caller refreshes again after joining refreshes of older versions, before it takes what it got. */
    private static final int JOIN_ROUNDS = 3;

    private enum Trigger {
        EXPIRING,
        REJECTED
    }

    /** A refresh in progress in this JVM, of {@code version}. */
    private record Flight(long version, CompletableFuture<Credential> result) {}

    private final TokenStore store;
    private final CredentialRefresher refresher;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final int maxAttempts;
    private final int storeAttempts;
    private final @Nullable Duration refreshWindow;
    private final @Nullable String leaseOwner;
    private final Duration leaseTtl;
    private final Duration leasePoll;
    private final Duration leaseWait;
    private final @Nullable AuditSink audit;
    private final CredentialListener listener;
    private final CopyOnWriteArrayList<CredentialListener> listeners = new CopyOnWriteArrayList<>();
    private final boolean cache;
    private final boolean markRevoked;
    private final ConcurrentHashMap<String, Flight> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> needsReauthorization = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Credential> cached = new ConcurrentHashMap<>();
    /** Refreshed credentials the store could not take yet: stored at the key's next reload. */
    private final ConcurrentHashMap<String, Credential> unpersisted = new ConcurrentHashMap<>();
    /** Until when another instance was last seen holding a key's lease (valid tokens are handed out meanwhile). */
    private final ConcurrentHashMap<String, Instant> leaseBusyUntil = new ConcurrentHashMap<>();

    private final AtomicBoolean windowBoundLogged = new AtomicBoolean();

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
        this.storeAttempts = b.storeAttempts;
        this.refreshWindow = b.refreshWindow;
        // Unique per source by construction: two instances given the same id must still exclude each other.
        this.leaseOwner = b.leaseOwner == null ? null : b.leaseOwner + "/" + UUID.randomUUID();
        this.leaseTtl = b.leaseTtl;
        this.leasePoll = b.leasePoll;
        this.leaseWait =
                b.leaseWait != null ? b.leaseWait : b.leaseTtl.multipliedBy(2).plus(b.leasePoll);
        this.audit = b.audit;
        this.listener = b.listener;
        this.cache = b.cache;
        this.markRevoked = b.markRevoked;
        if (leaseOwner != null && !store.fencesWrites()) {
            log.warn(
                    "The token store {} does not fence writes by the refresh lease: a refresh that outlives its lease"
                            + " may overwrite what the lease's next holder stores",
                    store);
        }
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
     * 5 s (full jitter), 5 attempts to store a refreshed credential, system clock and sleeper, credentials cached in
     * memory between refreshes, no lease (one instance), no audit, a private meter registry.
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
        Instant now = clock.instant();
        if (refreshWindow != null && c.refreshToken().isPresent() && c.expiresWithin(windowFor(key, c), now)) {
            if (!isExpired(c) && (inFlight.containsKey(key) || leaseHeldElsewhere(key, now))) {
                return c; // another thread or instance is refreshing, and this token is still valid
            }
            return singleFlight(key, c, Trigger.EXPIRING);
        }
        return c;
    }

    private boolean leaseHeldElsewhere(String key, Instant now) {
        Instant until = leaseBusyUntil.get(key);
        return until != null && now.isBefore(until);
    }

    /** The refresh window for {@code c}: the configured one, at most half the credential's lifetime. */
    private Duration windowFor(String key, Credential c) {
        Duration window = Objects.requireNonNull(refreshWindow);
        Optional<Duration> lifetime = c.lifetime();
        if (lifetime.isPresent() && !lifetime.get().isNegative()) {
            Duration half = lifetime.get().dividedBy(2);
            if (half.compareTo(window) < 0) {
                if (windowBoundLogged.compareAndSet(false, true)) {
                    log.warn(
                            "The refresh window {} is wider than half the lifetime ({}) of the credentials of '{}':"
                                    + " such credentials are refreshed when half their lifetime is left instead"
                                    + " (said once)",
                            window,
                            lifetime.get(),
                            key);
                }
                return half;
            }
        }
        return window;
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
        List<CredentialListener> all = new ArrayList<>(listeners.size() + 1);
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
        return singleFlight(key, stored, Trigger.REJECTED);
    }

    /**
     * Stores a newly authorized credential for {@code key} as the next version (after an
     * authorization-code exchange, for instance), replacing whatever is stored, and clears a
     * reauthorization mark. The version continues from the key's last one, also after a revocation deleted it.
     * Returns the credential as stored.
     */
    public Credential save(String key, Credential authorized) {
        while (true) {
            long last = store.lastVersion(key);
            Credential next = authorized
                    .newBuilder()
                    .version(last + 1)
                    .issuedAt(authorized.issuedAt().orElse(clock.instant()))
                    .build();
            if (store.compareAndSet(key, last, next)) {
                needsReauthorization.remove(key);
                unpersisted.remove(key);
                if (cache) {
                    cached.put(key, next);
                }
                log.info("Stored a new authorization for '{}' as version {}", key, next.version());
                return next;
            }
        }
    }

    /** Forgets the cached credential and the reauthorization mark of {@code key} (after a revocation). */
    public void forget(String key) {
        cached.remove(key);
        needsReauthorization.remove(key);
        unpersisted.remove(key);
    }

    /**
     * Whether the credential stored for {@code key} is known to need the user to authorize again: marked by this
     * instance, or by any instance sharing the store.
     */
    public boolean needsReauthorization(String key) {
        Optional<Credential> stored = store.load(key);
        if (stored.isEmpty()) {
            return false;
        }
        long version = stored.get().version();
        Long marked = needsReauthorization.get(key);
        return (marked != null && marked == version) || (markRevoked && store.needsReauthorization(key, version));
    }

    /** The owner id this source takes leases as (the configured id and a suffix unique to this source). */
    @Nullable
    String leaseOwner() {
        return leaseOwner;
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
        Credential pending = unpersisted.get(key);
        if (pending != null) {
            c = storeLate(key, c, pending);
        }
        remember(key, c);
        return c;
    }

    /** A refreshed credential the store could not take when it was fetched: stored now, if nothing replaced it. */
    private Credential storeLate(String key, Credential stored, Credential pending) {
        if (stored.version() != pending.version() - 1) {
            unpersisted.remove(key, pending); // the store moved on without it
            return stored;
        }
        try {
            if (store.compareAndSet(key, stored.version(), pending)) {
                unpersisted.remove(key, pending);
                log.info("Stored the refreshed credential '{}' version {} late", key, pending.version());
                notifyRefreshed(key, pending.version());
                return pending;
            }
            unpersisted.remove(key, pending);
            return store.load(key).orElse(stored);
        } catch (RuntimeException e) {
            log.warn(
                    "The refreshed credential '{}' version {} still cannot be stored: {}",
                    key,
                    pending.version(),
                    safe(e));
            return pending;
        }
    }

    private void remember(String key, Credential c) {
        if (cache) {
            cached.merge(key, c, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
        }
    }

    private Credential singleFlight(String key, Credential seen, Trigger trigger) {
        long version = seen.version();
        for (int round = 1; ; round++) {
            Flight mine = new Flight(version, new CompletableFuture<>());
            Flight flight = inFlight.putIfAbsent(key, mine);
            if (flight == null) {
                Credential refreshed = null;
                Throwable failure = null;
                try {
                    refreshed = refreshOnce(key, version, trigger);
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    // Gone before anyone wakes: a waiter that needs another refresh must start a new one.
                    inFlight.remove(key, mine);
                }
                if (refreshed != null) {
                    mine.result().complete(refreshed);
                } else {
                    mine.result().completeExceptionally(Objects.requireNonNull(failure));
                }
                flight = mine;
            }
            Credential got = await(key, flight, seen, trigger);
            if (flight == mine || got.version() > version || flight.version() >= version || round >= JOIN_ROUNDS) {
                return got;
            }
            // Joined a refresh of an older version, and what it got is not newer than the version to replace.
        }
    }

    /** The flight's result, waiting at most the wait bound, and no longer once this thread is interrupted. */
    private Credential await(String key, Flight flight, Credential seen, Trigger trigger) {
        try {
            return flight.result().get(leaseWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(
                    COMPONENT, "token-refresh", "interrupted while waiting for the refresh of '" + key + "'", e);
        } catch (TimeoutException e) {
            if (trigger == Trigger.EXPIRING && !isExpired(seen)) {
                return seen;
            }
            throw new TransientException(
                    COMPONENT,
                    "token-refresh",
                    "the refresh of '" + key + "' by another thread did not finish within " + leaseWait
                            + "; try again shortly",
                    null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e);
        }
    }

    private Credential refreshOnce(String key, long version, Trigger trigger) {
        Credential stored = reload(key);
        if (stored.version() != version) {
            return stored;
        }
        checkNotMarkedInStore(key, stored);
        return leaseOwner == null
                ? refreshAndStore(key, stored, trigger, null)
                : refreshUnderLease(key, stored, trigger, leaseOwner);
    }

    /** Another instance found this version's grant gone: fail without spending its refresh token again. */
    private void checkNotMarkedInStore(String key, Credential stored) {
        if (markRevoked && store.needsReauthorization(key, stored.version())) {
            needsReauthorization.put(key, stored.version());
            meters.counter(METER, "outcome", "reauthorization-required").increment();
            throw reauthorizationRequired(key, null);
        }
    }

    private Credential refreshUnderLease(String key, Credential stored, Trigger trigger, String owner) {
        Instant giveUpAt = clock.instant().plus(leaseWait);
        boolean waited = false;
        while (true) {
            Optional<TokenLease> taken = store.acquireLease(key, owner, leaseTtl);
            if (taken.isPresent()) {
                leaseBusyUntil.remove(key);
                try (HeldLease held = new HeldLease(taken.get())) {
                    Credential now = reload(key); // the previous holder may have finished just before we took it
                    if (now.version() != stored.version()) {
                        return now;
                    }
                    checkNotMarkedInStore(key, now);
                    if (waited) {
                        log.info("Took over the refresh lease of '{}' after it expired", key);
                    }
                    return refreshAndStore(key, now, trigger, held);
                }
            }
            if (trigger == Trigger.EXPIRING && !isExpired(stored)) {
                // Another instance is refreshing, or died holding the lease: the current token is still good.
                leaseBusyUntil.put(key, clock.instant().plus(leasePoll));
                return stored;
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
                meters.counter(METER, "outcome", "by-other-instance").increment();
                return now;
            }
        }
    }

    private Credential refreshAndStore(String key, Credential stored, Trigger trigger, @Nullable HeldLease held) {
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1 && held != null && !store.renewLease(held.lease(), leaseTtl)) {
                Credential now = reload(key);
                if (now.version() != stored.version()) {
                    return now;
                }
                Optional<TokenLease> again =
                        store.acquireLease(key, held.lease().owner(), leaseTtl);
                if (again.isEmpty()) {
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
                held.replace(again.get());
            }
            Credential fetched;
            try {
                fetched = refresher.refresh(key, stored);
            } catch (ReauthorizationRequiredException e) {
                Credential now = reload(key);
                if (now.version() != stored.version()) {
                    // Our refresh token was stale: another instance rotated it and stored the result.
                    meters.counter(METER, "outcome", "superseded").increment();
                    return now;
                }
                meters.counter(METER, "outcome", "reauthorization-required").increment();
                if (markRevoked) {
                    markNeedsReauthorization(key, stored.version(), e);
                }
                throw e;
            } catch (TransientException e) {
                meters.counter(METER, "outcome", "failed").increment();
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
                meters.counter(METER, "outcome", "failed").increment();
                log.warn("Refresh of credential '{}' version {} failed: {}", key, stored.version(), safe(e));
                return giveUp(key, stored, trigger, e);
            }
            return storeRefreshed(key, stored, next(fetched, stored), held);
        }
    }

    /** The fetched credential as the next version, stamped with when it was obtained unless the refresher did. */
    private Credential next(Credential fetched, Credential stored) {
        Credential.Builder b = fetched.newBuilder().version(stored.version() + 1);
        if (fetched.issuedAt().isEmpty() || fetched.issuedAt().equals(stored.issuedAt())) {
            b.issuedAt(clock.instant());
        }
        return b.build();
    }

    /**
     * Stores a fetched credential: the refresh token it replaced may already be spent, so it is not given up lightly.
     * A store failure is retried with backoff while the lease is kept alive; a write whose answer was lost is found
     * by reading back; a write fenced off because the lease was lost waits for the lease's new holder (or takes the
     * lease again when nobody holds it); a credential that cannot be stored is handed out from memory.
     */
    private Credential storeRefreshed(String key, Credential stored, Credential next, @Nullable HeldLease held) {
        long expected = stored.version();
        Instant waitUntil = clock.instant().plus(leaseWait);
        int failures = 0;
        while (true) {
            boolean written;
            try {
                written = held == null
                        ? store.compareAndSet(key, expected, next)
                        : store.compareAndSet(key, expected, next, held.lease());
            } catch (RuntimeException e) {
                failures++;
                log.warn(
                        "Storing the refreshed credential '{}' version {} failed (attempt {} of {}): {}",
                        key,
                        next.version(),
                        failures,
                        storeAttempts,
                        safe(e));
                Credential now = readBack(key);
                if (now != null && now.equals(next)) {
                    return stored(key, next); // it committed; only the answer was lost
                }
                if (now != null && now.version() != expected) {
                    return superseded(now);
                }
                if (failures >= storeAttempts) {
                    return keepUnpersisted(key, next, e);
                }
                sleep(backoff.delay(failures)); // the lease is renewed meanwhile
                continue;
            }
            if (written) {
                return stored(key, next);
            }
            Credential now = reload(key);
            if (now.equals(next)) {
                return stored(key, next); // an earlier attempt committed although its answer was lost
            }
            if (now.version() != expected || held == null) {
                return superseded(now); // another writer stored a newer version: it wins
            }
            // Refused although the version is unchanged: the lease expired or was taken over while we refreshed.
            Optional<TokenLease> again = store.acquireLease(key, held.lease().owner(), leaseTtl);
            if (again.isPresent()) {
                log.warn(
                        "The refresh lease of '{}' expired while its refresh ran; taken again to store the result",
                        key);
                held.replace(again.get());
                continue;
            }
            meters.counter(METER, "outcome", "fenced").increment();
            if (!clock.instant().isBefore(waitUntil)) {
                return keepUnpersisted(
                        key,
                        next,
                        new TransientException(
                                COMPONENT,
                                "token-refresh",
                                "another instance took over the refresh lease of '" + key + "' and stored nothing",
                                null));
            }
            log.warn(
                    "The refresh lease of '{}' was taken over while its refresh ran (the token endpoint call outlived"
                            + " the lease): waiting for the new holder's result instead of storing this one",
                    key);
            sleep(leasePoll);
        }
    }

    /** The stored credential after a failed write, or null when the store cannot be read either. */
    private @Nullable Credential readBack(String key) {
        try {
            return store.load(key).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Credential stored(String key, Credential next) {
        unpersisted.remove(key);
        remember(key, next);
        meters.counter(METER, "outcome", "refreshed").increment();
        log.info("Refreshed credential '{}' to version {}", key, next.version());
        notifyRefreshed(key, next.version());
        return next;
    }

    private Credential superseded(Credential now) {
        meters.counter(METER, "outcome", "superseded").increment();
        return now;
    }

    private Credential keepUnpersisted(String key, Credential next, RuntimeException cause) {
        meters.counter(METER, "outcome", "unpersisted").increment();
        log.error(
                "The refreshed credential '{}' version {} could not be stored ({}). This instance uses it from memory"
                        + " and stores it at its next use; if the process stops first, the refresh token it replaced"
                        + " is spent and providers that rotate refresh tokens will ask the user to authorize again",
                key,
                next.version(),
                safe(cause));
        unpersisted.put(key, next);
        remember(key, next);
        return next;
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
        Long before = needsReauthorization.put(key, version);
        if (before != null && before == version) {
            return;
        }
        boolean first;
        try {
            first = store.markNeedsReauthorization(key, version);
        } catch (RuntimeException e) {
            log.warn("Could not record in the store that '{}' needs reauthorization: {}", key, safe(e));
            first = true;
        }
        if (!first) {
            return; // another instance marked it and told its listeners
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

    /**
     * A lease this source holds: renewed every third of its ttl from a background thread until closed, then released.
     * Taking the lease again (after it expired during the refresh) replaces it.
     */
    private final class HeldLease implements AutoCloseable {
        private volatile TokenLease lease;
        private final ScheduledFuture<?> renewal;

        HeldLease(TokenLease lease) {
            this.lease = lease;
            long period = Math.max(1, leaseTtl.toMillis() / 3);
            this.renewal = Renewer.EXECUTOR.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
        }

        TokenLease lease() {
            return lease;
        }

        void replace(TokenLease taken) {
            lease = taken;
        }

        private void renew() {
            TokenLease l = lease;
            try {
                if (!store.renewLease(l, leaseTtl)) {
                    log.debug("The refresh lease of '{}' could not be renewed: it expired or was taken over", l.key());
                }
            } catch (RuntimeException e) {
                log.debug("Renewing the refresh lease of '{}' failed: {}", l.key(), safe(e));
            }
        }

        @Override
        public void close() {
            renewal.cancel(false);
            try {
                store.releaseLease(lease);
            } catch (RuntimeException e) {
                // It expires by itself; failing the refresh for it would be worse.
                log.warn("Could not release the refresh lease of '{}': {}", lease.key(), safe(e));
            }
        }
    }

    /** The daemon threads that keep held leases alive, shared by every source in the JVM. */
    private static final class Renewer {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            AtomicInteger n = new AtomicInteger();
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
                Thread t = new Thread(r, "switchboard-lease-renewer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setKeepAliveTime(30, TimeUnit.SECONDS);
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
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
        private int storeAttempts = 5;
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
         * Attempts to store a refreshed credential when the store fails (default 5), with the backoff between them;
         * after the last one the credential is used from memory and stored at its next use.
         */
        public Builder storeAttempts(int storeAttempts) {
            if (storeAttempts < 1) {
                throw new IllegalArgumentException("storeAttempts must be at least 1: " + storeAttempts);
            }
            this.storeAttempts = storeAttempts;
            return this;
        }

        /**
         * Refresh in {@link #current} a refreshable credential that expires within this window; {@code null}
         * refreshes only after a rejection. For a credential whose lifetime is known ({@link Credential#lifetime()}),
         * the window is at most half of it, so credentials that live shorter than the window are not refreshed on
         * every call (logged once).
         */
        public Builder refreshWindow(@Nullable Duration refreshWindow) {
            if (refreshWindow != null && refreshWindow.isNegative()) {
                throw new IllegalArgumentException("refresh window must not be negative: " + refreshWindow);
            }
            this.refreshWindow = refreshWindow;
            return this;
        }

        /**
         * Takes the store's refresh lease before refreshing, so instances sharing the store refresh once. The owner
         * id is {@code owner} (at most 150 characters, naming the instance in the store's lease records) with a
         * suffix unique to this source, so two instances given the same id still exclude each other. While held,
         * the lease is renewed every third of {@code ttl} (also while the token endpoint call runs), so a slow call
         * keeps it; a holder that stops (killed, or paused longer than {@code ttl}) loses it after {@code ttl}, and
         * its late write is refused by the store's fence.
         */
        public Builder lease(String owner, Duration ttl) {
            if (owner.isBlank() || owner.length() > 150 || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("lease needs an owner id of 1 to 150 characters and a positive ttl");
            }
            this.leaseOwner = owner;
            this.leaseTtl = ttl;
            return this;
        }

        /**
         * How often an instance that found the lease taken re-reads the store, and how long a caller waits in all
         * for a refresh run by another instance or another thread before giving up with a {@link TransientException}
         * (default: twice the ttl and one poll, so a dead holder's lease expires and is taken over first). Only
         * callers whose credential has expired (or was rejected) wait; the others get it at once.
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
