package dev.switchboard.core.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A private in-memory H2 database for one test: what several application instances would share as their
 * database (each opens its own store over the same {@link #dataSource()}). {@link #close()} drops it.
 */
public final class H2Database implements AutoCloseable {
    private final JdbcDataSource dataSource = new JdbcDataSource();

    public H2Database() {
        dataSource.setURL("jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
