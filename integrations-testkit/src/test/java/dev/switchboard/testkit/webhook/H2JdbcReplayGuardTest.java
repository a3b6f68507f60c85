package dev.switchboard.testkit.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.webhook.JdbcReplayGuard;
import dev.switchboard.core.webhook.ReplayGuard;
import dev.switchboard.testkit.ReplayGuardContract;
import dev.switchboard.testkit.support.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class H2JdbcReplayGuardTest extends ReplayGuardContract {
    private DataSource db;

    @Override
    protected ReplayGuard createGuard(ManualClock clock) {
        db = Databases.newH2();
        return JdbcReplayGuard.builder(db).clock(clock).build();
    }

    @Override
    protected ReplayGuard anotherInstance(ManualClock clock) {
        return JdbcReplayGuard.builder(db).clock(clock).build();
    }

    private int rows() throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM switchboard_webhook_deliveries")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void expiredDeliveriesAreDeletedAtMostOnceAMinute() throws Exception {
        for (int i = 0; i < 20; i++) {
            guard.firstSeen(CONNECTION, "old-" + i, T0.plusSeconds(1));
        }
        clock.advance(Duration.ofSeconds(30)); // expired, but the last clean-up was at T0
        guard.firstSeen(CONNECTION, "live", T0.plus(Duration.ofDays(1)));
        assertThat(rows()).isEqualTo(21);
        clock.advance(Duration.ofSeconds(30));
        guard.firstSeen(CONNECTION, "live-2", T0.plus(Duration.ofDays(1)));
        assertThat(rows()).isEqualTo(2);
    }
}
