package dev.switchboard.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser's fast paths against the general ones: integers read from the long Jackson parsed
 * against {@code new BigDecimal(text)}, and objects collected on one shared field stack against the
 * same trees built field by field.
 */
class StreamingParserNumbersTest {
    private static final long SEED = 20261205L;

    @Test
    void integersReadAsTheirTextWouldBe() {
        Random random = new Random(SEED);
        List<String> texts = new ArrayList<>(List.of(
                "0",
                "-0",
                "1",
                "-1",
                Long.toString(Long.MAX_VALUE),
                Long.toString(Long.MIN_VALUE),
                Long.MAX_VALUE + "0",
                "9223372036854775808",
                "-9223372036854775809",
                Integer.toString(Integer.MAX_VALUE),
                Integer.toString(Integer.MIN_VALUE),
                "2147483648",
                "-2147483649"));
        for (int i = 0; i < 20_000; i++) {
            int digits = 1 + random.nextInt(40);
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "-" : "");
            sb.append((char) ('1' + random.nextInt(9)));
            for (int d = 1; d < digits; d++) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
            texts.add(sb.toString());
        }
        for (String text : texts) {
            BigDecimal general = new BigDecimal(text);
            BigDecimal alone = ((JsonNumber) Json.parse(text)).value();
            BigDecimal inObject = Json.parseObject(
                            ("{\"n\":" + text + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .number("n");
            // equals, not compareTo: the scale must match too (0, as the text has no point).
            assertThat(alone).as(text).isEqualTo(general);
            assertThat(inObject).as(text).isEqualTo(general);
        }
    }

    @Test
    void nestedObjectsParseAsBuiltFieldByField() {
        Random random = new Random(SEED);
        for (int i = 0; i < 2_000; i++) {
            JsonValue built = randomValue(random, 0);
            JsonValue parsed = Json.parse(built.toJson());
            assertThat(parsed).isEqualTo(built);
            assertSameOrder(parsed, built);
        }
    }

    @Test
    void aDuplicateNameInAnyObjectIsStillRefused() {
        Random random = new Random(SEED);
        for (int i = 0; i < 500; i++) {
            int fields = 1 + random.nextInt(40);
            int duplicate = random.nextInt(fields);
            StringBuilder sb = new StringBuilder("{\"outer\":[1,{");
            for (int f = 0; f < fields; f++) {
                sb.append(f == 0 ? "" : ",")
                        .append("\"f")
                        .append(f)
                        .append("\":{\"x\":")
                        .append(f)
                        .append('}');
            }
            sb.append(",\"f").append(duplicate).append("\":0}]}");
            assertThatThrownBy(() -> Json.parse(sb.toString()))
                    .isInstanceOf(JsonFormatException.class)
                    .hasMessageContaining("duplicate");
        }
    }

    private static void assertSameOrder(JsonValue a, JsonValue b) {
        if (a instanceof JsonObject oa && b instanceof JsonObject ob) {
            assertThat(List.copyOf(oa.names())).isEqualTo(List.copyOf(ob.names()));
            for (String name : oa.names()) {
                assertSameOrder(oa.get(name), ob.get(name));
            }
        } else if (a instanceof JsonArray aa && b instanceof JsonArray ab) {
            for (int i = 0; i < aa.size(); i++) {
                assertSameOrder(aa.get(i), ab.get(i));
            }
        }
    }

    private static JsonValue randomValue(Random random, int depth) {
        int kind = depth > 4 ? 2 + random.nextInt(4) : random.nextInt(6);
        switch (kind) {
            case 0: {
                // Up to 40 fields: past the 32 the field stack starts with, and past the scan limit.
                JsonObject.Builder b = JsonObject.builder();
                int fields = random.nextInt(41);
                for (int f = 0; f < fields; f++) {
                    b.put("k" + random.nextInt(60), randomValue(random, depth + 1));
                }
                return b.build();
            }
            case 1: {
                List<JsonValue> elements = new ArrayList<>();
                int n = random.nextInt(6);
                for (int e = 0; e < n; e++) {
                    elements.add(randomValue(random, depth + 1));
                }
                return JsonArray.of(elements);
            }
            case 2:
                return new JsonString("s" + random.nextInt(1000));
            case 3:
                return JsonNumber.of(random.nextLong() >> random.nextInt(64));
            case 4:
                return new JsonNumber(new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(5)));
            default:
                return random.nextBoolean() ? JsonBoolean.of(random.nextBoolean()) : JsonNull.INSTANCE;
        }
    }
}
