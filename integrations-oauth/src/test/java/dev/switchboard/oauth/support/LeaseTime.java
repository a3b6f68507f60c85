package dev.switchboard.oauth.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Lets time pass for the leases of a JDBC token store, whose expiry is the database's time: every lease's expiry moves
 * back by the duration, which for the leases that exist is the same as the database's clock moving forward by it.
 */
public final class LeaseTime {
    private LeaseTime() {}

    public static void elapse(DataSource dataSource, String leaseTable, Duration duration) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE " + leaseTable + " SET expires_at = expires_at - ?")) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            s.setLong(1, duration.toMillis());
            s.executeUpdate();
        }
    }
}
