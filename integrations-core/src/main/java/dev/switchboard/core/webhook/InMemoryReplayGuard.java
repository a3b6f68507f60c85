package dev.switchboard.core.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link ReplayGuard#inMemory(Clock)}: forgets expired ids as new ones arrive, at most once a minute by the clock
 * (sweeping on every call once many ids were kept would make each call scan them all).
 */
final class InMemoryReplayGuard implements ReplayGuard {
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private record Key(String connection, String deliveryId) {}

    private final Clock clock;
    private final ConcurrentHashMap<Key, Instant> seen = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> nextSweep = new AtomicReference<>(Instant.MIN);

    InMemoryReplayGuard(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean firstSeen(String connection, String deliveryId, Instant keepUntil) {
        Instant now = clock.instant();
        Instant due = nextSweep.get();
        if (!now.isBefore(due) && nextSweep.compareAndSet(due, now.plus(SWEEP_EVERY))) {
            seen.values().removeIf(until -> until.isBefore(now));
        }
        boolean[] first = {false};
        seen.compute(new Key(connection, deliveryId), (k, until) -> {
            if (until == null || until.isBefore(now)) {
                first[0] = true;
                return keepUntil;
            }
            return until;
        });
        return first[0];
    }
}
