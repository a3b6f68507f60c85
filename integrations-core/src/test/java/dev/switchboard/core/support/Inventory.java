package dev.switchboard.core.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The application's own inventory database that {@link InventoryConnector} reads: an in-memory H2
 * database with the table {@code stock} and the application's writes to it. Every insert and update of
 * a row takes the next value of the sequence {@code stock_changes} in {@code change_seq} (H2's
 * {@code ON UPDATE}), which is what the connector's change feed follows.
 */
public final class Inventory implements AutoCloseable {
    private final JdbcDataSource dataSource = new JdbcDataSource();
    private final Connection keepAlive;

    public Inventory() {
        dataSource.setURL("jdbc:h2:mem:inventory-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try {
            keepAlive = dataSource.getConnection();
            try (Statement s = keepAlive.createStatement()) {
                s.execute("CREATE SEQUENCE stock_changes");
                s.execute("CREATE TABLE stock ("
                        + " id VARCHAR(64) PRIMARY KEY,"
                        + " warehouse VARCHAR(64) NOT NULL,"
                        + " quantity BIGINT NOT NULL,"
                        + " updated_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                        + " deleted_at TIMESTAMP WITH TIME ZONE,"
                        + " change_seq BIGINT DEFAULT NEXT VALUE FOR stock_changes"
                        + " ON UPDATE NEXT VALUE FOR stock_changes)");
                s.execute("CREATE INDEX stock_by_warehouse ON stock (warehouse, updated_at, id)");
                s.execute("CREATE INDEX stock_by_change ON stock (change_seq)");
                s.execute("CREATE TABLE feed_confirmations (slot VARCHAR(64) PRIMARY KEY, confirmed_seq BIGINT)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Stocks an item, or changes it (it never moves to another warehouse). */
    public Inventory put(String id, String warehouse, long quantity, String updatedAt) {
        update(
                "MERGE INTO stock (id, warehouse, quantity, updated_at, deleted_at) KEY (id) VALUES (?, ?, ?, ?, NULL)",
                id,
                warehouse,
                quantity,
                time(updatedAt));
        return this;
    }

    /** Deletes an item, softly: the row stays as a tombstone. */
    public void delete(String id, String at) {
        if (update("UPDATE stock SET deleted_at = ?, updated_at = ? WHERE id = ?", time(at), time(at), id) != 1) {
            throw new IllegalArgumentException("no item " + id);
        }
    }

    /** The quantity of an item. */
    public long quantity(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT quantity FROM stock WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalArgumentException("no item " + id);
                }
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The change sequence of an item's last write. */
    public long changeSeq(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT change_seq FROM stock WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalArgumentException("no item " + id);
                }
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The change sequence a connection's feed last confirmed, if any. */
    public OptionalLong confirmed(String slot) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT confirmed_seq FROM feed_confirmations WHERE slot = ?")) {
            s.setString(1, slot);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int update(String sql, Object... values) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime time(String instant) {
        return OffsetDateTime.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Override
    public void close() {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                keepAlive.close();
            } catch (SQLException ignored) {
                // already shut down
            }
        }
    }
}
