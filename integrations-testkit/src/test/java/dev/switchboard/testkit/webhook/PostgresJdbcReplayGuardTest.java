package dev.switchboard.testkit.webhook;

import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.webhook.JdbcReplayGuard;
import dev.switchboard.core.webhook.ReplayGuard;
import dev.switchboard.testkit.ReplayGuardContract;
import dev.switchboard.testkit.support.Databases;

class PostgresJdbcReplayGuardTest extends ReplayGuardContract {
    private String table;

    @Override
    protected ReplayGuard createGuard(ManualClock clock) {
        table = Databases.freshTable("deliveries");
        return anotherInstance(clock);
    }

    @Override
    protected ReplayGuard anotherInstance(ManualClock clock) {
        return JdbcReplayGuard.builder(Databases.postgres())
                .table(table)
                .clock(clock)
                .build();
    }
}
