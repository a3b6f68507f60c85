package dev.switchboard.connectors.jdbc.internal;

import dev.switchboard.core.Principal;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.governance.RowScope;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads one stream page by page, each page one keyset query in its own short read-only transaction: ordered
 * by the cursor (if any) then the key, resuming strictly after the last row delivered, never by OFFSET. Rows
 * stream in with the fetch size (auto-commit off, so PostgreSQL uses a cursor), so a page costs memory for its
 * records only and a read of any length runs in constant memory. Resumed with a look-back, it first re-reads
 * the rows from {@code cursor - lookBack} up to the resume position, delivered as overlap (they do not move
 * the checkpoint).
 */
final class TableReader implements dev.switchboard.core.connector.StreamReader {
    private enum Mode {
        OVERLAP,
        READ,
        DONE
    }

    private final JdbcSession session;
    private final TableSpec spec;
    private final Principal principal;
    private final RowScope scope;
    private final Map<String, String> filter;
    private final int pageSize;
    private final String operation;
    private final @Nullable List<String> resume;
    private @Nullable String overlapFrom;
    private @Nullable List<String> after;
    private Mode mode;

    TableReader(
            JdbcSession session,
            TableSpec spec,
            Principal principal,
            RowScope scope,
            Map<String, String> filter,
            int pageSize,
            @Nullable Position resumeAfter) {
        this.session = session;
        this.spec = spec;
        this.principal = principal;
        this.scope = scope;
        this.filter = new TreeMap<>(filter);
        this.pageSize = pageSize;
        this.operation = "read " + spec.stream;
        this.resume = resumeAfter == null ? null : orderingValues(resumeAfter);
        this.after = resume;
        this.mode = Mode.READ;
        if (resume != null && spec.lookBack != null && spec.cursor != null) {
            Column cursor = spec.column(spec.cursor);
            String lower = cursor == null ? null : LookBack.lowerBound(cursor.kind(), spec.lookBack, resume.get(0));
            if (lower != null) {
                this.overlapFrom = lower;
                this.after = null;
                this.mode = Mode.OVERLAP;
            }
        }
        checkFilter();
    }

