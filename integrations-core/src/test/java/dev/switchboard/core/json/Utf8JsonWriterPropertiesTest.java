package dev.switchboard.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link Json#writeUtf8} writes, byte for byte, what Jackson's own UTF-8 generator writes for the same value
 * (the writer it replaced, with surrogate pairs combined), for strings of every kind of character: ASCII, control characters, quotes and
 * backslashes, two- and three-byte characters and surrogate pairs; and its bytes are {@link Json#write}'s text.
 */
class Utf8JsonWriterPropertiesTest {
    // Jackson's UTF-8 generator escapes a surrogate pair as two \\u escapes unless told to combine it into
    // one four-byte character, as Json.write's text (and so ours) has it.
    private static final JsonFactory JACKSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> ascii = Arbitraries.chars().range((char) 0, (char) 0x7F);
        Arbitrary<Character> twoBytes = Arbitraries.chars().range((char) 0x80, (char) 0x7FF);
        Arbitrary<Character> threeBytes = Arbitraries.chars().range((char) 0x800, (char) 0xD7FF);
        Arbitrary<String> pairs =
                Arbitraries.integers().between(0x10000, 0x10FFFF).map(cp -> new String(Character.toChars(cp)));
        Arbitrary<String> chars = Arbitraries.oneOf(
                ascii.map(String::valueOf),
                twoBytes.map(String::valueOf),
                threeBytes.map(String::valueOf),
                pairs,
                Arbitraries.of("\"", "\\", "\n", "\t", "\u0000", "\u001f", "\u007f", "\u2028", "/"));
        return chars.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Property(tries = 1000)
    void aStringIsWrittenAsJacksonWritesIt(@ForAll("texts") String text) throws IOException {
        JsonValue value = JsonObject.builder()
                .put(text, text)
                .put("list", JsonArray.of(List.of(new JsonString(text), new JsonNumber(new BigDecimal("1.50")))))
                .build();

        byte[] ours = Json.writeUtf8(value);

        assertThat(ours).isEqualTo(jackson(value));
        assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(Json.write(value));
    }

    @Property(tries = 300)
    void numbersAreWrittenAsJacksonWritesThem(@ForAll BigDecimal number) throws IOException {
        JsonValue value = JsonArray.of(List.of(new JsonNumber(number), JsonBoolean.TRUE, JsonNull.INSTANCE));

        assertThat(Json.writeUtf8(value)).isEqualTo(jackson(value));
    }

    @Test
    void aLoneSurrogateIsWrittenAsItsEscape() {
        JsonValue value = new JsonString("a\uD800b\uDC00");

        assertThat(new String(Json.writeUtf8(value), StandardCharsets.US_ASCII)).isEqualTo("\"a\\uD800b\\uDC00\"");
        assertThat(Json.parse(Json.writeUtf8(value))).isEqualTo(value);
    }

    @Test
    void aLargeDocumentGrowsTheBuffer() throws IOException {
        JsonObject.Builder b = JsonObject.builder();
        for (int i = 0; i < 500; i++) {
            b.put("field-" + i, "välue-" + i + "\n");
        }
        JsonObject value = b.build();

        assertThat(Json.writeUtf8(value)).isEqualTo(jackson(value));
    }

    private static byte[] jackson(JsonValue value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(out, JsonEncoding.UTF8)) {
            write(g, value);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, JsonValue value) throws IOException {
        if (value instanceof JsonObject o) {
            g.writeStartObject();
            for (int i = 0; i < o.size(); i++) {
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
