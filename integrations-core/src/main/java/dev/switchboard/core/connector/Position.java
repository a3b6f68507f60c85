package dev.switchboard.core.connector;

import java.util.Objects;

/**
 * Where a record sits in its stream, as the connector reads it: within a partition (one per Slack
 * channel, per table, per HubSpot window; {@link #SINGLE} for a stream that has one), the cursor value
 * and the id that breaks ties between records with equal cursor values, so none is lost ({@code >})
 * or read twice ({@code >=}). A reader resumes a partition with
 * {@code cursor > value OR (cursor = value AND id > id)}. Positions are opaque to core: it stores the
 * last one reached per partition in the {@link dev.switchboard.core.Checkpoint} and hands them back on
 * resume; it never compares two of them.
 *
 * @param partition the partition, {@link #SINGLE} when the stream has one
 * @param cursor the cursor value, as text (a timestamp, a number, a log sequence number)
 * @param id the tie-break: the record's id, or another value that orders records within equal cursors
 */
public record Position(String partition, String cursor, String id) {
    /** The partition of a stream that has only one. */
    public static final String SINGLE = "";

    public Position {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(id, "id");
    }

    /** A position in the stream's only partition. */
    public static Position of(String cursor, String id) {
        return new Position(SINGLE, cursor, id);
    }

    /** A position in {@code partition}. */
    public static Position in(String partition, String cursor, String id) {
        return new Position(partition, cursor, id);
    }

    @Override
    public String toString() {
        return (partition.isEmpty() ? "" : partition + ":") + cursor + "/" + id;
    }
}
