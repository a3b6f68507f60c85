package dev.switchboard.connectors.jdbc.internal.cdc;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonFormatException;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL's text output of a column value (what {@code pgoutput} sends) as the JSON value the connector's reads
 * give for the same column, by the column's type OID:
 *
 * <table>
 *   <caption>type mapping</caption>
 *   <tr><th>PostgreSQL type</th><th>JSON value</th></tr>
 *   <tr><td>smallint, integer, bigint, oid</td><td>number</td></tr>
 *   <tr><td>numeric</td><td>number, exact ({@code NaN}, {@code Infinity} as strings)</td></tr>
 *   <tr><td>real, double precision</td><td>number as Java's {@code float}/{@code double} give it (NaN and
 *       infinities as strings)</td></tr>
 *   <tr><td>boolean</td><td>true / false</td></tr>
 *   <tr><td>timestamp with time zone</td><td>{@code Instant.toString()}</td></tr>
 *   <tr><td>timestamp</td><td>{@code LocalDateTime.toString()}</td></tr>
 *   <tr><td>date, time, time with time zone</td><td>{@code LocalDate}, {@code LocalTime}, {@code OffsetTime}
 *       {@code toString()}</td></tr>
 *   <tr><td>uuid</td><td>lower-case string</td></tr>
 *   <tr><td>json, jsonb</td><td>the parsed JSON value</td></tr>
 *   <tr><td>bytea</td><td>base64 string</td></tr>
 *   <tr><td>arrays of the types above</td><td>JSON arrays (nested for several dimensions)</td></tr>
 *   <tr><td>anything else (text, varchar, char, interval, money, enums, ...)</td><td>the text as PostgreSQL
 *       prints it</td></tr>
 * </table>
 *
 * <p>Values a Java type cannot hold (infinite or BC timestamps, years past 9999) stay the text PostgreSQL
 * printed. Thread-safe, stateless.
 */
public final class PgTextValues {
    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int OID = 26;
    static final int JSON = 114;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int DATE = 1082;
    static final int TIME = 1083;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int TIMETZ = 1266;
    static final int NUMERIC = 1700;
    static final int UUID = 2950;
    static final int JSONB = 3802;

    /** Array type OID to its element type OID, for the built-in types. */
    private static final Map<Integer, Integer> ARRAYS = Map.ofEntries(
            Map.entry(1000, BOOL),
            Map.entry(1001, BYTEA),
            Map.entry(1002, 18), // "char"
            Map.entry(1003, 19), // name
            Map.entry(1005, INT2),
            Map.entry(1007, INT4),
            Map.entry(1009, 25), // text
            Map.entry(1014, 1042), // bpchar
            Map.entry(1015, 1043), // varchar
            Map.entry(1016, INT8),
            Map.entry(1021, FLOAT4),
            Map.entry(1022, FLOAT8),
            Map.entry(1028, OID),
            Map.entry(1115, TIMESTAMP),
            Map.entry(1182, DATE),
            Map.entry(1183, TIME),
            Map.entry(1185, TIMESTAMPTZ),
            Map.entry(1270, TIMETZ),
            Map.entry(1231, NUMERIC),
            Map.entry(2951, UUID),
            Map.entry(199, JSON),
            Map.entry(3807, JSONB));

    private PgTextValues() {}

    /**
     * The JSON value of {@code text}, PostgreSQL's text output of a value of type {@code typeOid}; JSON null for
     * SQL NULL.
     */
    public static JsonValue toJson(int typeOid, @Nullable String text) {
        if (text == null) {
            return JsonNull.INSTANCE;
        }
        Integer element = ARRAYS.get(typeOid);
        if (element != null) {
            return array(element, text);
        }
        switch (typeOid) {
            case INT2, INT4, INT8, OID:
                return new JsonNumber(new BigDecimal(text));
            case NUMERIC:
                return isDecimal(text) ? new JsonNumber(new BigDecimal(text)) : new JsonString(text);
            case FLOAT4:
                return floating(Float.parseFloat(text), text);
            case FLOAT8:
                return floating(Double.parseDouble(text), text);
            case BOOL:
                return JsonBoolean.of(text.equals("t") || text.equalsIgnoreCase("true"));
            case UUID:
                return new JsonString(text.toLowerCase(Locale.ROOT));
            case JSON, JSONB:
                try {
                    return Json.parse(text);
                } catch (JsonFormatException e) {
                    return new JsonString(text); // PostgreSQL checked it; should not happen
                }
            case BYTEA:
                return new JsonString(Base64.getEncoder().encodeToString(bytea(text)));
            case TIMESTAMPTZ:
                return new JsonString(timestamptz(text));
            case TIMESTAMP:
                return new JsonString(local(
                        text, () -> LocalDateTime.parse(text.replace(' ', 'T')).toString()));
            case DATE:
                return new JsonString(local(text, () -> LocalDate.parse(text).toString()));
            case TIME:
                return new JsonString(local(text, () -> LocalTime.parse(text).toString()));
            case TIMETZ:
                return new JsonString(timetz(text));
            default:
                return new JsonString(text);
        }
    }

