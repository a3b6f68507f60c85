package dev.switchboard.connectors.jdbc.internal.cdc;

import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.core.connector.ChangeCall;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of PostgreSQL change data capture, for the JDBC connector's {@code ConnectorSession.changes}.
 *
 * <pre>{@code
 * public ChangeReader changes(ChangeCall call) {
 *     StreamTable table = ...;   // from discovery: stream, schema, table, key columns, columns, ACL rule
 *     return PgChangeFeed.open(cdcSettings, call, table, context.meters(), Clock.systemUTC());
 * }
 * }</pre>
 */
public final class PgChangeFeed {
    private PgChangeFeed() {}

    /**
     * Opens the change feed of one table: checks its replica identity, creates the lease table, the publication and
     * the replication slot if missing (so changes committed after this returns are captured), and returns a reader
     * that streams once it holds the slot's lease. Resumes after {@code call.resumeAfter()}'s position in the
     * single partition; without one, from the slot's confirmed position (for a new slot: from now).
     *
     * @throws PermanentException when the table cannot be followed (no such table; REPLICA IDENTITY NOTHING, or
     *     DEFAULT without a primary key: the message names the {@code ALTER TABLE} to run), the slot name is taken
     *     by another kind of slot, or the stored position is not one this feed makes
     * @throws TransientException when the database could not be reached or refused a statement for now
     */
    public static PgChangeReader open(
            PostgresChangeFeedSettings settings,
            ChangeCall call,
            StreamTable table,
            MeterRegistry meters,
            Clock clock) {
        String operation = "changes " + table.stream();
        if (!call.stream().name().equals(table.stream())) {
            throw new IllegalArgumentException("the change call is for stream '"
                    + call.stream().name() + "', the table for '" + table.stream() + "'");
        }
        PgChangeReader.Key resume = null;
        Position stored = call.resumeAfter().get(Position.SINGLE);
        if (stored != null) {
            resume = PgChangeReader.Key.parse(stored);
            if (resume == null) {
                throw new PermanentException(
                        settings.connector(),
                        operation,
                        "the stored position of stream '" + table.stream() + "' is not a PostgreSQL change feed"
                                + " position (commit LSN and index); delete it (PositionStore.delete) to follow the"
                                + " slot from its confirmed position");
            }
        }
        String slot = settings.slotName(table.stream(), call.subscriber());
        PgSlotAdmin admin = new PgSlotAdmin(settings);
        try {
            // Before the publication: publishing a table without replica identity makes its updates fail.
            admin.checkReplicaIdentity(table, settings.connector(), operation);
            admin.ensureLeaseTable();
            admin.ensurePublication(slot, table);
            admin.ensureSlot(slot, settings.connector(), operation);
        } catch (SQLException e) {
            admin.close();
            throw failure(settings, operation, "could not prepare replication slot " + slot, e);
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
        return new PgChangeReader(settings, table, slot, resume, admin, meters, clock);
    }

    /**
     * Drops the replication slot that follows {@code stream}, its publication and its lease, so the server keeps no
     * WAL for it: for a feed that is gone for good. Refuses a slot a reader still streams from.
     *
     * @return whether the slot existed
     * @throws PermanentException when a reader streams from the slot (close it first, or use
     *     {@link PgChangeReader#close(boolean)})
     */
    public static boolean dropSlot(PostgresChangeFeedSettings settings, String stream, String subscriber) {
        String slot = settings.slotName(stream, subscriber);
        String operation = "drop slot " + slot;
        try (PgSlotAdmin admin = new PgSlotAdmin(settings)) {
            OptionalInt pid = admin.activePid(slot);
            if (pid.isPresent()) {
                throw new PermanentException(
                        settings.connector(),
                        operation,
                        "replication slot " + slot + " is in use by backend " + pid.getAsInt()
                                + ": close the change reader that follows it first");
            }
            return admin.drop(slot, TimeUnit.SECONDS.toMillis(2));
        } catch (SQLException e) {
            throw failure(settings, operation, "could not drop replication slot " + slot, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(settings.connector(), operation, "interrupted", e);
        }
    }

    private static SwitchboardException failure(
            PostgresChangeFeedSettings settings, String operation, String what, SQLException e) {
        String state = e.getSQLState() == null ? "none" : e.getSQLState();
        String message = what + " (SQLState " + state + ")";
        @Nullable Throwable cause = null; // the driver's message may quote the URL or values: not kept
        if (state.startsWith("42") || state.startsWith("55")) {
            return new PermanentException(
                    settings.connector(),
                    operation,
                    message + ": the database refused it; the replication role needs the REPLICATION attribute,"
                            + " ownership of the table (to publish it) and wal_level=logical on the server",
                    cause);
        }
        return new TransientException(settings.connector(), operation, message + "; try again", cause);
    }
}
