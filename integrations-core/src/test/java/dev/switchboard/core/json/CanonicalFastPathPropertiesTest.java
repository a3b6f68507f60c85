package dev.switchboard.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The canonical form's fast paths give exactly what its definition gives: {@link Canonical#shortNumber} the
 * text {@link Canonical#numberByDouble} computes through the nearest double, and {@link Canonical#digest} (UTF-8
 * written straight into SHA-256) the SHA-256 of {@link Canonical#canonicalize}'s text.
 */
class CanonicalFastPathPropertiesTest {
    /** Unscaled values of every size: a few digits, about 15 (where the fast path ends), a long's, beyond. */
    private static Arbitrary<BigInteger> unscaled() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-1_000, 1_000).map(BigInteger::valueOf),
                Arbitraries.longs()
                        .between(-999_999_999_999_999L, 999_999_999_999_999L)
                        .map(BigInteger::valueOf),
                Arbitraries.longs()
                        .between(-99_999_999_999_999_999L, 99_999_999_999_999_999L)
                        .map(BigInteger::valueOf),
                Arbitraries.longs().map(BigInteger::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)),
                // 2^53 and its neighbours, where exact integers end
                Arbitraries.integers()
                        .between(-3, 3)
                        .map(d -> BigInteger.ONE.shiftLeft(53).add(BigInteger.valueOf(d))),
                Arbitraries.integers()
                        .between(-3, 3)
                        .map(d -> BigInteger.ONE.shiftLeft(53).negate().add(BigInteger.valueOf(d))),
                // trailing zeros to strip
                Combinators.combine(
                                Arbitraries.longs().between(-99_999, 99_999),
                                Arbitraries.integers().between(0, 14))
                        .as((u, zeros) -> BigInteger.valueOf(u).multiply(BigInteger.TEN.pow(zeros))));
    }

    @Provide
    Arbitrary<BigDecimal> numbers() {
        return numbers(Arbitraries.of(Integer.MIN_VALUE + 1, Integer.MAX_VALUE));
    }

    /** Numbers of every kind, now and then with a scale from {@code extremeScales}. */
    private static Arbitrary<BigDecimal> numbers(Arbitrary<Integer> extremeScales) {
        Arbitrary<BigDecimal> scaled = Combinators.combine(
                        unscaled(),
                        Arbitraries.oneOf(
                                Arbitraries.integers().between(-25, 25),
                                Arbitraries.integers().between(-340, 340),
                                Arbitraries.of(-290, -299, -300, -301, 290, 299, 300, 301, 314, 315, 316),
                                extremeScales))
                .as(BigDecimal::new);
        Arbitrary<BigDecimal> fromDoubles =
                Arbitraries.doubles().filter(Double::isFinite).map(d -> new BigDecimal(Double.toString(d)));
        Arbitrary<BigDecimal> exactDoubles =
                Arbitraries.doubles().filter(Double::isFinite).map(BigDecimal::new);
        Arbitrary<BigDecimal> zeros = Arbitraries.integers().between(-400, 400).map(s -> BigDecimal.ZERO.setScale(s));
        return Arbitraries.frequencyOf(
                Tuple.of(8, scaled), Tuple.of(2, fromDoubles), Tuple.of(1, exactDoubles), Tuple.of(1, zeros));
    }

    @Property(tries = 20_000)
    void theShortNumberPathGivesTheDoublesText(@ForAll("numbers") BigDecimal value) {
        String quick = Canonical.shortNumber(value);
        if (quick == null) {
            return;
        }
        assertThat(quick)
                .as("%s (unscaled %s, scale %d)", value, value.unscaledValue(), value.scale())
                .isEqualTo(Canonical.numberByDouble(value));
    }

    /** A number's digest: the digest writer puts short numbers' digits straight into its buffer. */
    @Property(tries = 5_000)
    void aNumbersDigestIsTheSha256OfItsText(@ForAll("numbers") BigDecimal value) {
        JsonValue number = new JsonNumber(value);
        assertDigestIsOfItsText(number);
        assertDigestIsOfItsText(JsonArray.of(List.of(number, new JsonNumber(value.negate()), JsonNull.INSTANCE)));
    }

    @Provide
    Arbitrary<BigDecimal> shortNumbers() {
        return Combinators.combine(
                        Arbitraries.longs().between(-999_999_999_999_999L, 999_999_999_999_999L),
                        Arbitraries.integers().between(-280, 280))
                .as(BigDecimal::valueOf);
    }

    /** Every number of at most 15 digits at a normal exponent takes the fast path, so the property above bites. */
    @Property(tries = 20_000)
    void numbersOfFifteenDigitsTakeTheShortPath(@ForAll("shortNumbers") BigDecimal value) {
        assertThat(Canonical.shortNumber(value)).as("%s", value).isNotNull().isEqualTo(Canonical.numberByDouble(value));
    }

    @Example
    void columnLikeNumbersTakeTheShortPath() {
        for (String n : List.of(
                "12.34",
                "-0.01",
                "100000",
                "9007199254740991",
                "-9007199254740991",
                "1E+21",
                "1E+22",
                "0.000001",
                "1E-7",
                "123456789012345",
                "0.1000")) {
            BigDecimal value = new BigDecimal(n);
            assertThat(Canonical.shortNumber(value)).as(n).isNotNull().isEqualTo(Canonical.numberByDouble(value));
        }
        assertThat(Canonical.shortNumber(new BigDecimal("12.3400"))).isEqualTo("12.34");
        assertThat(Canonical.shortNumber(new BigDecimal("1E+21"))).isEqualTo("1e+21");
        assertThat(Canonical.shortNumber(new BigDecimal("9007199254740992"))).isNull(); // 2^53: by the double
        assertThat(Canonical.shortNumber(new BigDecimal("0.1234567890123456"))).isNull(); // 16 digits
    }

    /** Text that needs every kind of handling: plain ASCII, escapes, controls, two- and three-byte, astral. */
    private static Arbitrary<String> text(int maxLength) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                (int) '"',
                                (int) '\\',
                                (int) '/',
                                (int) '\b',
                                (int) '\f',
                                (int) '\n',
                                (int) '\r',
                                (int) '\t',
                                0,
                                0x1f,
                                0x7f)),
                Tuple.of(1, Arbitraries.integers().between(0, 0x1f)),
                Tuple.of(1, Arbitraries.integers().between(0x80, 0x7ff)),
                Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(0x800, 0xffff)
                                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
        return codePoint
                .list()
                .ofMaxSize(maxLength)
                .map(cps -> cps.stream()
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString());
    }

    private static Arbitrary<JsonValue> value(int depth) {
        Arbitrary<JsonValue> leaf = Arbitraries.oneOf(
                text(12).map(JsonString::new),
                // long enough to cross the digest writer's buffer
                text(3000).map(JsonString::new),
                // no scale near an int's limits: JsonNumber.hashCode, which jqwik calls, cannot strip those
                numbers(Arbitraries.of(-1000, 1000)).map(JsonNumber::new),
                Arbitraries.of(JsonBoolean.TRUE, JsonBoolean.FALSE, JsonNull.INSTANCE));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonValue> child = value(depth - 1);
        return Arbitraries.frequencyOf(
                Tuple.of(2, leaf),
                Tuple.of(1, child.list().ofMaxSize(5).map(JsonArray::of)),
                // more members than a record has, so objects beyond the writer's reused order arrays too
                Tuple.of(2, Arbitraries.maps(text(6), child).ofMaxSize(20).map(JsonObject::of)));
    }

    @Provide
    Arbitrary<JsonValue> values() {
        return value(3);
    }

    @Property(tries = 600)
    void theDigestIsTheSha256OfTheCanonicalText(@ForAll("values") JsonValue value) {
        assertDigestIsOfItsText(value);
    }

    private static void assertDigestIsOfItsText(JsonValue value) {
        String expected;
        try {
            expected = Canonical.digestOfText(value);
        } catch (IllegalArgumentException e) {
            // no canonical form (a number beyond a double): the fast digest refuses it the same way
            assertThatThrownBy(() -> Canonical.digest(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(e.getMessage());
            return;
        }
        assertThat(Canonical.digest(value)).isEqualTo(expected);
    }

    /**
     * Rows of one stream: objects with the same member names (equal strings, not always the same instances),
     * nested objects too, then and again one with other names or another size; the digest writer reuses what it
     * worked out for the previous object's names and must still give each object's own digest.
     */
    @Property(tries = 300)
    void objectsOfOneShapeInARowDigestAsTheirText(
            @ForAll("shapes") List<String> names, @ForAll("rows") List<List<JsonValue>> rows, @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        for (List<JsonValue> row : rows) {
            java.util.Map<String, JsonValue> fields = new java.util.LinkedHashMap<>();
            java.util.Map<String, JsonValue> nested = new java.util.LinkedHashMap<>();
            int dropped = random.nextInt(8) == 0 ? random.nextInt(names.size()) : -1; // now and then another shape
            for (int i = 0; i < names.size(); i++) {
                // a copy now and then: the same name in another String instance
                String name = random.nextBoolean() ? names.get(i) : new String(names.get(i));
                if (i != dropped) {
                    fields.put(name, row.get(i % row.size()));
                }
                nested.put(new String(names.get(names.size() - 1 - i)), row.get((i + 1) % row.size()));
            }
            fields.put("nested", JsonObject.of(nested));
            assertDigestIsOfItsText(JsonObject.of(fields));
        }
    }

    @Provide
    Arbitrary<List<String>> shapes() {
        return text(6).list().ofMinSize(1).ofMaxSize(70).uniqueElements().filter(n -> !n.contains("nested"));
    }

    @Provide
    Arbitrary<List<List<JsonValue>>> rows() {
        return value(1).list().ofMinSize(1).ofMaxSize(8).list().ofMinSize(1).ofMaxSize(6);
    }

    @Example
    void aLoneSurrogateHasNoDigestEitherWay() {
        for (String s : List.of("a\ud800", "\udc00b", "x\ud83d\ud83d", "ok\ud83d\ude00\ud800")) {
            JsonObject value = JsonObject.of(java.util.Map.of("k", new JsonString(s)));
            assertThatThrownBy(() -> Canonical.digestOfText(value)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Canonical.digest(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(catchMessage(() -> Canonical.digestOfText(value)));
            // and the writer recovers: the next digest is right
            JsonObject fine = JsonObject.of(java.util.Map.of("k", new JsonString("fine \ud83d\ude00")));
            assertThat(Canonical.digest(fine)).isEqualTo(Canonical.digestOfText(fine));
        }
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }
}
