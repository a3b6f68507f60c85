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
 */
public record StreamDescriptor(
        String name,
        Schema schema,
        String primaryKey,
        @Nullable String cursorField) {
    public StreamDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(primaryKey, "primaryKey");
    }

    /** Whether reads can resume from a checkpoint (records come ordered by cursor, then id). */
    public boolean incremental() {
        return cursorField != null;
    }
}
