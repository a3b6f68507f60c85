package dev.switchboard.connectors.jdbc.cdc;

import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.connectors.jdbc.internal.cdc.PgChangeFeed;
import dev.switchboard.connectors.jdbc.internal.cdc.PgChangeReader;
import dev.switchboard.connectors.jdbc.internal.cdc.StreamTable;
import dev.switchboard.connectors.jdbc.support.TestDatabases;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.PositionStore;
import dev.switchboard.core.connector.CallCredentials;
import dev.switchboard.core.connector.ChangeCall;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.model.Schema;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** Test support for the change feed: a fresh database, settings, and a follower that drives a reader as core does. */
final class CdcTesting {
    static final String CONNECTION = "pg-test";
    /** The subscriber of every test follower: its positions' name, and part of its slot's. */
    static final String SUBSCRIBER = "subscriber";

    private CdcTesting() {}

    /** A fresh database of the embedded PostgreSQL (wal_level=logical). */
    record Db(DataSource dataSource, String name, String url) {
        static Db fresh() {
            DataSource ds = TestDatabases.newPostgresDatabase();
            String name = TestDatabases.databaseOf(ds);
            return new Db(ds, name, TestDatabases.postgres().getJdbcUrl("postgres", name));
        }

        /** Slots are the server's, not the database's: each test database gets slots of its own. */
        String slotPrefix() {
            return "t" + name.replaceAll("[^0-9]", "");
        }

        PostgresChangeFeedSettings.Builder settings() {
            return PostgresChangeFeedSettings.builder(CONNECTION, url, "postgres")
                    .slotPrefix(slotPrefix())
                    .leaseDuration(Duration.ofSeconds(2))
                    .lagCheckInterval(Duration.ofMillis(100));
        }

        void sql(String... statements) {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Runs the statements in one transaction. */
        void transaction(String... statements) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String statement : statements) {
                        s.execute(statement);
                    }
                }
                c.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Nullable
        String query(String sql) {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(sql)) {
                return r.next() ? r.getString(1) : null;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static ChangeCall call(String stream, Map<String, Position> resumeAfter) {
        StreamDescriptor descriptor = new StreamDescriptor(stream, Schema.empty(), "id", null).withPushedChanges(true);
        return new ChangeCall(descriptor, SUBSCRIBER, resumeAfter, new CallCredentials() {
            @Override
            public Credential current() {
                throw new UnsupportedOperationException("the change feed uses its own replication role");
            }

            @Override
            public Credential refreshAfterRejection(Credential rejected) {
                throw new UnsupportedOperationException();
            }
        });
    }

    /**
     * Follows one stream as core's feed does: delivers each event, stores the checkpoint with its position, then
     * acknowledges it; reopens from the stored checkpoint.
     */
    static final class Follower {
        final PostgresChangeFeedSettings settings;
        final StreamTable table;
        final PositionStore positions;
        final MeterRegistry meters = new SimpleMeterRegistry();
        final List<ChangeEvent> delivered = new ArrayList<>();

        @Nullable
        PgChangeReader reader;

        Follower(PostgresChangeFeedSettings settings, StreamTable table, PositionStore positions) {
            this.settings = settings;
            this.table = table;
            this.positions = positions;
        }

        PgChangeReader open() {
            Checkpoint stored = positions
                    .load("subscriber", CONNECTION, table.stream())
                    .map(Checkpoint::parse)
                    .orElse(null);
            PgChangeReader opened = PgChangeFeed.open(
                    settings,
                    call(table.stream(), stored == null ? Map.of() : stored.positions()),
                    table,
                    meters,
                    Clock.systemUTC());
            reader = opened;
            return opened;
        }

        PgChangeReader reader() {
            PgChangeReader r = reader;
            return r != null ? r : open();
        }

        /** One poll; each event delivered (to {@code listener}), stored, acknowledged. */
        List<ChangeEvent> pollOnce(Duration wait, Consumer<ChangeEvent> listener) throws InterruptedException {
            PgChangeReader r = reader();
            List<ChangeEvent> events = r.poll(wait);
            if (events.isEmpty()) {
                return events;
            }
            // As core: the stored checkpoint once per poll, then saved after each event before acknowledging it.
            Checkpoint checkpoint = positions
                    .load("subscriber", CONNECTION, table.stream())
                    .map(Checkpoint::parse)
                    .orElse(Checkpoint.start(table.stream()));
            for (ChangeEvent e : events) {
                listener.accept(e);
                delivered.add(e);
                Position p = e.position();
                if (p != null) {
                    checkpoint = checkpoint.with(p);
                    positions.save("subscriber", CONNECTION, table.stream(), checkpoint.value());
                    r.acknowledge(p);
                }
            }
            return events;
        }

        /** Polls until {@code count} events came (in this call), or the timeout passed. */
        List<ChangeEvent> await(int count, Duration timeout) throws InterruptedException {
            List<ChangeEvent> got = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (got.size() < count && System.nanoTime() < deadline) {
                got.addAll(pollOnce(Duration.ofMillis(250), e -> {}));
            }
            return got;
        }

        void close() {
            PgChangeReader r = reader;
            reader = null;
            if (r != null) {
                r.close();
            }
        }
    }
}
