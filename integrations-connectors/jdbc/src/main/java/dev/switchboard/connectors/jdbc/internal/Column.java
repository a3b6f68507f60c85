package dev.switchboard.connectors.jdbc.internal;

import dev.switchboard.core.model.Schema;
import java.util.Objects;

/**
 * One column of a stream, as the database's metadata describes it.
 *
 * @param name its name, exactly as the metadata spells it (and as records name the field)
 * @param jdbcType its {@link java.sql.Types} code
 * @param typeName the database's name of its type
 * @param kind how its values are mapped ({@link ColumnTypes})
 * @param nullable whether it may hold NULL
 */
public record Column(String name, int jdbcType, String typeName, ColumnTypes.Kind kind, boolean nullable) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(typeName, "typeName");
        Objects.requireNonNull(kind, "kind");
    }

    public static Column of(String name, int jdbcType, String typeName, boolean nullable) {
        return new Column(name, jdbcType, typeName, ColumnTypes.kind(jdbcType, typeName), nullable);
    }

    /** The field this column promises: always present in a row, nullable as the column is. */
    public Schema.Field field() {
        return new Schema.Field(name, kind.fieldType(), nullable, true);
    }
}
