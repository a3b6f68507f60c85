package dev.switchboard.connectors.jdbc.internal;

import static dev.switchboard.connectors.jdbc.JdbcConnector.CURSOR_PREFIX;
import static dev.switchboard.connectors.jdbc.JdbcConnector.ENTITY_PREFIX;
import static dev.switchboard.connectors.jdbc.JdbcConnector.FIELD_PREFIX;
import static dev.switchboard.connectors.jdbc.JdbcConnector.KEY_PREFIX;
import static dev.switchboard.connectors.jdbc.JdbcConnector.LOOK_BACK_PREFIX;
import static dev.switchboard.connectors.jdbc.JdbcConnector.OWNER_COLUMN_PREFIX;
import static dev.switchboard.connectors.jdbc.JdbcConnector.ROW_FILTER_PREFIX;
import static dev.switchboard.connectors.jdbc.JdbcConnector.SOFT_DELETE_PREFIX;
import static dev.switchboard.connectors.jdbc.JdbcConnector.TABLES;
import static dev.switchboard.connectors.jdbc.JdbcConnector.TENANT_COLUMN_PREFIX;

import dev.switchboard.connectors.jdbc.JdbcQuery;
import dev.switchboard.core.model.Schema;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Discovery: the streams of a connection, from the database's metadata and the declared queries. */
final class Catalog {
    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    private static final Set<String> TABLE_TYPES =
            Set.of("TABLE", "BASE TABLE", "VIEW", "PARTITIONED TABLE", "MATERIALIZED VIEW");

    private Catalog() {}

