package dev.switchboard.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** The canonical form depends on a value's content only, and reads back as that content. */
class CanonicalJsonPropertiesTest {
    @Provide
    Arbitrary<JsonValue> values() {
        return value(3);
    }

    private static Arbitrary<JsonValue> value(int depth) {
        // Any Unicode text, control characters and astral planes included; no lone surrogate (not text).
        Arbitrary<String> text = Arbitraries.integers()
                .between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list()
                .ofMaxSize(8)
                .map(cps -> cps.stream()
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString());
        Arbitrary<JsonValue> number = Arbitraries.oneOf(
                Arbitraries.doubles().map(d -> new JsonNumber(new BigDecimal(d))),
                Arbitraries.doubles().map(JsonNumber::of),
                Arbitraries.longs().map(JsonNumber::of),
                Arbitraries.bigDecimals()
                        .ofScale(4)
                        .between(new BigDecimal("-1e6"), new BigDecimal("1e6"))
                        .map(JsonNumber::new));
        Arbitrary<JsonValue> leaf = Arbitraries.oneOf(
                text.map(JsonString::new),
                number,
                Arbitraries.of(JsonBoolean.TRUE, JsonBoolean.FALSE, JsonNull.INSTANCE));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonValue> child = value(depth - 1);
        return Arbitraries.frequencyOf(
                Tuple.of(2, leaf),
                Tuple.of(1, child.list().ofMaxSize(4).map(JsonArray::of)),
                Tuple.of(2, Arbitraries.maps(text, child).ofMaxSize(5).map(JsonObject::of)));
    }

    /** The same content, members in another order and numbers spelled with another scale. */
    private static JsonValue respelled(JsonValue value, Random random) {
        if (value instanceof JsonObject o) {
            List<String> names = new ArrayList<>(o.names());
            Collections.shuffle(names, random);
            Map<String, JsonValue> fields = new LinkedHashMap<>();
            for (String name : names) {
                fields.put(name, respelled(o.get(name), random));
            }
            return JsonObject.of(fields);
        }
        if (value instanceof JsonArray a) {
            return JsonArray.of(a.stream().map(v -> respelled(v, random)).toList());
        }
        if (value instanceof JsonNumber n) {
            BigDecimal v = n.value();
            // 1 as 1.000, 1E+0 or 0.1E+1: the same number, another spelling
            return new JsonNumber(
                    random.nextBoolean() ? v.setScale(v.scale() + random.nextInt(4)) : v.stripTrailingZeros());
        }
        return value;
    }

    /** Numbers replaced by the double nearest to them, which is all the canonical form keeps. */
    private static JsonValue asDoubles(JsonValue value) {
        if (value instanceof JsonObject o) {
            Map<String, JsonValue> fields = new LinkedHashMap<>();
            o.fields().forEach((name, v) -> fields.put(name, asDoubles(v)));
            return JsonObject.of(fields);
        }
        if (value instanceof JsonArray a) {
            return JsonArray.of(
                    a.stream().map(CanonicalJsonPropertiesTest::asDoubles).toList());
        }
        if (value instanceof JsonNumber n) {
            return new JsonNumber(new BigDecimal(n.value().doubleValue()));
        }
        return value;
    }

    @Property(tries = 500)
    void theDigestIgnoresMemberOrderAndNumberSpelling(@ForAll("values") JsonValue value, @ForAll long seed) {
        JsonValue other = respelled(value, new Random(seed));

        assertThat(other).isEqualTo(value); // the same content, by JsonValue's own equality
        assertThat(Json.canonicalize(other)).isEqualTo(Json.canonicalize(value));
        assertThat(Json.canonicalDigest(other))
                .isEqualTo(Json.canonicalDigest(value))
                .matches("[0-9a-f]{64}");
    }

    @Property(tries = 500)
    void theCanonicalTextParsesBackToTheValue(@ForAll("values") JsonValue value) {
        String canonical = Json.canonicalize(value);
        JsonValue back = Json.parse(canonical);

        assertThat(asDoubles(back)).isEqualTo(asDoubles(value));
        assertThat(Json.canonicalize(back)).isEqualTo(canonical);
    }
}
