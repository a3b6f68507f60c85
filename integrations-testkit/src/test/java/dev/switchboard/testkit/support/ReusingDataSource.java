package dev.switchboard.testkit.support;

import dev.switchboard.testkit.PoolLikeDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.sql.DataSource;

/**
 * A data source that keeps closed connections open for the next caller, as a pool does: opening a PostgreSQL
 * connection costs tens of milliseconds, which thousands of store calls in a suite cannot afford. Like a real pool,
 * it hands a connection back with whatever settings its last user left (auto-commit, isolation), so a store that
 * relies on a setting must set it.
 */
final class ReusingDataSource extends PoolLikeDataSource {
    private final DataSource physical;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    ReusingDataSource(DataSource physical) {
        this.physical = physical;
    }

    @Override
    protected Connection borrow() throws SQLException {
        Connection c;
        while ((c = idle.poll()) != null) {
            if (!c.isClosed()) {
                return c;
            }
        }
        return physical.getConnection();
    }

    @Override
    protected void giveBack(Connection connection) {
        idle.push(connection);
    }
}
