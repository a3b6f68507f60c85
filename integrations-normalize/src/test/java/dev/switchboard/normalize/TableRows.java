package dev.switchboard.normalize;

import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads table rows into records of the shape the JDBC connector will emit (docs/normalize.md,
 * "Configured table mappings"): data is column label to value; text as strings, numbers as
 * numbers, booleans as booleans, dates as ISO dates, timestamps as ISO-8601 with their offset
 * (UTC for a column without one), SQL NULL as JSON null; the id is the primary key column's value;
 * the stream and source object are the table.
 */
final class TableRows {
    static final String CONNECTOR = "jdbc";

    private TableRows() {}

    static List<Record> read(Connection db, String connection, String table, String primaryKey, String tenant)
            throws SQLException {
        List<Record> out = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                JsonObject.Builder data = JsonObject.builder();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    data.put(meta.getColumnLabel(c), value(rs, c, meta.getColumnType(c)));
                }
                JsonObject row = data.build();
                out.add(Record.builder().stream(table)
                        .id(rs.getString(primaryKey))
                        .source(new RecordSource(CONNECTOR, connection, table))
                        .data(row)
                        .acl(Acl.tenant(tenant))
                        .build());
            }
        }
        return out;
    }

    private static JsonValue value(ResultSet rs, int c, int type) throws SQLException {
        JsonValue v = switch (type) {
            case Types.BOOLEAN, Types.BIT -> {
                boolean b = rs.getBoolean(c);
                yield rs.wasNull() ? JsonNull.INSTANCE : dev.switchboard.core.json.JsonBoolean.of(b);
            }
            case Types.TINYINT,
                    Types.SMALLINT,
                    Types.INTEGER,
                    Types.BIGINT,
                    Types.DECIMAL,
                    Types.NUMERIC,
                    Types.REAL,
                    Types.FLOAT,
                    Types.DOUBLE -> {
                BigDecimal n = rs.getBigDecimal(c);
                yield n == null ? JsonNull.INSTANCE : new JsonNumber(n);
            }
            case Types.DATE -> {
                java.sql.Date d = rs.getDate(c);
                yield d == null
                        ? JsonNull.INSTANCE
                        : new JsonString(d.toLocalDate().toString());
            }
            case Types.TIMESTAMP_WITH_TIMEZONE -> {
                OffsetDateTime t = rs.getObject(c, OffsetDateTime.class);
                yield t == null ? JsonNull.INSTANCE : new JsonString(t.toString());
            }
            case Types.TIMESTAMP -> {
                java.time.LocalDateTime t = rs.getObject(c, java.time.LocalDateTime.class);
                yield t == null
                        ? JsonNull.INSTANCE
                        : new JsonString(t.atOffset(ZoneOffset.UTC).toString());
            }
            default -> {
                String s = rs.getString(c);
                yield s == null ? JsonNull.INSTANCE : new JsonString(s);
            }
        };
        return v;
    }
}
