package dev.switchboard.connectors.jdbc;

import dev.switchboard.connectors.jdbc.internal.cdc.PgChangeFeed;

/**
 * Operations on the replication slots of PostgreSQL change data capture (docs/connectors/jdbc-cdc.md).
 * A slot keeps the server's WAL until its feed confirms it: a feed that is gone for good must have its slot
 * dropped, or the server's disk fills.
 */
public final class PostgresChangeFeed {
    private PostgresChangeFeed() {}

    /**
     * Drops the replication slot (and its publication and lease) that follows {@code stream} of the connection
     * these settings are for, for {@code subscriber} (the {@code ChangeRequest}'s). Refuses a slot a reader still
     * streams from.
     *
     * @return whether the slot existed
     * @throws dev.switchboard.core.error.PermanentException when a reader streams from the slot: close it first
     * @throws dev.switchboard.core.error.TransientException when the database could not be reached
     */
    public static boolean dropSlot(PostgresChangeFeedSettings settings, String stream, String subscriber) {
        return PgChangeFeed.dropSlot(settings, stream, subscriber);
    }
}
