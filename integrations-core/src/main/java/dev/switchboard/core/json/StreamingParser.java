package dev.switchboard.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Jackson's streaming parser and generator, kept out of the public API. */
final class StreamingParser {
    // Duplicate names are caught while the object's map is filled (cheaper than Jackson's own detector).
    private static final JsonFactory FACTORY = JsonFactory.builder()
            // Error messages must not quote the input: it may be a token response.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private StreamingParser() {}

    static JsonValue parse(byte[] utf8) {
        try (JsonParser p = FACTORY.createParser(utf8)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new JsonFormatException("empty document", 0, null);
            }
            JsonValue value = read(p, first, new FieldStack());
            if (p.nextToken() != null) {
                throw new JsonFormatException(
                        "unexpected content after the document",
                        p.currentTokenLocation().getByteOffset(),
                        null);
            }
            return value;
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new JsonFormatException(describe(e), offset, e);
        } catch (IOException e) {
            throw new JsonFormatException("unreadable document", -1, e);
        }
    }

    private static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        if (original != null && original.startsWith("Unexpected end-of-input")) {
            return "truncated JSON";
        }
        // Jackson's original message may quote a token from the input; keep only its first clause.
        String kind = original == null ? "malformed JSON" : original.split("[:(\\n]", 2)[0].trim();
        return "malformed JSON: " + kind.replaceAll("'[^']*'?", "'...'");
    }

    /**
     * The fields of the objects being read, innermost last: one buffer for the whole document, so an
     * object gets arrays of its exact size once it ends instead of arrays grown and copied as it fills
     * (a Salesforce row of 15 fields used to allocate 8, then 16 of each).
     */
    static final class FieldStack {
        String[] names = new String[32];
        JsonValue[] values = new JsonValue[32];
        int top;

        void push(String name, JsonValue value) {
            if (top == names.length) {
                names = java.util.Arrays.copyOf(names, top * 2);
                values = java.util.Arrays.copyOf(values, top * 2);
            }
            names[top] = name;
            values[top++] = value;
        }
    }

    private static JsonValue read(JsonParser p, JsonToken token, FieldStack stack) throws IOException {
        switch (token) {
            case START_OBJECT: {
                int base = stack.top;
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    stack.push(name, read(p, p.nextToken(), stack));
                }
                expectEnd(t, JsonToken.END_OBJECT, p);
                int size = stack.top - base;
                String[] names = java.util.Arrays.copyOfRange(stack.names, base, stack.top);
                JsonValue[] values = java.util.Arrays.copyOfRange(stack.values, base, stack.top);
                stack.top = base;
                try {
                    return JsonObject.wrap(names, values, size);
                } catch (IllegalArgumentException e) {
                    throw new JsonFormatException(
                            "malformed JSON: duplicate field '...'",
                            p.currentLocation().getByteOffset(),
                            null);
                }
            }
            case START_ARRAY: {
                List<JsonValue> elements = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new JsonFormatException(
                                "truncated JSON", p.currentLocation().getByteOffset(), null);
                    }
                    elements.add(read(p, t, stack));
                }
                return JsonArray.wrap(elements);
            }
            case VALUE_STRING:
                return new JsonString(p.getText());
            case VALUE_NUMBER_INT:
                return new JsonNumber(integer(p));
            case VALUE_NUMBER_FLOAT:
                return new JsonNumber(decimal(p));
            case VALUE_TRUE:
                return JsonBoolean.TRUE;
            case VALUE_FALSE:
                return JsonBoolean.FALSE;
            case VALUE_NULL:
                return JsonNull.INSTANCE;
            default:
                throw new JsonFormatException(
                        "unexpected token " + token, p.currentTokenLocation().getByteOffset(), null);
        }
    }

    /**
     * An integer token's value: from the long Jackson already parsed when it fits one (the same
     * BigDecimal, scale 0, as parsing the text; {@link StreamingParserNumbersTest} checks both over
     * random integers), else from the text.
     */
    static BigDecimal integer(JsonParser p) throws IOException {
        JsonParser.NumberType type = p.getNumberType();
        if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
            return BigDecimal.valueOf(p.getLongValue());
        }
        return p.getDecimalValue();
    }

    /**
     * The most a number's exponent may be (as a {@link BigDecimal} scale, either sign). Jackson limits a number to
     * 1,000 characters but not its exponent: {@code 1e999999999} is a short token whose plain form
     * ({@link BigDecimal#toPlainString}, a position's cursor) is a billion characters, and an exponent beyond an
     * {@code int} made Jackson throw a bare {@link NumberFormatException} that left every read loop untyped.
     * RFC 8259 lets a parser limit the range of numbers; no vendor sends an exponent near this one.
     */
    static final int MAX_EXPONENT = 10_000;

    /** A fraction or exponent token's value; out of range is malformed input, never a bare runtime exception. */
    private static BigDecimal decimal(JsonParser p) throws IOException {
        BigDecimal value;
        try {
            value = p.getDecimalValue();
        } catch (NumberFormatException | ArithmeticException e) {
            // The exception's message quotes the token: it is not kept.
            throw new JsonFormatException(
                    "malformed JSON: number out of range",
                    p.currentTokenLocation().getByteOffset(),
                    null);
        }
        if (Math.abs((long) value.scale()) > MAX_EXPONENT) {
            throw new JsonFormatException(
                    "malformed JSON: number out of range (exponent beyond " + MAX_EXPONENT + ")",
                    p.currentTokenLocation().getByteOffset(),
                    null);
        }
        return value;
    }

    private static void expectEnd(JsonToken actual, JsonToken expected, JsonParser p) {
        if (actual != expected) {
            throw new JsonFormatException(
                    actual == null ? "truncated JSON" : "unexpected token " + actual,
                    p.currentLocation().getByteOffset(),
                    null);
        }
    }

    static String write(JsonValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The same text as {@link #write(JsonValue)}, as UTF-8 bytes written straight from the tree. */
    static byte[] writeUtf8(JsonValue value) {
        return Utf8JsonWriter.write(value);
    }

    private static void write(JsonGenerator g, JsonValue value) throws IOException {
        if (value instanceof JsonObject o) {
            g.writeStartObject();
            for (int i = 0, n = o.size(); i < n; i++) {
                g.writeFieldName(o.nameAt(i));
                write(g, o.valueAt(i));
            }
            g.writeEndObject();
        } else if (value instanceof JsonArray a) {
            g.writeStartArray();
            for (JsonValue v : a) {
                write(g, v);
            }
            g.writeEndArray();
        } else if (value instanceof JsonString s) {
            g.writeString(s.value());
        } else if (value instanceof JsonNumber n) {
            g.writeNumber(n.value());
        } else if (value instanceof JsonBoolean b) {
            g.writeBoolean(b.value());
        } else {
            g.writeNull();
        }
    }
}
