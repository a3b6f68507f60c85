package dev.switchboard.testkit;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that hands out connections the way a connection pool does, for testing stores against the
 * pools applications really use: closing a borrowed connection rolls back what its borrower left uncommitted
 * (as a pool does when a connection comes back) and hands it to {@link #giveBack}, and the borrower's handle
 * reports itself closed from then on. Subclasses say where connections come from and where they go.
 */
public abstract class PoolLikeDataSource implements DataSource {
    /** A physical connection for the next borrower, set up as the pool would hand it out. */
    protected abstract Connection borrow() throws SQLException;

    /** Takes back a connection its borrower closed, after its uncommitted work was rolled back. */
    protected abstract void giveBack(Connection connection) throws SQLException;

    @Override
    public final Connection getConnection() throws SQLException {
        Connection real = borrow();
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        if (!closed[0]) {
                            closed[0] = true;
                            if (!real.isClosed() && !real.getAutoCommit()) {
                                real.rollback(); // what the borrower did not commit is gone
                            }
                            giveBack(real);
                        }
                        return null;
                    }
                    if (method.getName().equals("isClosed")) {
                        return closed[0] || real.isClosed();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        Throwable cause = e.getCause();
                        throw cause != null ? cause : e;
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public PrintWriter getLogWriter() {
        return new PrintWriter(System.err);
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
