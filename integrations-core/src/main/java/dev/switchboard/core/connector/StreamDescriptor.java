package dev.switchboard.core.connector;

import dev.switchboard.core.model.Schema;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A readable stream of records.
 *
 * @param name the stream name, e.g. {@code tickets}
 * @param schema the fields the stream promises
 * @param primaryKey the field that identifies a record
 * @param cursorField the field incremental reads order and resume by; null for full reads only
 * @param description what the stream holds, written for a model choosing a tool: what one record is,
 *     what it is good for, how it is ordered; empty when the connector gives none
 * @param reportsDeletes whether reads return a tombstone ({@link dev.switchboard.core.model.Record#deleted()})
 *     for a record deleted at the source; when false, a consumer learns of deletes only from webhooks or
 *     a full read
 * @param pushesChanges whether the connector pushes this stream's changes itself
 *     ({@link ConnectorSession#changes(ChangeCall)}, a database's change data capture) instead of core
 *     polling its incremental reads
 */
public record StreamDescriptor(
        String name,
        Schema schema,
        String primaryKey,
        @Nullable String cursorField,
        String description,
        boolean reportsDeletes,
        boolean pushesChanges) {
    public StreamDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(primaryKey, "primaryKey");
        Objects.requireNonNull(description, "description");
    }

    /** A stream without description that reports no deletes and is polled, not pushed. */
    public StreamDescriptor(String name, Schema schema, String primaryKey, @Nullable String cursorField) {
        this(name, schema, primaryKey, cursorField, "", false, false);
    }

    /** Whether reads can resume from a checkpoint (records come ordered by cursor, then id, per partition). */
    public boolean incremental() {
        return cursorField != null;
    }

    /** Whether a change feed can follow this stream: core polls it, or the connector pushes its changes. */
    public boolean followable() {
        return incremental() || pushesChanges;
    }

    public StreamDescriptor withDescription(String description) {
        return new StreamDescriptor(name, schema, primaryKey, cursorField, description, reportsDeletes, pushesChanges);
    }

    public StreamDescriptor withSchema(Schema schema) {
        return new StreamDescriptor(name, schema, primaryKey, cursorField, description, reportsDeletes, pushesChanges);
    }

    /** This stream, declaring that its reads return tombstones for deleted records. */
    public StreamDescriptor withDeletes(boolean reportsDeletes) {
        return new StreamDescriptor(name, schema, primaryKey, cursorField, description, reportsDeletes, pushesChanges);
    }

    /** This stream, declaring that the connector pushes its changes. */
    public StreamDescriptor withPushedChanges(boolean pushesChanges) {
        return new StreamDescriptor(name, schema, primaryKey, cursorField, description, reportsDeletes, pushesChanges);
    }
}
