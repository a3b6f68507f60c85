package dev.switchboard.core.internal.http;

import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignal;
import dev.switchboard.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * The request budget of one vendor bucket (a connection by default; {@code hubspot:{portal}:search}
 * and the like when a connector keys its requests). A token bucket ({@link Budget}: in this process, or
 * shared with other instances through PostgreSQL) smooths bursts; vendor signals pause it until the
 * vendor's window resets when the vendor says nothing remains, and drain it when the vendor counts fewer
 * requests left than we do.
 *
 * <p>A spent quota (a daily limit) pauses it until the vendor's announced reset, which may be hours
 * away while the vendor lifts the limit sooner (a raised plan, an administrator). So once per probe
 * interval one caller is let through as a probe: an OK answer lifts the pause
 * ({@link #quotaLifted()}), another quota answer renews it; every other caller keeps failing fast.
 * {@link #reset()} lifts everything at once.
 */
final class RateBudget {
    /** A permit to send one request: how long the caller waited for it, and whether it is a quota probe. */
    record Permit(Duration waited, boolean probe) {}

    /** Thrown when the wait for a permit would exceed what the call may still wait. */
    static final class WaitTooLong extends Exception {
        final Duration wait;
        /** Set when the wait is a spent quota (the vendor's daily limit), not a passing throttle. */
        final @Nullable Instant quotaUntil;

        WaitTooLong(Duration wait, @Nullable Instant quotaUntil) {
            super(null, null, false, false);
            this.wait = wait;
            this.quotaUntil = quotaUntil;
        }
    }

    private final String key;
    private final @Nullable BudgetSettings settings;
    /** The connection that created this budget, so a later one sizing it differently can be named. */
    private final String createdBy;

    private final @Nullable Budget tokens;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicLong pausedUntilNanos = new AtomicLong(0);
    private final AtomicLong quotaUntilNanos = new AtomicLong(0);
    /** When the next quota probe may go; 0 when no quota holds the budget. */
    private final AtomicLong nextProbeNanos = new AtomicLong(0);

    private final AtomicBoolean conflictLogged = new AtomicBoolean();

    /**
     * When the vendor's last {@value #ANSWERS_KEPT} answers to this budget's requests came back (nanos), in
     * a ring written without a lock: every answer of a rolling-window vendor records its time, and a lock
     * there would be taken by every concurrent caller on every answer. Only a spent window reads it.
     * Overwriting the oldest times only makes a rolling pause longer, never shorter.
     */
    private final AtomicLongArray answered = emptyAnswers();

    private final AtomicLong answers = new AtomicLong();
    private static final int ANSWERS_KEPT = 1_024;
    private static final long NO_ANSWER = Long.MIN_VALUE;

    /** A budget whose tokens are in this process. */
    RateBudget(String key, @Nullable BudgetSettings settings, String createdBy, Clock clock, Sleeper sleeper) {
        this(
                key,
                settings,
                settings == null ? null : new LocalBudget(settings, clock, sleeper),
                createdBy,
                clock,
                sleeper);
    }

    /**
     * @param tokens the budget's token bucket, in this process or shared; null for no local limit
     */
    RateBudget(
            String key,
            @Nullable BudgetSettings settings,
            @Nullable Budget tokens,
            String createdBy,
            Clock clock,
            Sleeper sleeper) {
        this.key = key;
        this.settings = settings;
        this.createdBy = createdBy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.tokens = tokens;
    }

    String key() {
        return key;
    }

    /** The size this budget was created with; null for no local limit. */
    @Nullable
    BudgetSettings settings() {
        return settings;
    }

    /** The connection whose first request (or declaration at build) created this budget. */
    String createdBy() {
        return createdBy;
    }

    /** True once: whether the caller is the first to report a conflicting size for this budget. */
    boolean firstConflict() {
        return conflictLogged.compareAndSet(false, true);
    }

    /**
     * Waits (through the injected sleeper) until a request may be sent.
     *
     * @param maxWait the most this call may still wait
     * @param probeInterval how often a spent quota may be probed (the caller's setting)
     * @param probing whether the caller already holds this interval's probe (the credential replay of a
     *     probe): it passes the quota's pause again
     * @return how long it waited, and whether the request is this interval's quota probe
     * @throws WaitTooLong when the wait would exceed {@code maxWait}; nothing was consumed
     */
    Permit acquire(Duration maxWait, Duration probeInterval, boolean probing) throws WaitTooLong, InterruptedException {
        Duration waited = Duration.ZERO;
        boolean probe = false;
        Duration paused = pausedFor();
        if (!paused.isZero()) {
            long now = nowNanos();
            long quota = quotaUntilNanos.get();
            boolean quotaHolds = quota > now && pausedUntilNanos.get() <= quota;
            if (paused.compareTo(maxWait) <= 0) {
                sleeper.sleep(paused);
                waited = paused;
            } else if (quotaHolds && (probing || probeDue(now, probeInterval))) {
                probe = true; // this caller tests whether the vendor lifted the quota early
            } else {
                throw new WaitTooLong(paused, quota > now ? Instant.ofEpochSecond(0, quota) : null);
            }
        }
        if (tokens == null) {
            return new Permit(waited, probe);
        }
        long parked = tokens.take(maxWait.minus(waited));
        if (parked < 0) {
            throw new WaitTooLong(tokens.untilNextToken(), null);
        }
        return new Permit(waited.plusNanos(parked), probe);
    }

    /** Whether the probe is due, claimed by exactly one caller per interval. */
    private boolean probeDue(long now, Duration probeInterval) {
        long next = nextProbeNanos.get();
        return next != 0 && now >= next && nextProbeNanos.compareAndSet(next, now + probeInterval.toNanos());
    }

    /** Holds every request of this budget for {@code wait} (a vendor's Retry-After, a window reset). */
    void pauseFor(Duration wait) {
        long until = nowNanos() + wait.toNanos();
        pausedUntilNanos.accumulateAndGet(until, Math::max);
    }

    /**
     * Holds every request of this budget until a spent quota resets; callers learn it is a quota. One
     * caller may probe it once {@code probeInterval} has passed.
     */
    void pauseForQuota(Instant until, Duration probeInterval) {
        long untilNanos = until.getEpochSecond() * 1_000_000_000L + until.getNano();
        quotaUntilNanos.accumulateAndGet(untilNanos, Math::max);
        nextProbeNanos.set(nowNanos() + probeInterval.toNanos());
        pauseFor(Duration.between(clock.instant(), until));
    }

    /** A probe came back OK: the vendor lifted the quota before its announced reset. */
    void quotaLifted() {
        quotaUntilNanos.set(0);
        nextProbeNanos.set(0);
        pausedUntilNanos.set(0);
    }

    /** Lifts every pause and refills the bucket: the application knows better (a raised vendor limit). */
    void reset() {
        quotaLifted();
        if (tokens != null) {
            tokens.refill();
        }
    }

    /**
     * Takes the vendor's word for what remains: the tokens are drained to the vendor's count (in a shared
     * bucket, for every instance), and a vendor that says none remain pauses this instance. A spent rolling
     * window frees room when its oldest request ages out; the oldest of our own requests answered within
     * the window arrived no earlier than that one (up to one round trip), so pausing until it has aged out
     * is enough, and is at most a whole window. Pausing a whole window from now instead cost a paced read
     * 10 s each time arrival jitter filled HubSpot's window to the last request.
     */
    void observe(BudgetSignal signal) {
        Duration reset = signal.resetAfter();
        if (signal.rolling() && reset != null && !reset.isZero()) {
            long now = nowNanos();
            answered.lazySet((int) (answers.getAndIncrement() & (ANSWERS_KEPT - 1)), now);
            if (signal.remaining() == 0) {
                long window = reset.toNanos();
                pauseFor(Duration.ofNanos(Math.max(1, oldestAnswerSince(now - window, now) + window - now)));
            }
        } else if (signal.remaining() == 0 && reset != null) {
            pauseFor(reset);
        }
        if (tokens != null) {
            tokens.drainTo(signal.remaining());
        }
    }

    /** The earliest answer time kept that is after {@code since}; {@code now} when none is. */
    private long oldestAnswerSince(long since, long now) {
        long oldest = now;
        for (int i = 0; i < ANSWERS_KEPT; i++) {
            long at = answered.get(i);
            if (at != NO_ANSWER && at > since && at < oldest) {
                oldest = at;
            }
        }
        return oldest;
    }

    private static AtomicLongArray emptyAnswers() {
        AtomicLongArray ring = new AtomicLongArray(ANSWERS_KEPT);
        for (int i = 0; i < ANSWERS_KEPT; i++) {
            ring.lazySet(i, NO_ANSWER);
        }
        return ring;
    }

    private Duration pausedFor() {
        long left = pausedUntilNanos.get() - nowNanos();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    private long nowNanos() {
        return Budget.nanos(clock);
    }
}