    /**
     * The streams of a connection, by name.
     *
     * @throws IllegalArgumentException listing every setting that names what the database does not have, or
     *     a table that cannot be a stream as configured
     */
    static Map<String, TableSpec> discover(Connection c, JdbcConfig cfg, Collection<JdbcQuery> queries)
            throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String quote = quoteString(md);
        List<String> problems = new ArrayList<>();
        String schema = schemaOf(c, md, cfg, problems);
        Map<String, String> tables = tables(md, c.getCatalog(), schema); // name -> type
        List<String> selected = new ArrayList<>();
        boolean listed = cfg.tables != null;
        if (cfg.tables != null) {
            for (String t : cfg.tables) {
                String name = resolve(t, tables.keySet());
                if (name == null) {
                    problems.add("'" + TABLES + "' names '" + t + "', which is not a table or view of schema '" + schema
                            + "' (it has " + new java.util.TreeSet<>(tables.keySet()) + ")");
                } else {
                    selected.add(name);
                }
            }
        } else {
            selected.addAll(tables.keySet());
        }
        Map<String, TableSpec> out = new TreeMap<>();
        Set<String> queryNames = new java.util.HashSet<>();
        for (JdbcQuery q : queries) {
            queryNames.add(q.name());
        }
        // Per-table settings name tables (or declared queries): each must be one being read.
        Map<String, String> settingTable = new LinkedHashMap<>();
        for (String prefix : List.of(
                CURSOR_PREFIX,
                KEY_PREFIX,
                SOFT_DELETE_PREFIX,
                ROW_FILTER_PREFIX,
                LOOK_BACK_PREFIX,
                TENANT_COLUMN_PREFIX,
                OWNER_COLUMN_PREFIX,
                ENTITY_PREFIX)) {
            for (String t : cfg.tablesWith(prefix)) {
                String name = queryNames.contains(t) ? t : resolve(t, selected);
                if (name == null) {
                    problems.add("'" + prefix + t + "' names a table that is not read (tables read: " + selected
                            + (queryNames.isEmpty() ? "" : ", queries: " + queryNames) + ")");
                } else {
                    settingTable.put(prefix + t, name);
                }
            }
        }
        for (String key : cfg.tablesWith(FIELD_PREFIX)) {
            int dot = key.indexOf('.');
            String t = dot < 0 ? key : key.substring(0, dot);
            if (!queryNames.contains(t) && resolve(t, selected) == null) {
                problems.add("'" + FIELD_PREFIX + key + "' names a table that is not read");
            }
        }
        for (String table : selected) {
            List<Column> columns = tableColumns(md, c.getCatalog(), schema, table);
            Settings s = new Settings(cfg, settingTable, table);
            List<String> keys = new ArrayList<>();
            String keyList = s.get(KEY_PREFIX);
            if (keyList != null) {
                for (String k : JdbcConfig.splitList(keyList)) {
                    String col = column(k, columns, KEY_PREFIX + table, problems);
                    if (col != null) {
                        keys.add(col);
                    }
                }
            } else {
                keys.addAll(primaryKey(md, c.getCatalog(), schema, table));
            }
            if (keys.isEmpty()) {
                if (listed || s.any()) {
                    problems.add("table '" + table + "' has no primary key: set '" + KEY_PREFIX + table
                            + "' to the columns that identify a row");
                } else {
                    LOG.info(
                            "table {} has no primary key and is not read; set {}{} to read it",
                            table,
                            KEY_PREFIX,
                            table);
                }
                continue;
            }
            TableSpec spec = spec(table, schema, table, null, columns, keys, s, quote, problems);
            if (spec != null) {
                out.put(spec.stream, spec);
            }
        }
        for (JdbcQuery q : queries) {
            if (out.containsKey(q.name())) {
                problems.add("query '" + q.name() + "' has the name of a table that is read");
                continue;
            }
            List<Column> columns = queryColumns(c, q);
            Settings s = new Settings(cfg, settingTable, q.name());
            List<String> keys = new ArrayList<>();
            for (String k : q.key()) {
                String col = column(k, columns, "query '" + q.name() + "' key", problems);
                if (col != null) {
                    keys.add(col);
                }
            }
            if (q.cursor() != null && s.get(CURSOR_PREFIX) == null) {
                s = s.with(CURSOR_PREFIX, q.cursor());
            }
            String description = q.description().isEmpty() ? "Rows of the declared query " + q.name() : q.description();
            TableSpec spec =
                    spec(q.name(), null, description, NamedSql.parse(q.sql()), columns, keys, s, quote, problems);
            if (spec != null) {
                out.put(spec.stream, spec);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "connection '" + cfg.connectionId + "' (jdbc): " + String.join("; ", problems));
        }
        return out;
    }

    private static @Nullable TableSpec spec(
            String name,
            @Nullable String schema,
            String descriptionOrTable,
            @Nullable NamedSql query,
            List<Column> columns,
            List<String> keys,
            Settings s,
            String quote,
            List<String> problems) {
        int before = problems.size();
        String where = query == null ? "table '" + name + "'" : "query '" + name + "'";
        for (String k : keys) {
            Column col = find(k, columns);
            if (col != null && !ColumnTypes.comparable(col.kind())) {
                problems.add(where + ": key column '" + k + "' is " + col.typeName() + ", which cannot order reads");
            }
        }
        String cursor = null;
        String cursorSetting = s.get(CURSOR_PREFIX);
        if (cursorSetting != null) {
            cursor = column(cursorSetting, columns, CURSOR_PREFIX + name, problems);
            Column col = cursor == null ? null : find(cursor, columns);
            if (col != null && !ColumnTypes.comparable(col.kind())) {
                problems.add(
                        where + ": cursor column '" + cursor + "' is " + col.typeName() + ", which cannot order reads");
            } else if (col != null && col.nullable() && query == null) {
                problems.add(where + ": cursor column '" + cursor + "' may be NULL, and a row with a NULL cursor"
                        + " cannot be resumed after; declare it NOT NULL or choose another column");
            }
        }
        String softDelete = s.get(SOFT_DELETE_PREFIX) == null
                ? null
                : column(s.get(SOFT_DELETE_PREFIX), columns, SOFT_DELETE_PREFIX + name, problems);
        NamedSql rowFilter = null;
        String filterText = s.get(ROW_FILTER_PREFIX);
        if (filterText != null) {
            try {
                rowFilter = NamedSql.parse(filterText);
                for (String p : rowFilter.names()) {
                    if (!RowSecurity.READ_ATTRIBUTES.contains(p)) {
                        problems.add("'" + ROW_FILTER_PREFIX + name + "' uses :" + p + "; a row filter can use "
                                + new java.util.TreeSet<>(RowSecurity.READ_ATTRIBUTES));
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add("'" + ROW_FILTER_PREFIX + name + "': " + e.getMessage());
            }
        }
        String lookBack = s.get(LOOK_BACK_PREFIX);
        if (lookBack != null) {
            Column col = cursor == null ? null : find(cursor, columns);
            if (col == null) {
                problems.add(
                        "'" + LOOK_BACK_PREFIX + name + "' needs a cursor column ('" + CURSOR_PREFIX + name + "')");
            } else if (LookBack.lowerBound(col.kind(), lookBack, sample(col.kind())) == null) {
                problems.add("'" + LOOK_BACK_PREFIX + name + "' = '" + lookBack + "' is not a look-back for a "
                        + col.typeName() + " cursor (a duration such as PT5M or seconds for a time, a number for a"
                        + " number)");
            }
        }
        String tenantColumn = s.get(TENANT_COLUMN_PREFIX) == null
                ? null
                : column(s.get(TENANT_COLUMN_PREFIX), columns, TENANT_COLUMN_PREFIX + name, problems);
        String ownerColumn = s.get(OWNER_COLUMN_PREFIX) == null
                ? null
                : column(s.get(OWNER_COLUMN_PREFIX), columns, OWNER_COLUMN_PREFIX + name, problems);
        if (problems.size() > before) {
            return null;
        }
        String description = query != null
                ? descriptionOrTable
                : "Rows of table " + (schema == null ? "" : schema + ".") + name + ", one record per row, keyed by "
                        + keys + (cursor == null ? "" : ", ordered by " + cursor + " for incremental reads");
        return new TableSpec(
                name,
                schema,
                name,
                query,
                columns,
                keys,
                cursor,
                softDelete,
                rowFilter,
                lookBack,
                tenantColumn,
                ownerColumn,
                quote,
                description);
    }

    private static String sample(ColumnTypes.Kind kind) {
        return switch (kind) {
            case TIMESTAMP_TZ -> "2024-01-01T00:00:00Z";
            case TIMESTAMP -> "2024-01-01T00:00";
            case DATE -> "2024-01-01";
            default -> "100";
        };
    }

    /** The current columns of a stream, as a schema: what {@code describe} gives for drift checks. */
    static Schema describe(Connection c, TableSpec spec) throws SQLException {
        List<Column> columns;
        if (spec.query != null) {
            columns = queryColumns(c, spec.query);
        } else {
            columns = tableColumns(c.getMetaData(), c.getCatalog(), spec.schemaName, spec.tableName);
        }
        Schema.Builder b = Schema.builder();
        for (Column col : columns) {
            b.add(col.field());
        }
        return b.build();
    }

    private static String quoteString(DatabaseMetaData md) throws SQLException {
        String q = md.getIdentifierQuoteString();
        return q == null || q.isBlank() ? "" : q.strip();
    }

    private static @Nullable String schemaOf(Connection c, DatabaseMetaData md, JdbcConfig cfg, List<String> problems)
            throws SQLException {
        String current = c.getSchema();
        if (cfg.schema == null) {
            return current;
        }
        List<String> schemas = new ArrayList<>();
        try (ResultSet rs = md.getSchemas()) {
            while (rs.next()) {
                schemas.add(rs.getString("TABLE_SCHEM"));
            }
        }
        String found = resolve(cfg.schema, schemas);
        if (found == null) {
            problems.add("schema '" + cfg.schema + "' is not in the database (it has " + schemas + ")");
            return current;
        }
        return found;
    }

    private static Map<String, String> tables(DatabaseMetaData md, @Nullable String catalog, @Nullable String schema)
            throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ResultSet rs = md.getTables(catalog, escape(md, schema), "%", null)) {
            while (rs.next()) {
                String type = rs.getString("TABLE_TYPE");
                String tableSchema = rs.getString("TABLE_SCHEM");
                if (type != null
                        && TABLE_TYPES.contains(type.toUpperCase(Locale.ROOT))
                        && (schema == null || schema.equals(tableSchema))) {
                    out.put(rs.getString("TABLE_NAME"), type);
                }
            }
        }
        return out;
    }

    static List<Column> tableColumns(
            DatabaseMetaData md, @Nullable String catalog, @Nullable String schema, String table) throws SQLException {
        TreeMap<Integer, Column> byPosition = new TreeMap<>();
        try (ResultSet rs = md.getColumns(catalog, escape(md, schema), escape(md, table), "%")) {
            while (rs.next()) {
                // The pattern is escaped, but a driver without an escape string could still match more.
                if ((schema != null && !schema.equals(rs.getString("TABLE_SCHEM")))
                        || !table.equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                String typeName = rs.getString("TYPE_NAME");
                byPosition.put(
                        rs.getInt("ORDINAL_POSITION"),
                        Column.of(
                                rs.getString("COLUMN_NAME"),
                                rs.getInt("DATA_TYPE"),
                                typeName == null ? "" : typeName,
                                rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
            }
        }
        return new ArrayList<>(byPosition.values());
    }

    private static List<String> primaryKey(
            DatabaseMetaData md, @Nullable String catalog, @Nullable String schema, String table) throws SQLException {
        TreeMap<Integer, String> bySeq = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table)) {
            while (rs.next()) {
                bySeq.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return new ArrayList<>(bySeq.values());
    }

    private static List<Column> queryColumns(Connection c, JdbcQuery q) throws SQLException {
        return queryColumns(c, NamedSql.parse(q.sql()));
    }

    /** A declared query's columns, as the database describes its result (nothing is executed). */
    private static List<Column> queryColumns(Connection c, NamedSql query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query.sql())) {
            ResultSetMetaData md = ps.getMetaData();
            if (md == null) {
                throw new IllegalArgumentException("the database cannot describe the declared query " + query.sql());
            }
            List<Column> out = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String typeName = md.getColumnTypeName(i);
                out.add(Column.of(
                        md.getColumnLabel(i),
                        md.getColumnType(i),
                        typeName == null ? "" : typeName,
                        md.isNullable(i) != ResultSetMetaData.columnNoNulls));
            }
            return out;
        }
    }

    /** A metadata search pattern that matches {@code name} only ({@code _} and {@code %} escaped). */
    private static @Nullable String escape(DatabaseMetaData md, @Nullable String name) throws SQLException {
        if (name == null) {
            return null;
        }
        String esc = md.getSearchStringEscape();
        if (esc == null || esc.isEmpty()) {
            return name;
        }
        return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }

    /** {@code name} as {@code candidates} spell it: exactly, else case-insensitively when only one matches. */
    static @Nullable String resolve(String name, Collection<String> candidates) {
        if (candidates.contains(name)) {
            return name;
        }
        String found = null;
        for (String c : candidates) {
            if (c.equalsIgnoreCase(name)) {
                if (found != null) {
                    return null; // ambiguous: the exact spelling is needed
                }
                found = c;
            }
        }
        return found;
    }

    private static @Nullable Column find(String name, List<Column> columns) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static @Nullable String column(
            @Nullable String name, List<Column> columns, String setting, List<String> problems) {
        if (name == null) {
            return null;
        }
        String found = resolve(name.strip(), columns.stream().map(Column::name).toList());
        if (found == null) {
            problems.add("'" + setting + "' names column '" + name + "', which is not one of "
                    + columns.stream().map(Column::name).toList());
        }
        return found;
    }

    /** The per-table settings of one table (or query). */
    private static final class Settings {
        private final Map<String, String> values = new LinkedHashMap<>();

        Settings(JdbcConfig cfg, Map<String, String> settingTable, String table) {
            for (Map.Entry<String, String> e : settingTable.entrySet()) {
                if (e.getValue().equals(table)) {
                    String key = e.getKey();
                    for (String prefix : List.of(
                            CURSOR_PREFIX,
                            KEY_PREFIX,
                            SOFT_DELETE_PREFIX,
                            ROW_FILTER_PREFIX,
                            LOOK_BACK_PREFIX,
                            TENANT_COLUMN_PREFIX,
                            OWNER_COLUMN_PREFIX,
                            ENTITY_PREFIX)) {
                        if (key.startsWith(prefix)) {
                            String v = cfg.table(prefix, key.substring(prefix.length()));
                            if (v != null) {
                                values.put(prefix, v);
                            }
                        }
                    }
                }
            }
        }

        private Settings(Map<String, String> values) {
            this.values.putAll(values);
        }

        @Nullable
        String get(String prefix) {
            return values.get(prefix);
        }

        boolean any() {
            return !values.isEmpty();
        }

        Settings with(String prefix, String value) {
            Map<String, String> v = new LinkedHashMap<>(values);
            v.put(prefix, value);
            return new Settings(v);
        }
    }
}
