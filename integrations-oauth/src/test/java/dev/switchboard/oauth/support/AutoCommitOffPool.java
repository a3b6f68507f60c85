package dev.switchboard.oauth.support;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that behaves like a connection pool configured {@code autoCommit=false} (as Spring applications often
 * configure HikariCP) with {@code SERIALIZABLE} isolation: every connection it hands out has auto-commit off, and
 * closing one rolls back whatever was not committed, as a pool does when a connection comes back. Work that relies on
 * auto-commit without setting it is lost.
 */
public final class AutoCommitOffPool implements DataSource {
    private final DataSource physical;

    public AutoCommitOffPool(DataSource physical) {
        this.physical = physical;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection real = physical.getConnection();
        real.setAutoCommit(false);
        real.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        if (!real.isClosed()) {
                            if (!real.getAutoCommit()) {
                                real.rollback(); // what the borrower did not commit is gone
                            }
                            real.close();
                        }
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
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
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
