package dev.switchboard.connectors.jdbc.internal.cdc;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The table behind one stream, as the connector's discovery found it: what the change feed needs to turn rows into
 * the same records reads give.
 *
 * @param stream the stream's name
 * @param schema the table's schema, e.g. {@code public}
 * @param table the table's name, as the database spells it (case included)
 * @param keyColumns the primary-key columns, in key order (the order {@code RowIdentity.id} joins them in)
 * @param columns the columns the stream delivers, in the order reads put them in a record; empty for every column
 *     of the table, in table order
 * @param acl the ACL of a record from its data (the same rule reads use); returns null for none (denied under
 *     row-level policies); a deleted row's tombstone gets it from the columns its delete carried
 * @param records the record of a live row's data, built by the rule reads use (id, version, ACL, a soft-deleted
 *     row as a tombstone), so the feed and reads agree; null to build it here (id from the key, version the
 *     data's digest, ACL by {@code acl}). A record without {@code updatedAt} gets the commit's time.
 */
public record StreamTable(
        String stream,
        String schema,
        String table,
        List<String> keyColumns,
        List<String> columns,
        Function<JsonObject, @Nullable Acl> acl,
        @Nullable Function<JsonObject, Record> records) {
    public StreamTable {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        keyColumns = List.copyOf(keyColumns);
        columns = List.copyOf(columns);
        Objects.requireNonNull(acl, "acl");
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("stream '" + stream + "': change data capture needs the table's"
                    + " primary-key columns (a row's record id is made of them)");
        }
        if (!columns.isEmpty() && !columns.containsAll(keyColumns)) {
            throw new IllegalArgumentException(
                    "stream '" + stream + "': the delivered columns must include the key columns " + keyColumns);
        }
    }

    /** A table whose records carry no ACL. */
    public StreamTable(String stream, String schema, String table, List<String> keyColumns, List<String> columns) {
        this(stream, schema, table, keyColumns, columns, data -> null, null);
    }

    /** A table whose records the feed builds, with ACLs by {@code acl}. */
    public StreamTable(
            String stream,
            String schema,
            String table,
            List<String> keyColumns,
            List<String> columns,
            Function<JsonObject, @Nullable Acl> acl) {
        this(stream, schema, table, keyColumns, columns, acl, null);
    }

    /** {@code schema.table}, quoted for SQL. */
    String quotedName() {
        return quote(schema) + "." + quote(table);
    }

    /** {@code schema.table} as text, for messages. */
    String qualifiedName() {
        return schema + "." + table;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
