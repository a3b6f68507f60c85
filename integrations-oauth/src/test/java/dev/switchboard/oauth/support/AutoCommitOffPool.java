package dev.switchboard.oauth.support;

import dev.switchboard.testkit.PoolLikeDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A data source that behaves like a connection pool configured {@code autoCommit=false} (as Spring applications often
 * configure HikariCP) with {@code SERIALIZABLE} isolation: every connection it hands out has auto-commit off, and
 * closing one rolls back whatever was not committed, as a pool does when a connection comes back. Work that relies on
 * auto-commit without setting it is lost.
 */
public final class AutoCommitOffPool extends PoolLikeDataSource {
    private final DataSource physical;

    public AutoCommitOffPool(DataSource physical) {
        this.physical = physical;
    }

    @Override
    protected Connection borrow() throws SQLException {
        Connection real = physical.getConnection();
        real.setAutoCommit(false);
        real.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        return real;
    }

    @Override
    protected void giveBack(Connection connection) throws SQLException {
        connection.close();
    }
}
