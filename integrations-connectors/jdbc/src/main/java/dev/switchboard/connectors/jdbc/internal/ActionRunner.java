package dev.switchboard.connectors.jdbc.internal;

import dev.switchboard.connectors.jdbc.JdbcAction;
import dev.switchboard.connectors.jdbc.JdbcParameter;
import dev.switchboard.core.Principal;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.RecordRef;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Runs one declared action: its statement with every input bound by its declared type, in one transaction
 * (with the principal's PostgreSQL settings), committed or rolled back as a whole.
 */
final class ActionRunner {
    private final JdbcSession session;
    private final JdbcAction action;
    private final String operation;

    ActionRunner(JdbcSession session, JdbcAction action) {
        this(session, action, false);
    }

    /** A runner for a dry run ({@code previewing}): its errors name the operation as a preview. */
    ActionRunner(JdbcSession session, JdbcAction action, boolean previewing) {
        this.session = session;
        this.action = action;
        this.operation = (previewing ? "preview " : "execute ") + action.name();
    }

    ActionOutput run(JsonObject input, Principal principal) {
        return run(input, principal, false);
    }

    /**
     * The dry run: the statement runs as {@link #run} runs it (same binds, the principal's row-security
     * settings, the statement timeout), inside a transaction that is always rolled back, never committed.
     * It says how many rows the statement would touch, the rows it would return, and which records of its
     * stream they are; a statement the database refuses fails as the action would.
     */
    ActionPreview preview(JsonObject input, Principal principal) {
        ActionOutput would = run(input, principal, true);
        JsonObject.Builder wouldChange = JsonObject.builder()
                .put("statement", statementKind(action))
                .put("rowCount", Objects.requireNonNull(would.output().get("rowCount"), "rowCount"));
        JsonValue rows = would.output().get("rows");
        if (rows != null) {
            wouldChange.put("rows", rows);
        }
        if (action.stream() != null) {
            wouldChange.put("stream", action.stream());
        }
        wouldChange.put("rolledBack", true);
        return new ActionPreview(wouldChange.build(), would.affected());
    }

    /** The statement's first keyword, upper case: INSERT, UPDATE, DELETE, CALL, MERGE... */
    static String statementKind(JdbcAction action) {
        String sql = action.sql().strip();
        int end = 0;
        while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        return end == 0 ? "SQL" : sql.substring(0, end).toUpperCase(java.util.Locale.ROOT);
    }

    private ActionOutput run(JsonObject input, Principal principal, boolean rollBack) {
        NamedSql statement = NamedSql.parse(action.sql());
        Binds binds = new Binds();
        for (String name : statement.names()) {
            if (RowSecurity.ATTRIBUTES.contains(name) && parameter(name) == null) {
                RowSecurity.bind(binds, principal, name);
            } else {
                JdbcParameter p = java.util.Objects.requireNonNull(parameter(name));
                bindInput(binds, p, input.get(name));
            }
        }
        for (String given : input.names()) {
            if (parameter(given) == null) {
                throw new InvalidInputException(
                        session.connector(),
                        operation,
                        "'" + given
                                + "' is not an input of action '" + action.name() + "'; its inputs are "
                                + action.parameters().stream()
                                        .map(JdbcParameter::name)
                                        .toList());
            }
        }
        String sql = statement.render(name -> RowSecurity.count(principal, name));
        long rowCount;
        List<JsonObject> rows = new ArrayList<>();
        try (Connection c = session.dataSource().getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            boolean readOnly = c.isReadOnly();
            boolean committing = false;
            try {
                if (readOnly) {
                    c.setReadOnly(false);
                }
                if (autoCommit) {
                    c.setAutoCommit(false);
                }
                session.rowSecurity().apply(c, principal);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    session.applyTimeout(ps);
                    binds.bindAll(ps);
                    if (action.returning()) {
                        try (ResultSet rs = ps.executeQuery()) {
                            ResultSetMetaData md = rs.getMetaData();
                            int n = md.getColumnCount();
                            while (rs.next()) {
                                JsonObject.Builder row = JsonObject.builder(n);
                                for (int i = 1; i <= n; i++) {
                                    row.put(
                                            md.getColumnLabel(i),
                                            ColumnTypes.read(
                                                    rs,
                                                    i,
                                                    ColumnTypes.kind(md.getColumnType(i), md.getColumnTypeName(i))));
                                }
                                rows.add(row.build());
                            }
                        }
                        rowCount = rows.size();
                    } else {
                        rowCount = ps.executeLargeUpdate();
                    }
                }
                if (rollBack) {
                    c.rollback(); // a dry run: whatever the statement did is undone, nothing is committed
                } else {
                    committing = true;
                    c.commit();
                }
            } catch (SQLException e) {
                Connections.rollbackQuietly(c);
                throw JdbcErrors.write(session.connector(), operation, e, committing, action.retrySafe());
            } catch (RuntimeException e) {
                Connections.rollbackQuietly(c);
                throw e;
            } finally {
                Connections.restore(c, autoCommit, readOnly);
            }
        } catch (SQLException e) {
            // No connection, so nothing was written.
            throw JdbcErrors.write(session.connector(), operation, e, false, action.retrySafe());
        }
        JsonObject.Builder output = JsonObject.builder().put("rowCount", JsonNumber.of(rowCount));
        if (action.returning()) {
            output.put("rows", JsonArray.of(rows));
        }
        return new ActionOutput(output.build(), affected(input, rows, rowCount));
    }

    private List<RecordRef> affected(JsonObject input, List<JsonObject> rows, long rowCount) {
        String stream = action.stream();
        if (stream == null || rowCount <= 0) {
            return List.of();
        }
        TableSpec spec = session.spec(stream);
        if (spec == null) {
            return List.of();
        }
        boolean deletes = action.deletes();
        List<RecordRef> out = new ArrayList<>();
        if (action.returning()) {
            Set<String> columns = new HashSet<>();
            spec.columns.forEach(col -> columns.add(col.name()));
            for (JsonObject row : rows) {
                String id = spec.idOf(row);
                RecordRef ref = deletes ? RecordRef.deleted(stream, id) : RecordRef.changed(stream, id);
                // A whole row returned is the row a read would give: its version is known.
                if (!deletes && row.names().equals(columns)) {
                    ref = ref.withVersion(RowIdentity.version(row));
                }
                out.add(ref);
            }
            return out;
        }
        List<String> keyValues = new ArrayList<>();
        for (String k : action.keyInputs()) {
            JsonValue v = input.get(k);
            if (v == null || v == JsonNull.INSTANCE) {
                return List.of();
            }
            keyValues.add(TableSpec.text(v));
        }
        String id = RowIdentity.id(keyValues);
        out.add(deletes ? RecordRef.deleted(stream, id) : RecordRef.changed(stream, id));
        return out;
    }

    private @org.jspecify.annotations.Nullable JdbcParameter parameter(String name) {
        for (JdbcParameter p : action.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private void bindInput(Binds binds, JdbcParameter p, @org.jspecify.annotations.Nullable JsonValue value) {
        if (value == null || value == JsonNull.INSTANCE) {
            if (p.required()) {
                throw invalid(p, "is required");
            }
            int sqlType = sqlType(p.type());
            binds.add((ps, i) -> ps.setNull(i, sqlType));
            return;
        }
        try {
            switch (p.type()) {
                case STRING -> {
                    String s = string(p, value);
                    binds.add((ps, i) -> ps.setString(i, s));
                }
                case INTEGER -> {
                    BigDecimal n = number(p, value).setScale(0);
                    binds.add((ps, i) -> ps.setBigDecimal(i, n));
                }
                case NUMBER -> {
                    BigDecimal n = number(p, value);
                    binds.add((ps, i) -> ps.setBigDecimal(i, n));
                }
                case BOOLEAN -> {
                    if (!(value instanceof JsonBoolean b)) {
                        throw invalid(p, "must be true or false");
                    }
                    boolean v = b.value();
                    binds.add((ps, i) -> ps.setBoolean(i, v));
                }
                case TIMESTAMP -> {
                    OffsetDateTime t = OffsetDateTime.parse(string(p, value)).withOffsetSameInstant(ZoneOffset.UTC);
                    binds.add((ps, i) -> ps.setObject(i, t));
                }
                case DATE -> {
                    LocalDate d = LocalDate.parse(string(p, value));
                    binds.add((ps, i) -> ps.setObject(i, d));
                }
                case UUID -> {
                    UUID u = UUID.fromString(string(p, value));
                    binds.add((ps, i) -> ps.setObject(i, u));
                }
            }
        } catch (ArithmeticException e) {
            throw invalid(p, "must be a whole number");
        } catch (DateTimeParseException | IllegalArgumentException e) {
            if (e instanceof InvalidInputException) {
                throw e;
            }
            throw invalid(p, "is not a valid " + p.type().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static int sqlType(JdbcParameter.Type type) {
        return switch (type) {
            case STRING -> Types.VARCHAR;
            case INTEGER -> Types.BIGINT;
            case NUMBER -> Types.NUMERIC;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
            case DATE -> Types.DATE;
            case UUID -> Types.OTHER;
        };
    }

    private String string(JdbcParameter p, JsonValue value) {
        if (!(value instanceof JsonString s)) {
            throw invalid(p, "must be a string");
        }
        return s.value();
    }

    private BigDecimal number(JdbcParameter p, JsonValue value) {
        if (!(value instanceof JsonNumber n)) {
            throw invalid(p, "must be a number");
        }
        return n.value();
    }

    private InvalidInputException invalid(JdbcParameter p, String problem) {
        return new InvalidInputException(
                session.connector(), operation, "input '" + p.name() + "' " + problem + "; fix it and try again");
    }
}
