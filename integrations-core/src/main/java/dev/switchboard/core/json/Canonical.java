package dev.switchboard.core.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/** RFC 8785 (JSON Canonicalization Scheme) serialization and its SHA-256; see {@link Json#canonicalize}. */
final class Canonical {
    // Below 2^53 every integer is a double exactly, and its own digits are the shortest that round-trip.
    private static final BigDecimal EXACT_INTEGERS = BigDecimal.valueOf(1L << 53);

    private Canonical() {}

    static String canonicalize(JsonValue value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    static String digest(JsonValue value) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        return HexFormat.of().formatHex(sha256.digest(canonicalize(value).getBytes(StandardCharsets.UTF_8)));
    }

    private static void write(JsonValue value, StringBuilder out) {
        if (value instanceof JsonObject o) {
            // String.compareTo orders by UTF-16 code units, which is the order RFC 8785 section 3.2.3 asks for.
            String[] names = o.names().toArray(new String[0]);
            Arrays.sort(names);
            Map<String, JsonValue> fields = o.fields();
            out.append('{');
            for (int i = 0; i < names.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(names[i], out);
                out.append(':');
                write(java.util.Objects.requireNonNull(fields.get(names[i])), out);
            }
            out.append('}');
        } else if (value instanceof JsonArray a) {
            out.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(a.get(i), out);
            }
            out.append(']');
        } else if (value instanceof JsonString s) {
            string(s.value(), out);
        } else if (value instanceof JsonNumber n) {
            out.append(number(n.value()));
        } else if (value instanceof JsonBoolean b) {
            out.append(b.value() ? "true" : "false");
        } else {
            out.append("null");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00")
                                .append(Character.forDigit(c >> 4, 16))
                                .append(Character.forDigit(c & 0xf, 16));
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // I-JSON (RFC 8785 section 3.1) admits only Unicode text, and UTF-8 cannot carry a lone
                        // surrogate; the value itself is not quoted, as it may be a secret.
                        throw new IllegalArgumentException("a string holds an unpaired UTF-16 surrogate at index " + i
                                + ", which is not Unicode text and has no canonical form");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The ECMAScript Number::toString text of the double nearest to {@code value}. */
    static String number(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        if (value.abs().compareTo(EXACT_INTEGERS) < 0
                && value.stripTrailingZeros().scale() <= 0) {
            return value.toBigInteger().toString();
        }
        double d = value.doubleValue();
        if (Double.isInfinite(d)) {
            throw new IllegalArgumentException(
                    "a number is beyond the range of an IEEE 754 double, so it has no canonical form");
        }
        if (d == 0) {
            return "0"; // underflow, of either sign: -0 serializes as 0
        }
        BigDecimal shortest = shortest(Math.abs(d));
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        // The value is 0.digits × 10^n.
        int n = k - shortest.scale();
        return (d < 0 ? "-" : "") + format(digits, k, n);
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code d} (positive, finite),
     * closest to {@code d} among those, the even one on a tie: the digits ECMAScript prints. At each
     * precision both neighbours of the exact value are tried, as a double's rounding interval is
     * lopsided at a power of two and the nearer neighbour can fall outside it while the farther one
     * falls inside.
     */
    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int precision = 1; ; precision++) {
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean downFits = down.doubleValue() == d;
            boolean upFits = up.doubleValue() == d;
            BigDecimal pick;
            if (downFits && upFits) {
                int nearer = exact.subtract(down).compareTo(up.subtract(exact));
                if (nearer == 0) {
                    pick = down.unscaledValue().testBit(0) ? up : down;
                } else {
                    pick = nearer < 0 ? down : up;
                }
            } else if (downFits) {
                pick = down;
            } else if (upFits) {
                pick = up;
            } else {
                continue;
            }
            return pick.stripTrailingZeros();
        }
    }

    /** ECMAScript Number::toString steps 6 to 10 for the digits {@code s} (k of them) and exponent n. */
    private static String format(String s, int k, int n) {
        if (k <= n && n <= 21) {
            return s + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return s.substring(0, n) + "." + s.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + s;
        }
        int e = n - 1;
        String exponent = "e" + (e < 0 ? "-" : "+") + Math.abs(e);
        return k == 1 ? s + exponent : s.charAt(0) + "." + s.substring(1) + exponent;
    }
}
