package dev.switchboard.core.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ReplayGuard#inMemory(Clock)}: forgets expired ids as new ones arrive. */
final class InMemoryReplayGuard implements ReplayGuard {
    private record Key(String connection, String deliveryId) {}

    private final Clock clock;
    private final ConcurrentHashMap<Key, Instant> seen = new ConcurrentHashMap<>();

    InMemoryReplayGuard(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean firstSeen(String connection, String deliveryId, Instant keepUntil) {
        Instant now = clock.instant();
        if (seen.size() > 1024) {
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
