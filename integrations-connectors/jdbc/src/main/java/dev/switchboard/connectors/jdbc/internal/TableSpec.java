package dev.switchboard.connectors.jdbc.internal;

import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.Visibility;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one stream reads, resolved against the database's metadata: a table (or view), or a declared query;
 * its columns, key, cursor, soft-delete column, row filter and look-back. Every name here came from metadata,
 * and {@link #quote} is the only way one enters SQL. Immutable; shared by reads and the change feed, which
 * builds its records with {@link #toRecord} so both agree on id, data and version.
 */
public final class TableSpec {
    /** The stream's name: the table's name, or the declared query's. */
    final String stream;
    /** The table's schema and name as metadata spells them, or null for a declared query. */
    final @Nullable String schemaName;

    final String tableName;
    final @Nullable NamedSql query;
    final List<Column> columns;
    final Map<String, Column> byName;
    final List<String> keys;
    final @Nullable String cursor;
    final @Nullable String softDelete;
    final @Nullable NamedSql rowFilter;
    final @Nullable String lookBack;
    final @Nullable String tenantColumn;
    final @Nullable String ownerColumn;
    final String quote;
    final String description;

    TableSpec(
            String stream,
            @Nullable String schemaName,
            String tableName,
            @Nullable NamedSql query,
            List<Column> columns,
            List<String> keys,
            @Nullable String cursor,
            @Nullable String softDelete,
            @Nullable NamedSql rowFilter,
            @Nullable String lookBack,
            @Nullable String tenantColumn,
            @Nullable String ownerColumn,
            String quote,
            String description) {
        this.stream = stream;
        this.schemaName = schemaName;
        this.tableName = tableName;
        this.query = query;
        this.columns = List.copyOf(columns);
        Map<String, Column> m = new LinkedHashMap<>();
        for (Column c : columns) {
            m.put(c.name(), c);
        }
        this.byName = m;
        this.keys = List.copyOf(keys);
        this.cursor = cursor;
        this.softDelete = softDelete;
        this.rowFilter = rowFilter;
        this.lookBack = lookBack;
        this.tenantColumn = tenantColumn;
        this.ownerColumn = ownerColumn;
        this.quote = quote;
        this.description = description;
    }

    public String stream() {
        return stream;
    }

    /** The table's name, or the declared query's. */
    public String tableName() {
        return tableName;
    }

    /** The table's schema, or null for a declared query. */
    public @Nullable String schemaName() {
        return schemaName;
    }

    /** Whether this stream reads a declared query rather than a table. */
    public boolean isQuery() {
        return query != null;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> keys() {
        return keys;
    }

    public @Nullable String cursor() {
        return cursor;
    }

    public @Nullable String softDelete() {
        return softDelete;
    }

    /** The column of {@code name}, or null. */
    public @Nullable Column column(String name) {
        return byName.get(name);
    }

    /** The contract: every column, always present, nullable as the column is. */
    public Schema schema() {
        Schema.Builder b = Schema.builder();
        for (Column c : columns) {
            b.add(c.field());
        }
        return b.build();
    }

    /**
     * The stream as core sees it. Its primary key is the first key column (the record id covers every key
     * column, see {@link RowIdentity#id}); incremental when a cursor is set; reports deletes when a
     * soft-delete column is set.
     */
    public StreamDescriptor descriptor() {
        return new StreamDescriptor(stream, schema(), keys.get(0), cursor, description, softDelete != null, false);
    }

    /** An identifier quoted with the driver's quote string (a quote inside it doubled). */
    String quote(String identifier) {
        if (quote.isEmpty()) {
            return identifier;
        }
        return quote + identifier.replace(quote, quote + quote) + quote;
    }

    /** The relation read, as SQL: the quoted, schema-qualified table, or the declared query in parentheses. */
    String from(String querySql) {
        if (query != null) {
            return "(" + querySql + ")";
        }
        return schemaName == null ? quote(tableName) : quote(schemaName) + "." + quote(tableName);
    }

    /** The columns reads order by: the cursor (if any), then the key. */
    List<String> ordering() {
        List<String> out = new ArrayList<>(keys.size() + 1);
        if (cursor != null) {
            out.add(cursor);
        }
        out.addAll(keys);
        return out;
    }

    /** A JSON value as the text positions and ids carry: a string as is, a number in plain notation. */
    public static String text(JsonValue value) {
        if (value instanceof JsonString s) {
            return s.value();
        }
        if (value instanceof JsonNumber n) {
            return n.value().toPlainString();
        }
        return value.toString();
    }

    /** The record id of a row's data: its key columns' values, as {@link RowIdentity#id} joins them. */
    public String idOf(JsonObject data) {
        List<String> values = new ArrayList<>(keys.size());
        for (String k : keys) {
            JsonValue v = data.get(k);
            if (v == null || v == JsonNull.INSTANCE) {
                throw new IllegalStateException("stream '" + stream + "': a row without its key column '" + k + "'");
            }
            values.add(text(v));
        }
        return RowIdentity.id(values);
    }

    /** The position a read stands at after this row: its cursor value (empty without a cursor) and id. */
    public Position position(JsonObject data) {
        return position(data, idOf(data));
    }

    /** {@link #position(JsonObject)} for a row whose id ({@link #idOf}) is known already, as its record's is. */
    Position position(JsonObject data, String id) {
        String c = "";
        if (cursor != null) {
            JsonValue v = data.get(cursor);
            c = v == null ? "" : text(v);
        }
        return Position.of(c, id);
    }

    /**
     * A row as a record: id from the key, version the digest of the data, {@code updatedAt} from a temporal
     * cursor (a timestamp without zone read as UTC), a tombstone when the soft-delete column is not null (deleted
     * at its value when it is a timestamp, else at {@code updatedAt}, else now), and an ACL of the tenant (the
     * tenant column's value, else {@code tenant}) visible to that tenant, owned by the owner column's value.
     */
    public Record toRecord(String connector, String connection, String tenant, JsonObject data, Clock clock) {
        Instant updated = cursor == null ? null : instant(data.get(cursor));
        Record.Builder r = Record.builder().stream(stream)
                .id(idOf(data))
                .source(new RecordSource(connector, connection, tableName))
                .data(data)
                .updatedAt(updated)
                .versionOf(() -> RowIdentity.version(data))
                .acl(acl(tenant, data));
        if (softDelete != null) {
            JsonValue flag = data.get(softDelete);
            if (flag != null && flag != JsonNull.INSTANCE) {
                Instant at = instant(flag);
                r.deleted(at != null ? at : updated != null ? updated : clock.instant());
            }
        }
        return r.build();
    }

    /**
     * The ACL of a row: its tenant (the tenant column's value, else {@code tenant}; a row whose tenant column is
     * NULL gets an ACL no tenant matches), visibility TENANT, owner the owner column's value. The change feed
     * uses this same rule.
     */
    public Acl acl(String tenant, JsonObject data) {
        String t = tenant;
        if (tenantColumn != null) {
            JsonValue v = data.get(tenantColumn);
            if (v == null || v == JsonNull.INSTANCE) {
                // No tenant: a record no tenant may see (a missing rule never means everyone).
                return new Acl(null, "", Visibility.PRIVATE, Set.of());
            }
            t = text(v);
        }
        String owner = null;
        if (ownerColumn != null) {
            JsonValue v = data.get(ownerColumn);
            owner = v == null || v == JsonNull.INSTANCE ? null : text(v);
        }
        return new Acl(owner, t, Visibility.TENANT, Set.of());
    }

    /** A timestamp or date value as an instant (UTC for values without zone), else null. */
    static @Nullable Instant instant(@Nullable JsonValue value) {
        if (!(value instanceof JsonString s)) {
            return null;
        }
        String text = s.value();
        try {
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return ColumnTypes.parseInstant(text);
            }
            if (text.contains("T")) {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "TableSpec[" + stream + ", key " + keys + (cursor == null ? "" : ", cursor " + cursor) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSpec t && t.stream.equals(stream) && t.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, columns);
    }
}
