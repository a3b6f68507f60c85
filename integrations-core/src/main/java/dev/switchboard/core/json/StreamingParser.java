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
            JsonValue value = read(p, first);
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

    private static JsonValue read(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                String[] names = new String[8];
                JsonValue[] values = new JsonValue[8];
                int size = 0;
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    if (size == names.length) {
                        names = java.util.Arrays.copyOf(names, size * 2);
                        values = java.util.Arrays.copyOf(values, size * 2);
                    }
                    names[size] = p.currentName();
                    values[size++] = read(p, p.nextToken());
                }
                expectEnd(t, JsonToken.END_OBJECT, p);
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
                    elements.add(read(p, t));
                }
                return JsonArray.wrap(elements);
            }
            case VALUE_STRING:
                return new JsonString(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new JsonNumber(p.getDecimalValue());
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
