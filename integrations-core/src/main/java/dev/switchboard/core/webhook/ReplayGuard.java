package dev.switchboard.core.webhook;

import java.time.Clock;
import java.time.Instant;

/**
 * Remembers webhook deliveries already accepted, so a replayed one (an attacker's copy, or a vendor's
 * retry of a delivery that was processed) is refused. Implementations are thread-safe and
 * {@link #firstSeen} is atomic: of two instances that receive one delivery at once, exactly one sees
 * true. In memory by default (one instance); {@code JdbcReplayGuard} shares it between instances.
 * {@code dev.switchboard.testkit.ReplayGuardContract} is the suite every implementation passes.
 */
public interface ReplayGuard {
    /**
     * Records delivery {@code deliveryId} of {@code connection}, to be remembered at least until
     * {@code keepUntil}; returns true if it was not seen before (or was forgotten after its time),
     * false for a replay.
     */
    boolean firstSeen(String connection, String deliveryId, Instant keepUntil);

    /** Remembered in this JVM's memory, forgotten by the clock after their time. */
    static ReplayGuard inMemory(Clock clock) {
        return new InMemoryReplayGuard(clock);
    }
}