    /** The ordering values (cursor, then key columns) a position stands for, as text. */
    private List<String> orderingValues(Position p) {
        List<String> out = new ArrayList<>();
        if (spec.cursor != null) {
            out.add(p.cursor());
        }
        if (spec.keys.size() == 1) {
            out.add(p.id());
        } else {
            String[] parts = p.id().split("/", -1);
            if (parts.length != spec.keys.size()) {
                throw new InvalidInputException(
                        session.connector(),
                        operation,
                        "the checkpoint's position " + p + " does not fit stream '" + spec.stream + "' (key "
                                + spec.keys + "); start without it");
            }
            for (String part : parts) {
                out.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private void checkFilter() {
        java.util.Set<String> params =
                spec.query == null ? java.util.Set.of() : new java.util.HashSet<>(spec.query.names());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> f : filter.entrySet()) {
            if (params.contains(f.getKey())) {
                if (RowSecurity.READ_ATTRIBUTES.contains(f.getKey())) {
                    wrong.add("'" + f.getKey() + "' is bound from the reader's principal and cannot be given");
                }
                continue;
            }
            Column c = spec.column(f.getKey());
            if (c == null) {
                wrong.add("'" + f.getKey() + "' is not a column of stream '" + spec.stream + "'; filter on one of "
                        + spec.columns.stream().map(Column::name).toList());
            } else if (!ColumnTypes.comparable(c.kind())) {
                wrong.add("'" + f.getKey() + "' is " + c.typeName() + " and cannot be filtered on");
            }
        }
        if (spec.query != null) {
            for (String p : spec.query.names()) {
                if (!RowSecurity.READ_ATTRIBUTES.contains(p) && !filter.containsKey(p)) {
                    wrong.add("query '" + spec.stream + "' needs parameter '" + p + "' in the request's filter");
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new InvalidInputException(session.connector(), operation, "the read's filter is wrong", wrong, null);
        }
    }

    @Override
    public Page nextPage() {
        if (mode == Mode.DONE) {
            return Page.builder().build(true);
        }
        Binds binds = new Binds();
        String sql = sql(binds);
        Page.Builder page = Page.builder();
        int rows = 0;
        Position last = null;
        try (Connection c = session.dataSource().getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            boolean readOnly = c.isReadOnly();
            try {
                if (autoCommit) {
                    c.setAutoCommit(false);
                }
                if (!readOnly) {
                    c.setReadOnly(true);
                }
                session.rowSecurity().apply(c, principal);
                try (PreparedStatement ps =
                        c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                    ps.setFetchSize(fetchSize(session.config().fetchSize, pageSize));
                    session.applyTimeout(ps);
                    bind(ps, binds);
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        int n = md.getColumnCount();
                        String[] names = new String[n];
                        ColumnTypes.ColumnReader[] readers = new ColumnTypes.ColumnReader[n];
                        for (int i = 0; i < n; i++) {
                            names[i] = md.getColumnLabel(i + 1);
                            Column known = spec.column(names[i]);
                            if (known != null && known.name().equals(names[i])) {
                                names[i] = known.name(); // the catalog's instance: the drift check compares by ==
                            }
                            // The stream's own description first: the result's may be vaguer (a view's).
                            ColumnTypes.Kind kind = known != null
                                    ? known.kind()
                                    : ColumnTypes.kind(md.getColumnType(i + 1), md.getColumnTypeName(i + 1));
                            if (kind == ColumnTypes.Kind.JSON && session.postgres()) {
                                readers[i] = ColumnTypes.postgresJson(ColumnTypes.isJsonb(
                                        known != null ? known.typeName() : md.getColumnTypeName(i + 1)));
                            } else if (kind == ColumnTypes.Kind.UUID && session.postgres()) {
                                readers[i] = ColumnTypes.postgresUuid();
                            } else {
                                readers[i] =
                                        ColumnTypes.reader(kind, kind == ColumnTypes.Kind.INTEGER && signed(md, i + 1));
                            }
                        }
                        // Labels are unique: a declared query repeating one is refused when the Switchboard is built.
                        JsonObject.Shape shape = JsonObject.shape(java.util.Arrays.asList(names));
                        JsonValue[] values = new JsonValue[n];
                        while (rs.next()) {
                            for (int i = 0; i < n; i++) {
                                values[i] = readers[i].read(rs, i + 1);
                            }
                            JsonObject row = shape.object(values);
                            Record record = session.record(spec, row);
                            Position position = spec.position(row, record.id());
                            if (mode == Mode.OVERLAP) {
                                page.addOverlap(record);
                            } else {
                                page.add(record, position);
                            }
                            last = position;
                            rows++;
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Connections.rollbackQuietly(c);
                throw e;
            } finally {
                Connections.restore(c, autoCommit, readOnly);
            }
        } catch (SQLException e) {
            throw JdbcErrors.read(session.connector(), operation, e);
        }
        if (last != null) {
            // Only the page's last position is resumed from: its ordering values are worked out once a page.
            after = orderingValues(last);
        }
        boolean full = rows >= pageSize;
        if (mode == Mode.OVERLAP) {
            if (!full) {
                mode = Mode.READ;
                after = resume;
            }
            return page.build(false);
        }
        if (!full) {
            mode = Mode.DONE;
        }
        return page.build(!full);
    }

    /**
     * The statement's fetch size. A page never holds more than {@code pageSize} rows (the query's FETCH FIRST),
     * so when a fetch may take a whole page it asks for one row more: a cursor asked for exactly the page's rows
     * stops short of the end, and the driver would spend a round trip per page learning that no row is left.
     * Rows per round trip stay at most {@code fetchSize}.
     */
    static int fetchSize(int fetchSize, int pageSize) {
        if (fetchSize < pageSize) {
            return fetchSize;
        }
        return pageSize == Integer.MAX_VALUE ? pageSize : pageSize + 1;
    }

    /** Whether the driver reports the column signed; a driver that cannot tell gets the general read. */
    private static boolean signed(ResultSetMetaData md, int column) {
        try {
            return md.isSigned(column);
        } catch (SQLException e) {
            return false;
        }
    }

    private void bind(PreparedStatement ps, Binds binds) throws SQLException {
        try {
            binds.bindAll(ps);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    session.connector(),
                    operation,
                    e.getMessage() == null ? "a value does not fit its column" : e.getMessage(),
                    List.of(),
                    e);
        }
    }

    /** The page's query; its values go to {@code binds}, in placeholder order. */
    private String sql(Binds binds) {
        StringBuilder sql = new StringBuilder("SELECT * FROM ");
        String querySql = "";
        if (spec.query != null) {
            NamedSql q = spec.query;
            querySql = q.render(name -> RowSecurity.count(principal, scope, name));
            for (String name : q.names()) {
                if (RowSecurity.READ_ATTRIBUTES.contains(name)) {
                    RowSecurity.bind(binds, principal, scope, name);
                } else {
                    String value = filter.get(name);
                    boolean postgres = session.postgres();
                    binds.add((ps, i) -> {
                        if (postgres) {
                            ps.setObject(i, value, Types.OTHER); // typed by the server, as a literal would be
                        } else {
                            ps.setString(i, value);
                        }
                    });
                }
            }
        }
        sql.append(spec.from(querySql)).append(" t WHERE 1 = 1");
        boolean filtered = !principal.system() || session.config().systemReadsFiltered;
        if (spec.rowFilter != null && filtered) {
            NamedSql f = spec.rowFilter;
            sql.append(" AND (")
                    .append(f.render(name -> RowSecurity.count(principal, scope, name)))
                    .append(")");
            for (String name : f.names()) {
                RowSecurity.bind(binds, principal, scope, name);
            }
        }
        for (Map.Entry<String, String> f : filter.entrySet()) {
            Column c = spec.column(f.getKey());
            if (c == null || (spec.query != null && spec.query.names().contains(f.getKey()))) {
                continue;
            }
            String value = f.getValue();
            sql.append(" AND t.").append(spec.quote(c.name())).append(" = ");
            sql.append(binds.add((ps, i) -> ColumnTypes.bindText(ps, i, c.kind(), value)));
        }
        if (spec.cursor != null && spec.query != null) {
            sql.append(" AND t.").append(spec.quote(spec.cursor)).append(" IS NOT NULL");
        }
        List<String> ordering = spec.ordering();
        if (mode == Mode.OVERLAP) {
            if (after == null) {
                String from = overlapFrom;
                Column cursor = spec.column(ordering.get(0));
                sql.append(" AND t.").append(spec.quote(ordering.get(0))).append(" >= ");
                sql.append(binds.add((ps, i) -> ColumnTypes.bindText(ps, i, kindOf(cursor), from == null ? "" : from)));
            } else {
                sql.append(" AND ").append(compare(ordering, after, ">", binds));
            }
            List<String> upTo = resume;
            if (upTo != null) {
                sql.append(" AND NOT ").append(compare(ordering, upTo, ">", binds));
            }
        } else if (after != null) {
            sql.append(" AND ").append(compare(ordering, after, ">", binds));
        }
        sql.append(" ORDER BY ");
        for (int i = 0; i < ordering.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("t.").append(spec.quote(ordering.get(i)));
        }
        int limit = pageSize;
        sql.append(" FETCH FIRST ")
                .append(binds.add((ps, i) -> ps.setInt(i, limit)))
                .append(" ROWS ONLY");
        return sql.toString();
    }

    private static ColumnTypes.Kind kindOf(@Nullable Column c) {
        return c == null ? ColumnTypes.Kind.STRING : c.kind();
    }

    /**
     * The lexicographic comparison of the ordering columns with {@code values}:
     * {@code (c1 > ?) OR (c1 = ? AND c2 > ?) OR ...}, every value bound as its column's type.
     */
    private String compare(List<String> columns, List<String> values, String op, Binds binds) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            out.append(i == 0 ? "(" : " OR (");
            for (int j = 0; j < i; j++) {
                out.append(term(columns.get(j), "=", values.get(j), binds)).append(" AND ");
            }
            out.append(term(columns.get(i), op, values.get(i), binds)).append(")");
        }
        return out.append(")").toString();
    }

    private String term(String column, String op, String value, Binds binds) {
        ColumnTypes.Kind kind = kindOf(spec.column(column));
        return "t." + spec.quote(column) + " " + op + " "
                + binds.add((ps, i) -> ColumnTypes.bindText(ps, i, kind, value));
    }
}
