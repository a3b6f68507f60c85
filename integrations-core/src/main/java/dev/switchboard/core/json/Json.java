package dev.switchboard.core.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Parsing, writing and conversion of {@link JsonValue}s. Thread-safe. */
public final class Json {
    private Json() {}

    /**
     * Parses one complete JSON document.
     *
     * @throws JsonFormatException if the bytes are malformed, truncated or followed by more content
     */
    public static JsonValue parse(byte[] utf8) {
        return StreamingParser.parse(utf8);
    }

    /**
     * The value of one JSON document whose source has already checked it (a PostgreSQL {@code jsonb} value,
     * which the database stores only as valid JSON with unique member names): an object is parsed only when
     * one of its methods first needs its members ({@link JsonValue#type()} does not), so a reader that passes
     * such values along without looking inside them does not pay for parsing; any other value is parsed now.
     * The result is equal to, and behaves through every method as, {@link #parse}'s for the same bytes.
     *
     * <p>The array is kept as handed over, not copied: the caller must not change it afterwards.
     *
     * @throws JsonFormatException if the document is not JSON: here for a value other than an object, and for
     *     an object when its members are first needed (never, for bytes the source checked)
     */
    public static JsonValue parseOnFirstLook(byte[] utf8) {
        for (byte b : utf8) {
            if (b == '{') {
                return JsonObject.parseOnFirstLook(utf8);
            }
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                break;
            }
        }
        return parse(utf8);
    }

    /** Parses one complete JSON document. */
    public static JsonValue parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a document that must be an object.
     *
     * @throws JsonFormatException if it is not JSON, or is JSON of another type
     */
    public static JsonObject parseObject(byte[] utf8) {
        JsonValue value = parse(utf8);
        if (value instanceof JsonObject o) {
            return o;
        }
        throw new JsonFormatException("expected a JSON object but found " + value.type(), 0, null);
    }

    /** Compact JSON text for this value. */
    public static String write(JsonValue value) {
        return StreamingParser.write(value);
    }

    /**
     * Compact JSON text for this value in UTF-8: {@link #write}'s text, without the detour through a String
     * (a lone surrogate, which has no UTF-8 form, is written as its {@code \\uXXXX} escape).
     */
    public static byte[] writeUtf8(JsonValue value) {
        return StreamingParser.writeUtf8(value);
    }

    /**
     * The RFC 8785 (JSON Canonicalization Scheme) text of this value: the one spelling that every
     * JCS implementation gives any JSON with the same content, whatever its member order, whitespace
     * or number spelling.
     *
     * <ul>
     *   <li>Object members are sorted by name, comparing names as sequences of UTF-16 code units;
     *       no whitespace anywhere.
     *   <li>Strings escape {@code "} and {@code \} with a backslash, U+0008, U+0009, U+000A, U+000C
     *       and U+000D as {@code \b \t \n \f \r}, every other code point below U+0020 as
     *       <code>&#92;u00xx</code> in lower-case hex, and nothing else: {@code /}, non-ASCII and
     *       supplementary characters appear as they are.
     *   <li>Numbers are converted to the nearest IEEE 754 double, as RFC 8785 requires, and written
     *       as ECMAScript's {@code Number.prototype.toString} writes that double: the fewest digits
     *       that read back as it, plain from 1e-6 up to below 1e21, otherwise as {@code 1.5e+30} or
     *       {@code 1e-7}; {@code 1}, {@code 1.0} and {@code 1e0} all give {@code 1}. So precision
     *       past a double's is lost: integers above 2^53 and decimals of more than about 17
     *       significant digits may canonicalize equal to a neighbour (keep such values as strings
     *       when they must be told apart).
     *   <li>{@code true}, {@code false} and {@code null} as literals.
     * </ul>
     *
     * @throws IllegalArgumentException when the value has no canonical form: a number whose
     *     magnitude exceeds the largest double, or a string holding an unpaired UTF-16 surrogate
     *     (RFC 8785 admits only I-JSON, whose strings are Unicode text); the message quotes no value
     */
    public static String canonicalize(JsonValue value) {
        return Canonical.canonicalize(value);
    }

    /**
     * The SHA-256 of the UTF-8 bytes of {@link #canonicalize(JsonValue) this value's canonical
     * text}, as 64 lower-case hex digits. Two values equal as JSON, in the sense of
     * {@link JsonValue#equals}, have the same digest, as do values whose numbers differ only below a
     * double's precision. Stable across releases: the scheme is fixed by RFC 8785.
     *
     * @throws IllegalArgumentException when the value has no canonical form (see {@link #canonicalize})
     */
    public static String canonicalDigest(JsonValue value) {
        return Canonical.digest(value);
    }

    /**
     * Converts plain Java values into JSON: {@code Map} with string keys, {@code Collection},
     * {@code CharSequence}, {@code Number}, {@code Boolean}, {@code null}, and {@link JsonValue}s.
     *
     * @throws IllegalArgumentException for any other type, naming it
     */
    public static JsonValue from(@Nullable Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof JsonValue v) {
            return v;
        }
        if (value instanceof CharSequence s) {
            return new JsonString(s.toString());
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
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no representation for " + d);
            }
            return JsonNumber.of(d);
        }
        if (value instanceof Map<?, ?> map) {
            LinkedHashMap<String, JsonValue> fields = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(
                            "JSON object keys must be strings, found " + typeName(e.getKey()));
                }
                fields.put(key, from(e.getValue()));
            }
            return JsonObject.wrap(fields);
        }
        if (value instanceof Collection<?> items) {
            return JsonArray.of(items.stream().map(Json::from).toList());
        }
        throw new IllegalArgumentException("cannot convert " + typeName(value) + " to JSON");
    }

    /** Converts a map into a JSON object (see {@link #from}). */
    public static JsonObject objectFrom(Map<String, ?> fields) {
        return (JsonObject) from(fields);
    }

    /** A list of strings as a JSON array. */
    public static JsonArray strings(List<String> values) {
        return JsonArray.of(values.stream().map(JsonString::new).toList());
    }

    private static String typeName(@Nullable Object o) {
        return o == null ? "null" : o.getClass().getName();
    }
}
