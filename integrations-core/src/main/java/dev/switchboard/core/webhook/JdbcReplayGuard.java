package dev.switchboard.core.webhook;

import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.storage.Jdbc;
import dev.switchboard.core.storage.JdbcSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A {@link ReplayGuard} in a SQL table, shared by every instance that receives webhooks: PostgreSQL for several
 * instances (H2 for one). Plain JDBC.
 *
 * <pre>{@code
 * ReplayGuard guard = JdbcReplayGuard.builder(dataSource).clock(clock).build();   // table switchboard_webhook_deliveries
 * Switchboard sb = Switchboard.builder()....replayGuard(guard).build();
 * }</pre>
 *
 * <p>Table (schema version 1, created or upgraded by {@link Builder#build()} through {@link JdbcSchema}):
 * {@code (connection_id, delivery_id, keep_until)}, primary key (connection_id, delivery_id), {@code keep_until}
 * in epoch nanoseconds. {@link #firstSeen} inserts the delivery's row: of instances racing on one delivery, the
 * primary key lets exactly one insert it. A row whose time passed (by the builder's clock) is reclaimed with one
 * conditional update, again by exactly one instance; each instance deletes expired rows at most once a minute.
 */
public final class JdbcReplayGuard implements ReplayGuard {
    private static final String NAME = "replay-guard";
    /** Expired rows are deleted at most this often. */
    private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final String table;
    private final Clock clock;
    private final AtomicLong nextCleanup = new AtomicLong(Long.MIN_VALUE);

    private JdbcReplayGuard(DataSource dataSource, String table, Clock clock) {
        this.dataSource = dataSource;
        this.table = table;
        this.clock = clock;
    }

    /** A guard on {@code dataSource}, in table {@code switchboard_webhook_deliveries} unless {@link Builder#table} says otherwise. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    private static JdbcSchema schema(String table) {
        return JdbcSchema.builder("replay-guard:" + table)
                .version(
                        1,
                        "webhook deliveries seen, per connection",
                        c -> JdbcSchema.execute(
                                c,
                                "CREATE TABLE IF NOT EXISTS " + table + " (connection_id VARCHAR(255) NOT NULL,"
                                        + " delivery_id VARCHAR(512) NOT NULL, keep_until BIGINT NOT NULL,"
                                        + " PRIMARY KEY (connection_id, delivery_id))"))
                .build();
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    @Override
    public boolean firstSeen(String connection, String deliveryId, Instant keepUntil) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(deliveryId, "deliveryId");
        long now = Jdbc.epochNanos(clock.instant());
        long until = Jdbc.epochNanos(keepUntil);
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                long due = nextCleanup.get();
                if (now >= due && nextCleanup.compareAndSet(due, now + CLEANUP_EVERY.toNanos())) {
                    deleteExpired(c, now);
                }
                for (int attempt = 1; attempt <= 3; attempt++) {
                    if (insert(c, connection, deliveryId, until)) {
                        return true;
                    }
                    if (reclaim(c, connection, deliveryId, until, now)) {
                        return true; // it was remembered, but its time had passed
                    }
                    if (exists(c, connection, deliveryId)) {
                        return false; // a replay
                    }
                    // the row was deleted as expired between our statements: insert again
                }
                throw new TransientException(
                        NAME, "first-seen", "the webhook delivery table " + table + " kept changing; try again", null);
            });
        } catch (SQLException e) {
            throw Jdbc.failure(NAME, "first-seen", "the webhook delivery table " + table, e);
        }
    }

    private boolean insert(Connection c, String connection, String deliveryId, long until) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO " + table + " (connection_id, delivery_id, keep_until) VALUES (?, ?, ?)")) {
            s.setString(1, connection);
            s.setString(2, deliveryId);
            s.setLong(3, until);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            if (Jdbc.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    private boolean reclaim(Connection c, String connection, String deliveryId, long until, long now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + table
                + " SET keep_until = ? WHERE connection_id = ? AND delivery_id = ? AND keep_until < ?")) {
            s.setLong(1, until);
            s.setString(2, connection);
            s.setString(3, deliveryId);
            s.setLong(4, now);
            return s.executeUpdate() == 1;
        }
    }

    private boolean exists(Connection c, String connection, String deliveryId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT 1 FROM " + table + " WHERE connection_id = ? AND delivery_id = ?")) {
            s.setString(1, connection);
            s.setString(2, deliveryId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private void deleteExpired(Connection c, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE keep_until < ?")) {
            s.setLong(1, now);
            s.executeUpdate();
        }
    }

    @Override
    public String toString() {
        return "JdbcReplayGuard[" + table + "]";
    }

    /** Builds a {@link JdbcReplayGuard}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = "switchboard_webhook_deliveries";
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The table's name, optionally with its schema: letters, digits and {@code _}, not starting with a digit. */
        public Builder table(String table) {
            this.table = Jdbc.tableName(table);
            return this;
        }

        /**
         * The clock that says when a remembered delivery's time has passed: the Switchboard's clock (the system
         * clock by default). Instances sharing the table need clocks within a few seconds of each other.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The guard, its table created or upgraded to the version this code knows ({@link JdbcSchema}).
         *
         * @throws dev.switchboard.core.error.PermanentException if the table is newer than this code knows, or the
         *     database refuses to create it
         */
        public JdbcReplayGuard build() {
            schema(table).migrate(dataSource);
            return new JdbcReplayGuard(dataSource, table, clock);
        }
    }
}
