package dev.switchboard.testkit.support;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that keeps closed connections open for the next caller, as a pool does: opening a PostgreSQL
 * connection costs tens of milliseconds, which thousands of store calls in a suite cannot afford. Like a real pool,
 * it hands a connection back with whatever settings its last user left (auto-commit, isolation), so a store that
 * relies on a setting must set it.
 */
final class ReusingDataSource implements DataSource {
    private final DataSource physical;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    ReusingDataSource(DataSource physical) {
        this.physical = physical;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c;
        while ((c = idle.poll()) != null) {
            if (!c.isClosed()) {
                return wrap(c);
            }
        }
        return wrap(physical.getConnection());
    }

    private Connection wrap(Connection c) {
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        if (!closed[0]) {
                            closed[0] = true;
                            if (!c.getAutoCommit()) {
                                c.rollback(); // what a pool does with work left uncommitted
                            }
                            idle.push(c);
                        }
                        return null;
                    }
                    if (method.getName().equals("isClosed")) {
                        return closed[0] || c.isClosed();
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
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
