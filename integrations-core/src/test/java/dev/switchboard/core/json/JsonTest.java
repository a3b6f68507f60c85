package dev.switchboard.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryTypeAndKeepsFieldOrder() {
        JsonObject o = Json.parseObject("""
        {"z": "last-first", "n": 12345678901234567890.5, "i": 7, "b": true, "f": false, "nil": null,
         "a": [1, "x", {"k": []}], "o": {"nested": {"deep": "yes"}}}""".getBytes());

        assertThat(o.names()).containsExactly("z", "n", "i", "b", "f", "nil", "a", "o");
        assertThat(o.number("n")).isEqualByComparingTo(new BigDecimal("12345678901234567890.5"));
        assertThat(o.bool("b")).isTrue();
        assertThat(o.get("nil")).isEqualTo(JsonNull.INSTANCE);
        assertThat(o.string("nil")).isNull();
        assertThat(o.string("missing")).isNull();
        assertThat(o.array("a").get(2)).isInstanceOf(JsonObject.class);
        assertThat(o.object("o").object("nested").string("deep")).isEqualTo("yes");
    }

    @Test
    void writesWhatItParses() {
        String text = "{\"s\":\"quote \\\" and \\u00e9\",\"n\":1.50,\"a\":[true,null,{}],\"e\":[]}";
        JsonValue parsed = Json.parse(text);
        assertThat(Json.parse(parsed.toJson())).isEqualTo(parsed);
        assertThat(((JsonObject) parsed).string("s")).isEqualTo("quote \" and é");
    }

    @Test
    void numbersAreEqualByValue() {
        assertThat(Json.parse("1.0")).isEqualTo(Json.parse("1")).hasSameHashCodeAs(Json.parse("1"));
    }

    @Test
    void malformedTruncatedAndTrailingInputAreTypedErrors() {
        assertThatThrownBy(() -> Json.parse("{\"a\": [1, 2,, 3]}"))
                .isInstanceOfSatisfying(
                        JsonFormatException.class,
                        e -> assertThat(e.truncated()).isFalse());
        assertThatThrownBy(() -> Json.parse("{\"a\": [1, 2"))
                .isInstanceOfSatisfying(
                        JsonFormatException.class,
                        e -> assertThat(e.truncated()).isTrue());
        assertThatThrownBy(() -> Json.parse("{} {}"))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("after");
        assertThatThrownBy(() -> Json.parse(""))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).isInstanceOf(JsonFormatException.class);
        assertThatThrownBy(() -> Json.parseObject("[1]".getBytes())).isInstanceOf(JsonFormatException.class);
    }

    @Test
    void errorMessagesDoNotQuoteTheInput() {
        assertThatThrownBy(() -> Json.parse("{\"access_token\": sekrit-value}"))
                .isInstanceOf(JsonFormatException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sekrit"));
    }

    @Test
    void convertsPlainJavaValues() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("s", "x");
        map.put("i", 3);
        map.put("d", 2.5);
        map.put("l", List.of(1, "two"));
        map.put("n", null);
        JsonObject o = Json.objectFrom(map);
        assertThat(o.toJson()).isEqualTo("{\"s\":\"x\",\"i\":3,\"d\":2.5,\"l\":[1,\"two\"],\"n\":null}");
        assertThatThrownBy(() -> Json.from(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> Json.from(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesCannotBeChanged() {
        JsonObject o = JsonObject.builder().put("a", "b").build();
        JsonArray a = JsonArray.of(new JsonString("x"));
        assertThatThrownBy(() -> o.fields().put("c", JsonNull.INSTANCE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> a.elements().add(JsonNull.INSTANCE)).isInstanceOf(UnsupportedOperationException.class);
        JsonObject changed = o.newBuilder().put("a", "c").build();
        assertThat(o.string("a")).isEqualTo("b");
        assertThat(changed.string("a")).isEqualTo("c");
    }

    @Test
    void withoutDropsOneFieldAndKeepsTheOrderOfTheRest() {
        JsonObject o =
                (JsonObject) Json.parse("{\"attributes\":{\"type\":\"Account\"},\"Id\":\"001\",\"Name\":\"Acme\"}");
        JsonObject without = o.without("attributes");
        assertThat(without.names()).containsExactly("Id", "Name");
        assertThat(without).isEqualTo(Json.parse("{\"Id\":\"001\",\"Name\":\"Acme\"}"));
        assertThat(o.names()).containsExactly("attributes", "Id", "Name");
        assertThat(o.without("missing")).isSameAs(o);
        assertThat(((JsonObject) Json.parse("{\"a\":1}")).without("a")).isEqualTo(JsonObject.empty());
    }

    @Test
    void largeObjectsAreLookedUpThroughTheirIndexAndBuildersGrow() {
        JsonObject.Builder b = JsonObject.builder(2);
        for (int i = 0; i < 40; i++) {
            b.put("f" + i, i);
        }
        b.put("f7", "seven"); // replaces, keeps its place
        JsonObject o = b.build();
        assertThat(o.size()).isEqualTo(40);
        assertThat(o.string("f7")).isEqualTo("seven");
        assertThat(o.number("f39")).isEqualByComparingTo("39");
        assertThat(o.get("f40")).isNull();
        assertThat(o.names()).element(7).isEqualTo("f7");
        assertThat(o).isEqualTo(Json.parse(o.toJson())).hasSameHashCodeAs(Json.parse(o.toJson()));
        assertThat(o.fields()).isEqualTo(new java.util.LinkedHashMap<>(o.fields()));
    }

    /**
     * A builder past a scan's worth of fields keeps a hash index as it goes: every put, replace, remove and
     * newBuilder agrees with a LinkedHashMap doing the same, names colliding in hash included.
     */
    @Test
    void builderWithManyFieldsAgreesWithAMap() {
        java.util.Random random = new java.util.Random(12);
        // "Aa" and "BB" share a hash: names built from them collide in any table.
        List<String> pool = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            pool.add("f" + i);
        }
        for (String a : List.of("Aa", "BB")) {
            for (String b : List.of("Aa", "BB")) {
                for (String c : List.of("Aa", "BB")) {
                    pool.add(a + b + c);
                }
            }
        }
        for (int round = 0; round < 200; round++) {
            JsonObject.Builder builder = JsonObject.builder(random.nextInt(4));
            LinkedHashMap<String, JsonValue> model = new LinkedHashMap<>();
            for (int step = 0; step < 120; step++) {
                String name = pool.get(random.nextInt(pool.size()));
                int action = random.nextInt(10);
                if (action < 7) {
                    JsonValue value = JsonNumber.of(step);
                    builder.put(name, value);
                    model.put(name, value);
                } else if (action < 9) {
                    builder.remove(name);
                    model.remove(name);
                } else {
                    builder = builder.build().newBuilder();
                }
                JsonObject built = builder.build();
                assertThat(built.fields()).containsExactlyEntriesOf(model);
                assertThat(built.get(name)).isEqualTo(model.get(name));
            }
        }
    }
}
