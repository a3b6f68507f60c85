package dev.switchboard.testkit.webhook;

import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.webhook.ReplayGuard;
import dev.switchboard.testkit.ReplayGuardContract;

class InMemoryReplayGuardTest extends ReplayGuardContract {
    @Override
    protected ReplayGuard createGuard(ManualClock clock) {
        return ReplayGuard.inMemory(clock);
    }
}
