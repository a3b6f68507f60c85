package dev.switchboard.core.change;

import dev.switchboard.core.connector.Position;
import dev.switchboard.core.model.Record;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change of one record at its source, as a change feed delivers it ({@link ChangeListener}).
 * Immutable. Delivery is at least once and in order per record: apply events by (record id,
 * version), and treat an event whose version you already hold as done.
 *
 * @param connection the connection the record belongs to
 * @param stream the stream the record belongs to
 * @param recordId the record's id
 * @param op whether the record was created or changed ({@link Op#UPSERT}) or deleted ({@link Op#DELETE})
 * @param record the record as the source holds it now, when known: polled and pushed upserts carry it;
 *     writes, most webhooks and every delete do not (a delete carries the tombstone when a read saw it)
 * @param version the source's version of the record after the change, when known
 * @param sourceTime when the source says the change happened, when it says
 * @param position where the event sits in its positioned source (a polled stream, a database log), or
 *     null for events without a position of their own (webhooks, writes)
 * @param origin what reported the change
 */
public record ChangeEvent(
        String connection,
        String stream,
        String recordId,
        Op op,
        @Nullable Record record,
        @Nullable String version,
        @Nullable Instant sourceTime,
        @Nullable Position position,
        Origin origin) {
    public ChangeEvent {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(origin, "origin");
        if (record != null && (!record.id().equals(recordId) || !record.stream().equals(stream))) {
            throw new IllegalArgumentException("the event's record " + record + " is not " + stream + "/" + recordId);
        }
    }

    /** What happened to the record. */
    public enum Op {
        /** Created or changed: fetch or apply the new version. */
        UPSERT,
        /** Deleted at the source: forget it. */
        DELETE
    }

    /** What reported a change. */
    public enum Origin {
        /** Core's scheduled incremental read of the stream. */
        POLL,
        /** The connector's own change feed (a database's change data capture). */
        PUSH,
        /** A vendor's webhook, received through {@code Switchboard.webhooks()}. */
        WEBHOOK,
        /** An action run through Switchboard, which reported the record as affected. */
        WRITE
    }

    /**
     * The event a record read from a source stands for: an upsert, or a delete when it is a tombstone.
     */
    public static ChangeEvent of(String connection, Record record, @Nullable Position position, Origin origin) {
        Instant time = record.deleted() ? record.deletedAt() : record.updatedAt();
        return new ChangeEvent(
                connection,
                record.stream(),
                record.id(),
                record.deleted() ? Op.DELETE : Op.UPSERT,
                record,
                record.version(),
                time,
                position,
                origin);
    }

    /** A change known only by the record's id (a webhook that names what changed, an action's affected record). */
    public static ChangeEvent of(
            String connection,
            String stream,
            String recordId,
            Op op,
            @Nullable String version,
            @Nullable Instant sourceTime,
            Origin origin) {
        return new ChangeEvent(connection, stream, recordId, op, null, version, sourceTime, null, origin);
    }

    /** Names the record, never its data. */
    @Override
    public String toString() {
        return "ChangeEvent[" + origin + " " + op + " " + connection + "/" + stream + "/" + recordId
                + (version == null ? "" : "@" + version) + (position == null ? "" : " at " + position) + "]";
    }
}