    private static boolean isDecimal(String text) {
        return !text.isEmpty() && (Character.isDigit(text.charAt(text.length() - 1)));
    }

    private static JsonValue floating(double value, String text) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return new JsonString(text);
        }
        return JsonNumber.of(value);
    }

    private interface Parse {
        String run();
    }

    private static String local(String text, Parse parse) {
        try {
            return parse.run();
        } catch (DateTimeException e) {
            return text; // infinity, BC, years past 9999
        }
    }

    /** {@code 2024-01-02 03:04:05.123456+05:30} (any offset form PostgreSQL prints) as an instant's text. */
    static String timestamptz(String text) {
        int space = text.indexOf(' ');
        int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        if (space < 0 || sign < space) {
            return text;
        }
        try {
            LocalDateTime local = LocalDateTime.parse(text.substring(0, sign).replace(' ', 'T'));
            return OffsetDateTime.of(local, ZoneOffset.of(text.substring(sign)))
                    .toInstant()
                    .toString();
        } catch (DateTimeException e) {
            return text;
        }
    }

    private static String timetz(String text) {
        int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        if (sign <= 0) {
            return text;
        }
        try {
            return OffsetTime.of(LocalTime.parse(text.substring(0, sign)), ZoneOffset.of(text.substring(sign)))
                    .toString();
        } catch (DateTimeException e) {
            return text;
        }
    }

    /** bytea's text output: {@code \x} and hex digits (the default), or the older escape format. */
    static byte[] bytea(String text) {
        if (text.startsWith("\\x")) {
            int n = (text.length() - 2) / 2;
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) Integer.parseInt(text.substring(2 + 2 * i, 4 + 2 * i), 16);
            }
            return out;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                out.write('\\');
                i++;
            } else if (c == '\\' && i + 3 < text.length()) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static JsonValue array(int element, String text) {
        String literal = text;
        if (literal.startsWith("[")) { // explicit bounds, e.g. [0:2]={1,2,3}
            literal = literal.substring(literal.indexOf('=') + 1);
        }
        ArrayText parser = new ArrayText(literal);
        return elements(element, parser.parse());
    }

    private static JsonArray elements(int element, List<@Nullable Object> items) {
        JsonArray.Builder out = JsonArray.builder();
        for (Object item : items) {
            if (item instanceof List<?> nested) {
                @SuppressWarnings("unchecked")
                List<@Nullable Object> inner = (List<@Nullable Object>) nested;
                out.add(elements(element, inner));
            } else {
                out.add(toJson(element, (String) item));
            }
        }
        return out.build();
    }

    /** PostgreSQL's array literal: braces, commas, double quotes with backslash escapes, unquoted NULL. */
    private static final class ArrayText {
        private final String s;
        private int i;

        ArrayText(String s) {
            this.s = s;
        }

        List<@Nullable Object> parse() {
            List<@Nullable Object> list = list();
            if (i != s.length()) {
                throw new IllegalArgumentException("not an array literal: trailing text at " + i);
            }
            return list;
        }

        private List<@Nullable Object> list() {
            expect('{');
            List<@Nullable Object> items = new ArrayList<>();
            if (peek() == '}') {
                i++;
                return items;
            }
            while (true) {
                char c = peek();
                if (c == '{') {
                    items.add(list());
                } else if (c == '"') {
                    items.add(quoted());
                } else {
                    int start = i;
                    while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != '}') {
                        i++;
                    }
                    String raw = s.substring(start, i).trim();
                    items.add(raw.equalsIgnoreCase("NULL") ? null : raw);
                }
                char next = peek();
                i++;
                if (next == '}') {
                    return items;
                }
                if (next != ',') {
                    throw new IllegalArgumentException("not an array literal: '" + next + "' at " + (i - 1));
                }
            }
        }

        private String quoted() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '\\') {
                    b.append(s.charAt(i++));
                } else if (c == '"') {
                    return b.toString();
                } else {
                    b.append(c);
                }
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("not an array literal: it ends early");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("not an array literal: expected '" + c + "' at " + i);
            }
            i++;
        }
    }
}
