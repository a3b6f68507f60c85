package dev.switchboard.connectors.jdbc.internal;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The one mapping of SQL column types to record values and schema types, for reads and for the change feed:
 * a row read and the same row from the change feed must give equal {@code Record.data()}.
 *
 * <table>
 * <caption>SQL type to JSON value and schema type</caption>
 * <tr><th>SQL type</th><th>JSON value</th><th>{@link FieldType}</th></tr>
 * <tr><td>BOOLEAN, BIT</td><td>true / false</td><td>BOOLEAN</td></tr>
 * <tr><td>TINYINT, SMALLINT, INTEGER, BIGINT</td><td>number</td><td>INTEGER</td></tr>
 * <tr><td>NUMERIC, DECIMAL</td><td>number, every digit and the scale kept ({@code BigDecimal}, never a double)</td><td>NUMBER</td></tr>
 * <tr><td>REAL, FLOAT, DOUBLE</td><td>number, the shortest decimal that reads back as the same float
 *     ({@code Double.toString}); NaN and infinities as the strings {@code "NaN"}, {@code "Infinity"},
 *     {@code "-Infinity"}</td><td>NUMBER</td></tr>
 * <tr><td>CHAR, VARCHAR, TEXT, CLOB and any type not listed here</td><td>string (the driver's text)</td><td>STRING</td></tr>
 * <tr><td>TIMESTAMP WITH TIME ZONE ({@code timestamptz})</td><td>string, the instant in UTC,
 *     {@code Instant.toString()}: {@code 2024-03-01T09:30:00.123456Z}</td><td>TIMESTAMP</td></tr>
 * <tr><td>TIMESTAMP (without zone)</td><td>string, {@code LocalDateTime.toString()}: {@code 2024-03-01T09:30}</td><td>TIMESTAMP</td></tr>
 * <tr><td>DATE</td><td>string, ISO {@code 2024-03-01}</td><td>DATE</td></tr>
 * <tr><td>TIME, TIME WITH TIME ZONE</td><td>string, {@code LocalTime.toString()} / {@code OffsetTime.toString()}</td><td>STRING</td></tr>
 * <tr><td>UUID</td><td>string, lower case</td><td>STRING</td></tr>
 * <tr><td>JSON, JSONB</td><td>the parsed JSON value (object, array, string, number, boolean or null)</td><td>ANY</td></tr>
 * <tr><td>ARRAY ({@code int[]}, {@code text[]}...)</td><td>array, each element mapped by its Java type as above</td><td>ARRAY</td></tr>
 * <tr><td>BINARY, VARBINARY, BLOB, {@code bytea}</td><td>string, base64 (RFC 4648, with padding)</td><td>STRING</td></tr>
 * <tr><td>SQL NULL (any type)</td><td>null</td><td>(nullable)</td></tr>
 * </table>
 *
 * <p>Types are recognized by their database type name first (PostgreSQL reports {@code timestamptz},
 * {@code uuid} and {@code json} under generic {@link Types} codes), then by their {@link Types} code.
 */
public final class ColumnTypes {
    private ColumnTypes() {}

    /** The kinds of column this mapping tells apart. */
    public enum Kind {
        BOOLEAN,
        INTEGER,
        DECIMAL,
        FLOAT,
        STRING,
        TIMESTAMP_TZ,
        TIMESTAMP,
        DATE,
        TIME,
        TIME_TZ,
        UUID,
        JSON,
        ARRAY,
        BINARY;

        /** The schema type a column of this kind promises. */
        public FieldType fieldType() {
            return switch (this) {
                case BOOLEAN -> FieldType.BOOLEAN;
                case INTEGER -> FieldType.INTEGER;
                case DECIMAL, FLOAT -> FieldType.NUMBER;
                case TIMESTAMP_TZ, TIMESTAMP -> FieldType.TIMESTAMP;
                case DATE -> FieldType.DATE;
                case JSON -> FieldType.ANY;
                case ARRAY -> FieldType.ARRAY;
                case STRING, TIME, TIME_TZ, UUID, BINARY -> FieldType.STRING;
            };
        }
    }

    /**
     * The kind of a column from its {@link Types} code and its database type name (as {@code
     * DatabaseMetaData.getColumns} or {@code ResultSetMetaData} report them; PostgreSQL's own names such as
     * {@code timestamptz}, {@code int4}, {@code _text} are understood too).
     */
    public static Kind kind(int jdbcType, @Nullable String typeName) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT).trim();
        if (name.startsWith("_") || name.endsWith(" array") || name.endsWith("[]")) {
            return Kind.ARRAY;
        }
        switch (name) {
            case "timestamptz", "timestamp with time zone" -> {
                return Kind.TIMESTAMP_TZ;
            }
            case "timetz", "time with time zone" -> {
                return Kind.TIME_TZ;
            }
            case "uuid" -> {
                return Kind.UUID;
            }
            case "json", "jsonb" -> {
                return Kind.JSON;
            }
            case "bool", "boolean" -> {
                return Kind.BOOLEAN;
            }
            case "bytea" -> {
                return Kind.BINARY;
            }
            case "int2", "int4", "int8", "smallserial", "serial", "bigserial" -> {
                return Kind.INTEGER;
            }
            case "float4", "float8" -> {
                return Kind.FLOAT;
            }
            case "money" -> {
                return Kind.STRING;
            }
            default -> {
                // by the Types code below
            }
        }
        return switch (jdbcType) {
            case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> Kind.INTEGER;
            case Types.NUMERIC, Types.DECIMAL -> Kind.DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> Kind.FLOAT;
            case Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMP_TZ;
            case Types.TIMESTAMP -> Kind.TIMESTAMP;
            case Types.DATE -> Kind.DATE;
            case Types.TIME -> Kind.TIME;
            case Types.TIME_WITH_TIMEZONE -> Kind.TIME_TZ;
            case Types.ARRAY -> Kind.ARRAY;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BINARY;
            default -> Kind.STRING;
        };
    }

    /** The schema type a column promises (see the class table). */
    public static FieldType fieldType(int jdbcType, @Nullable String typeName) {
        return kind(jdbcType, typeName).fieldType();
    }

    /** Reads one column of the current row as the class table maps it; chosen once per result, not per value. */
    @FunctionalInterface
    public interface ColumnReader {
        JsonValue read(ResultSet rs, int column) throws SQLException;
    }

    /**
     * The reader for a column of {@code kind}; {@code signed} says the driver reports the column signed
     * ({@link java.sql.ResultSetMetaData#isSigned}). A signed integer column is read with {@code getLong}: the
     * same number {@link #read} gives, without parsing a BigDecimal per value (an unsigned BIGINT may not fit a
     * long, so it keeps the general read).
     */
    public static ColumnReader reader(Kind kind, boolean signed) {
        if (kind == Kind.INTEGER && signed) {
            return (rs, column) -> {
                long n = rs.getLong(column);
                return rs.wasNull() ? JsonNull.INSTANCE : JsonNumber.of(n);
            };
        }
        return (rs, column) -> read(rs, column, kind);
    }

    /**
     * The reader of a PostgreSQL {@code json} or {@code jsonb} column through pgjdbc: the value's bytes parsed as
     * they came off the wire, instead of decoded into a String and encoded back to UTF-8 for the parser. pgjdbc
     * hands a text-format value's bytes over unchanged (the connection's encoding is always UTF-8), and a
     * binary-format {@code jsonb} (when binary transfer is turned on for it) as a version byte 1 and then the
     * same text; a JSON text cannot begin with byte 1, so that byte is skipped. Same value as {@link #read}.
     *
     * <p>A {@code jsonb} object is parsed on first look ({@link Json#parseOnFirstLook}): the database keeps
     * {@code jsonb} only as valid JSON with unique member names, so nothing can fail later, and a read whose
     * consumer passes the value along unopened (the drift check asks only its type) does not parse it. A
     * {@code json} column keeps its text as written, duplicate names included, so it is parsed at once and a bad
     * value fails here, in the read.
     *
     * @param jsonb whether the column is {@code jsonb} (else {@code json})
     */
    static ColumnReader postgresJson(boolean jsonb) {
        return (rs, column) -> {
            byte[] bytes = rs.getBytes(column);
            if (bytes == null) {
                return JsonNull.INSTANCE;
            }
            if (bytes.length > 0 && bytes[0] == JSONB_BINARY_VERSION) {
                bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
            }
            return jsonb ? Json.parseOnFirstLook(bytes) : Json.parse(bytes);
        };
    }

    /**
     * The reader of a PostgreSQL {@code uuid} column through pgjdbc: the driver's text of the value, which the
     * server writes in lower case, 8-4-4-4-12, and pgjdbc formats the same from the binary format
     * ({@code UUID.toString()}), so it needs no {@code toLowerCase}; instead of {@code getObject}, which looks up
     * the column's type for every value. Same value as {@link #read} ({@code ColumnReadersTest} checks both
     * transfer formats, upper-case input included).
     */
    static ColumnReader postgresUuid() {
        return (rs, column) -> {
            String text = rs.getString(column);
            return text == null ? JsonNull.INSTANCE : new JsonString(text);
        };
    }

    /** Whether a PostgreSQL type name is {@code jsonb}'s. */
    static boolean isJsonb(@Nullable String typeName) {
        return typeName != null && typeName.trim().equalsIgnoreCase("jsonb");
    }

    /** The first byte of a {@code jsonb} value in PostgreSQL's binary format: its format version. */
    private static final byte JSONB_BINARY_VERSION = 1;

    // The instants whose ISO-8601 text has a four-digit year: 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private static final long FIRST_FOUR_DIGIT_SECOND = -62_167_219_200L;
    private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

    /**
     * {@code instant.toString()} (ISO-8601 in UTC, seconds always, the fraction in groups of three digits as
     * needed), written directly for four-digit years rather than through {@code DateTimeFormatter}; other
     * years take {@code toString()} itself.
     */
    static String instantText(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_FOUR_DIGIT_SECOND || seconds > LAST_FOUR_DIGIT_SECOND) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        int nano = instant.getNano();
        byte[] text = new byte[30];
        int p = digits(date.getYear(), 4, text, 0);
        text[p++] = '-';
        p = digits(date.getMonthValue(), 2, text, p);
        text[p++] = '-';
        p = digits(date.getDayOfMonth(), 2, text, p);
        text[p++] = 'T';
        p = digits(secondOfDay / 3600, 2, text, p);
        text[p++] = ':';
        p = digits(secondOfDay / 60 % 60, 2, text, p);
        text[p++] = ':';
        p = digits(secondOfDay % 60, 2, text, p);
        if (nano != 0) {
            text[p++] = '.';
            if (nano % 1_000_000 == 0) {
                p = digits(nano / 1_000_000, 3, text, p);
            } else if (nano % 1_000 == 0) {
                p = digits(nano / 1_000, 6, text, p);
            } else {
                p = digits(nano, 9, text, p);
            }
        }
        text[p++] = 'Z';
        return new String(text, 0, p, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Writes {@code value} (not negative) as exactly {@code width} decimal digits, zero-padded; returns the end. */
    private static int digits(int value, int width, byte[] out, int at) {
        int v = value;
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + width;
    }

    /** The value of column {@code column} (1-based) of the current row, mapped as the class table says. */
    public static JsonValue read(ResultSet rs, int column, Kind kind) throws SQLException {
        switch (kind) {
            case BOOLEAN -> {
                boolean b = rs.getBoolean(column);
                return rs.wasNull() ? JsonNull.INSTANCE : JsonBoolean.of(b);
            }
            case INTEGER -> {
                // getBigDecimal keeps an unsigned BIGINT whole; most values are small.
                BigDecimal n = rs.getBigDecimal(column);
                return n == null ? JsonNull.INSTANCE : new JsonNumber(n.setScale(0));
            }
            case DECIMAL -> {
                BigDecimal n = rs.getBigDecimal(column);
                return n == null ? JsonNull.INSTANCE : new JsonNumber(n);
            }
            case FLOAT -> {
                double d = rs.getDouble(column);
                return rs.wasNull() ? JsonNull.INSTANCE : ofDouble(d);
            }
            case TIMESTAMP_TZ -> {
                OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
                return t == null ? JsonNull.INSTANCE : new JsonString(instantText(t.toInstant()));
            }
            case TIMESTAMP -> {
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                return t == null ? JsonNull.INSTANCE : new JsonString(t.toString());
            }
            case DATE -> {
                LocalDate d = rs.getObject(column, LocalDate.class);
                return d == null ? JsonNull.INSTANCE : new JsonString(d.toString());
            }
            case TIME -> {
                LocalTime t = rs.getObject(column, LocalTime.class);
                return t == null ? JsonNull.INSTANCE : new JsonString(t.toString());
            }
            case TIME_TZ -> {
                OffsetTime t = rs.getObject(column, OffsetTime.class);
                return t == null ? JsonNull.INSTANCE : new JsonString(t.toString());
            }
            case UUID -> {
                Object o = rs.getObject(column);
                if (o == null) {
                    return JsonNull.INSTANCE;
                }
                return new JsonString(o.toString().toLowerCase(Locale.ROOT));
            }
            case JSON -> {
                String text = rs.getString(column);
                return text == null ? JsonNull.INSTANCE : Json.parse(text);
            }
            case ARRAY -> {
                Array array = rs.getArray(column);
                if (array == null) {
                    return JsonNull.INSTANCE;
                }
                try {
                    return fromJava(array.getArray());
                } finally {
                    try {
                        array.free();
                    } catch (SQLException | UnsupportedOperationException ignored) {
                        // some drivers free nothing
                    }
                }
            }
            case BINARY -> {
                byte[] bytes = rs.getBytes(column);
                return bytes == null
                        ? JsonNull.INSTANCE
                        : new JsonString(Base64.getEncoder().encodeToString(bytes));
            }
            case STRING -> {
                String s = rs.getString(column);
                return s == null ? JsonNull.INSTANCE : new JsonString(s);
            }
        }
        throw new AssertionError(kind);
    }

    /**
     * A value the driver returned as a Java object (an array element, a JSON column's text) as JSON, by its Java
     * type, following the class table: numbers exact, temporal values as ISO text (an {@link OffsetDateTime} or
     * {@link Instant} as a UTC instant), a {@link UUID} lower case, bytes as base64, arrays as arrays, anything
     * else as its text.
     */
    public static JsonValue fromJava(@Nullable Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof Object[] items) {
            List<JsonValue> out = new ArrayList<>(items.length);
            for (Object item : items) {
                out.add(fromJava(item));
            }
            return JsonArray.of(out);
        }
        if (value instanceof byte[] bytes) {
            return new JsonString(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Boolean b) {
            return JsonBoolean.of(b);
        }
        if (value instanceof BigDecimal d) {
            return new JsonNumber(d);
        }
        if (value instanceof BigInteger i) {
            return new JsonNumber(new BigDecimal(i));
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return JsonNumber.of(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return ofDouble(((Number) value).doubleValue());
        }
        if (value instanceof UUID u) {
            return new JsonString(u.toString());
        }
        if (value instanceof OffsetDateTime t) {
            return new JsonString(t.toInstant().toString());
        }
        if (value instanceof Instant t) {
            return new JsonString(t.toString());
        }
        if (value instanceof java.sql.Timestamp t) {
            return new JsonString(t.toLocalDateTime().toString());
        }
        if (value instanceof java.sql.Date d) {
            return new JsonString(d.toLocalDate().toString());
        }
        if (value instanceof java.sql.Time t) {
            return new JsonString(t.toLocalTime().toString());
        }
        return new JsonString(value.toString());
    }

    private static JsonValue ofDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return new JsonString(Double.toString(d));
        }
        return new JsonNumber(new BigDecimal(Double.toString(d)));
    }

    /**
     * Binds {@code text} (a request filter's value, a position's cursor or key) as a parameter of a column of
     * {@code kind}, converted to that column's Java type, so the database compares values, not text.
     *
     * @throws IllegalArgumentException when the text is not a value of that kind; the message says which kind
     */
    public static void bindText(PreparedStatement ps, int index, Kind kind, String text) throws SQLException {
        try {
            switch (kind) {
                case BOOLEAN -> {
                    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException("not true or false");
                    }
                    ps.setBoolean(index, Boolean.parseBoolean(text));
                }
                case INTEGER -> {
                    BigDecimal n = new BigDecimal(text).setScale(0);
                    // A long keeps the comparison on the column's own type, so its index serves keyset reads.
                    if (n.precision() < 19) {
                        ps.setLong(index, n.longValueExact());
                    } else {
                        ps.setBigDecimal(index, n);
                    }
                }
                case DECIMAL, FLOAT -> ps.setBigDecimal(index, new BigDecimal(text));
                case TIMESTAMP_TZ -> ps.setObject(index, parseInstant(text).atOffset(ZoneOffset.UTC));
                case TIMESTAMP -> ps.setObject(index, LocalDateTime.parse(text));
                case DATE -> ps.setObject(index, LocalDate.parse(text));
                case TIME -> ps.setObject(index, LocalTime.parse(text));
                case TIME_TZ -> ps.setObject(index, OffsetTime.parse(text));
                case UUID -> ps.setObject(index, java.util.UUID.fromString(text));
                case STRING -> ps.setString(index, text);
                case JSON, ARRAY, BINARY -> throw new IllegalArgumentException("a " + kind + " column is not compared");
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + describe(kind) + " value", e);
        }
    }

    /** An instant from ISO-8601 text with an offset ({@code Z} or {@code +02:00}). */
    static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    /** How a kind is named in messages. */
    public static String describe(Kind kind) {
        return switch (kind) {
            case BOOLEAN -> "boolean (true or false)";
            case INTEGER -> "whole number";
            case DECIMAL, FLOAT -> "number";
            case TIMESTAMP_TZ -> "timestamp with zone (ISO-8601, e.g. 2024-03-01T09:30:00Z)";
            case TIMESTAMP -> "timestamp (ISO-8601, e.g. 2024-03-01T09:30:00)";
            case DATE -> "date (ISO-8601, e.g. 2024-03-01)";
            case TIME -> "time (ISO-8601, e.g. 09:30:00)";
            case TIME_TZ -> "time with offset (e.g. 09:30:00+01:00)";
            case UUID -> "UUID";
            case STRING -> "text";
            case JSON -> "JSON";
            case ARRAY -> "array";
            case BINARY -> "binary";
        };
    }

    /** Whether a column of this kind can order reads and be compared with a bound value (keys, cursors, filters). */
    public static boolean comparable(Kind kind) {
        return kind != Kind.JSON && kind != Kind.ARRAY && kind != Kind.BINARY;
    }
}
