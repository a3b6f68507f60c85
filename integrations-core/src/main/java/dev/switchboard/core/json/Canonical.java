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
import org.jspecify.annotations.Nullable;

/** RFC 8785 (JSON Canonicalization Scheme) serialization and its SHA-256; see {@link Json#canonicalize}. */
final class Canonical {
    // Below 2^53 every integer is a double exactly, and its own digits are the shortest that round-trip.
    private static final BigDecimal EXACT_INTEGERS = BigDecimal.valueOf(1L << 53);
    private static final long EXACT_INTEGERS_LONG = 1L << 53;
    // A decimal of at most 15 significant digits reads back from its nearest double unchanged (10^15 < 2^52),
    // so those digits are the shortest that round-trip, and no other decimal that short reads as that double.
    private static final int ROUND_TRIP_DIGITS = 15;
    // Decimal exponents well inside the normal doubles, where the round trip above holds.
    private static final int NORMAL_EXPONENT = 300;

    // One digest writer per thread: a record's digest then costs no MessageDigest lookup and no buffer.
    private static final ThreadLocal<DigestWriter> DIGEST_WRITERS = ThreadLocal.withInitial(DigestWriter::new);

    private Canonical() {}

    static String canonicalize(JsonValue value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    static String digest(JsonValue value) {
        return DIGEST_WRITERS.get().digest(value);
    }

    /** The digest by its definition, SHA-256 of the canonical text's UTF-8 bytes: what {@link #digest} must equal. */
    static String digestOfText(JsonValue value) {
        return HexFormat.of().formatHex(sha256().digest(canonicalize(value).getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
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
                        throw unpairedSurrogate(i);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static IllegalArgumentException unpairedSurrogate(int index) {
        // I-JSON (RFC 8785 section 3.1) admits only Unicode text, and UTF-8 cannot carry a lone
        // surrogate; the value itself is not quoted, as it may be a secret.
        return new IllegalArgumentException("a string holds an unpaired UTF-16 surrogate at index " + index
                + ", which is not Unicode text and has no canonical form");
    }

    /** The ECMAScript Number::toString text of the double nearest to {@code value}. */
    static String number(BigDecimal value) {
        String quick = shortNumber(value);
        return quick != null ? quick : numberByDouble(value);
    }

    /**
     * {@link #number}'s text without a double, for the numbers records mostly hold: at most 15 significant
     * digits (any scale, a normal exponent), or an integer below 2^53 that fits a long. Null for any other
     * number, which {@link #numberByDouble} handles.
     */
    static @Nullable String shortNumber(BigDecimal value) {
        byte[] text = new byte[SHORT_NUMBER_BYTES];
        int end = shortNumber(value, text, 0);
        return end < 0 ? null : new String(text, 0, end, StandardCharsets.US_ASCII);
    }

    /** The most bytes {@link #shortNumber(BigDecimal, byte[], int)} writes: "-0.00000" and 15 digits. */
    static final int SHORT_NUMBER_BYTES = 32;

    private static final long[] POWERS_OF_TEN = {
        1L,
        10L,
        100L,
        1_000L,
        10_000L,
        100_000L,
        1_000_000L,
        10_000_000L,
        100_000_000L,
        1_000_000_000L,
        10_000_000_000L,
        100_000_000_000L,
        1_000_000_000_000L,
        10_000_000_000_000L,
        100_000_000_000_000L,
        1_000_000_000_000_000L,
        10_000_000_000_000_000L,
        100_000_000_000_000_000L,
        1_000_000_000_000_000_000L
    };

    /**
     * Writes {@link #shortNumber(BigDecimal)}'s text as ASCII into {@code out} from {@code at}, which has room for
     * {@link #SHORT_NUMBER_BYTES}; returns the end, or -1 (nothing written that counts) for a number it does not
     * cover.
     */
    static int shortNumber(BigDecimal value, byte[] out, int at) {
        if (value.signum() == 0) {
            out[at] = '0';
            return at + 1;
        }
        if (value.precision() > 18) {
            return -1; // the unscaled value may not fit a long
        }
        long scale = value.scale(); // a long: stripping zeros below must not wrap it
        long unscaled = scale == 0 ? value.longValue() : value.unscaledValue().longValue();
        while (unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        long digits = Math.abs(unscaled);
        int k = 1;
        while (k < POWERS_OF_TEN.length && digits >= POWERS_OF_TEN[k]) {
            k++;
        }
        int p = at;
        if (unscaled < 0) {
            out[p++] = '-';
        }
        if (k > ROUND_TRIP_DIGITS) {
            if (scale == 0 && digits < EXACT_INTEGERS_LONG) {
                return digits(digits, k, out, p);
            }
            return -1;
        }
        // The value is 0.digits × 10^n; ECMAScript Number::toString steps 6 to 10, as format() has them.
        long n = k - scale;
        if (n <= -NORMAL_EXPONENT || n >= NORMAL_EXPONENT) {
            return -1;
        }
        if (k <= n && n <= 21) {
            p = digits(digits, k, out, p);
            for (long z = n - k; z > 0; z--) {
                out[p++] = '0';
            }
            return p;
        }
        if (0 < n && n <= 21) {
            long tail = POWERS_OF_TEN[k - (int) n];
            p = digits(digits / tail, (int) n, out, p);
            out[p++] = '.';
            return digits(digits % tail, k - (int) n, out, p);
        }
        if (-6 < n && n <= 0) {
            out[p++] = '0';
            out[p++] = '.';
            for (long z = -n; z > 0; z--) {
                out[p++] = '0';
            }
            return digits(digits, k, out, p);
        }
        long tail = POWERS_OF_TEN[k - 1];
        p = digits(digits / tail, 1, out, p);
        if (k > 1) {
            out[p++] = '.';
            p = digits(digits % tail, k - 1, out, p);
        }
        long e = n - 1;
        out[p++] = 'e';
        out[p++] = (byte) (e < 0 ? '-' : '+');
        long exponent = Math.abs(e);
        return digits(exponent, exponent >= 100 ? 3 : exponent >= 10 ? 2 : 1, out, p);
    }

    /** Writes {@code value} (not negative, below 10^width) as exactly {@code width} digits, zero-padded. */
    private static int digits(long value, int width, byte[] out, int at) {
        long v = value;
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + width;
    }

    /** {@link #number} by its definition: through the nearest double and its shortest round-tripping digits. */
    static String numberByDouble(BigDecimal value) {
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

    /**
     * Writes the canonical text's UTF-8 bytes straight into SHA-256 through a buffer it reuses: the same bytes
     * as {@code canonicalize(value).getBytes(UTF_8)}, without building the text or its byte copy.
     */
    private static final class DigestWriter {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        // Bytes one char can take in the canonical text: a control character's escape, backslash u 0 0 and two hex
        // digits.
        private static final int MAX_BYTES_PER_CHAR = 6;
        // Objects up to this many members have their shape kept and are sorted by insertion.
        private static final int CACHED_MEMBERS = 64;

        private final MessageDigest sha256 = sha256();
        private final byte[] buffer = new byte[4096];
        private int position;
        // Per object nesting depth, the last object's member names (in its order) with their sorted order and
        // encoded "name": texts: rows of one stream share their names, so each row skips sorting and encoding them.
        private Shape[] shapes = new Shape[4];

        String digest(JsonValue value) {
            sha256.reset();
            position = 0;
            write(value, 0);
            flush();
            byte[] hash = sha256.digest();
            byte[] hex = new byte[hash.length * 2];
            for (int i = 0; i < hash.length; i++) {
                hex[2 * i] = HEX[(hash[i] >> 4) & 0xf];
                hex[2 * i + 1] = HEX[hash[i] & 0xf];
            }
            return new String(hex, StandardCharsets.US_ASCII);
        }

        private void flush() {
            sha256.update(buffer, 0, position);
            position = 0;
        }

        /** Room for {@code bytes} more bytes (at most the buffer's size). */
        private void room(int bytes) {
            if (position + bytes > buffer.length) {
                flush();
            }
        }

        private void put(byte b) {
            room(1);
            buffer[position++] = b;
        }

        private void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                put((byte) s.charAt(i));
            }
        }

        private void bytes(byte[] bytes, int from, int to) {
            if (to - from > buffer.length - position) {
                flush();
                if (to - from > buffer.length) {
                    sha256.update(bytes, from, to - from);
                    return;
                }
            }
            System.arraycopy(bytes, from, buffer, position, to - from);
            position += to - from;
        }

        private void write(JsonValue value, int depth) {
            if (value instanceof JsonObject o) {
                object(o, depth);
            } else if (value instanceof JsonArray a) {
                put((byte) '[');
                for (int i = 0; i < a.size(); i++) {
                    if (i > 0) {
                        put((byte) ',');
                    }
                    write(a.get(i), depth);
                }
                put((byte) ']');
            } else if (value instanceof JsonString s) {
                string(s.value());
            } else if (value instanceof JsonNumber n) {
                room(SHORT_NUMBER_BYTES);
                int end = shortNumber(n.value(), buffer, position);
                if (end >= 0) {
                    position = end;
                } else {
                    ascii(numberByDouble(n.value()));
                }
            } else if (value instanceof JsonBoolean b) {
                ascii(b.value() ? "true" : "false");
            } else {
                ascii("null");
            }
        }

        private void object(JsonObject o, int depth) {
            Shape shape = shape(o, depth);
            put((byte) '{');
            for (int i = 0; i < shape.size; i++) {
                if (i > 0) {
                    put((byte) ',');
                }
                bytes(shape.keys, i == 0 ? 0 : shape.keyEnds[i - 1], shape.keyEnds[i]);
                write(o.valueAt(shape.order[i]), depth + 1);
            }
            put((byte) '}');
        }

        /** The cached shape of {@code o}'s members at this depth, made anew when its names differ. */
        private Shape shape(JsonObject o, int depth) {
            if (depth >= shapes.length) {
                shapes = Arrays.copyOf(shapes, depth * 2);
            }
            Shape shape = shapes[depth];
            if (shape != null && shape.fits(o)) {
                return shape;
            }
            shape = new Shape(o);
            if (shape.size <= CACHED_MEMBERS) {
                shapes[depth] = shape; // a large object's shape is used once, not kept
            }
            return shape;
        }

        private void string(String s) {
            long most = 2 + (long) MAX_BYTES_PER_CHAR * s.length();
            if (most <= buffer.length) {
                room((int) most);
                position = encode(s, buffer, position);
            } else {
                byte[] encoded = new byte[Math.toIntExact(most)];
                bytes(encoded, 0, encode(s, encoded, 0));
            }
        }

        /**
         * Writes the canonical text of string {@code s}, quoted, in UTF-8 into {@code out} from {@code at}, which
         * has room for {@code 2 + MAX_BYTES_PER_CHAR * s.length()} bytes; returns the end.
         */
        private static int encode(String s, byte[] out, int at) {
            int p = at;
            out[p++] = '"';
            int length = s.length();
            for (int i = 0; i < length; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    out[p++] = (byte) c;
                } else if (c < 0x80) {
                    p = escape(c, out, p);
                } else if (c < 0x800) {
                    out[p++] = (byte) (0xc0 | (c >> 6));
                    out[p++] = (byte) (0x80 | (c & 0x3f));
                } else if (!Character.isSurrogate(c)) {
                    out[p++] = (byte) (0xe0 | (c >> 12));
                    out[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    out[p++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isHighSurrogate(c)
                        && i + 1 < length
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out[p++] = (byte) (0xf0 | (cp >> 18));
                    out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    out[p++] = (byte) (0x80 | (cp & 0x3f));
                } else {
                    throw unpairedSurrogate(i);
                }
            }
            out[p++] = '"';
            return p;
        }

        /** A quote, a backslash or a control character, escaped as RFC 8785 section 3.2.2.2 says. */
        private static int escape(char c, byte[] out, int at) {
            int p = at;
            out[p++] = '\\';
            switch (c) {
                case '"' -> out[p++] = '"';
                case '\\' -> out[p++] = '\\';
                case '\b' -> out[p++] = 'b';
                case '\f' -> out[p++] = 'f';
                case '\n' -> out[p++] = 'n';
                case '\r' -> out[p++] = 'r';
                case '\t' -> out[p++] = 't';
                default -> {
                    out[p++] = 'u';
                    out[p++] = '0';
                    out[p++] = '0';
                    out[p++] = HEX[c >> 4];
                    out[p++] = HEX[c & 0xf];
                }
            }
            return p;
        }

        /**
         * An object's member names in its own order, their order by name (String.compareTo: UTF-16 code units,
         * as RFC 8785 section 3.2.3 asks) and each sorted member's {@code "name":} text, back to back.
         */
        private static final class Shape {
            final int size;
            final String[] names;
            final int[] order;
            final byte[] keys;
            final int[] keyEnds;

            Shape(JsonObject o) {
                size = o.size();
                names = new String[size];
                order = new int[size];
                long most = 0;
                for (int i = 0; i < size; i++) {
                    names[i] = o.nameAt(i);
                    most += 3 + (long) MAX_BYTES_PER_CHAR * names[i].length();
                }
                if (size <= CACHED_MEMBERS) {
                    // Insertion sort of the member positions: records have few members, often nearly in order.
                    for (int i = 0; i < size; i++) {
                        int j = i;
                        while (j > 0 && names[order[j - 1]].compareTo(names[i]) > 0) {
                            order[j] = order[j - 1];
                            j--;
                        }
                        order[j] = i;
                    }
                } else {
                    Integer[] sorted = new Integer[size];
                    Arrays.setAll(sorted, i -> i);
                    Arrays.sort(sorted, (a, b) -> names[a].compareTo(names[b]));
                    for (int i = 0; i < size; i++) {
                        order[i] = sorted[i];
                    }
                }
                byte[] encoded = new byte[Math.toIntExact(most)];
                keyEnds = new int[size];
                int at = 0;
                for (int i = 0; i < size; i++) {
                    at = encode(names[order[i]], encoded, at);
                    encoded[at++] = ':';
                    keyEnds[i] = at;
                }
                keys = encoded;
            }

            /** Whether {@code o} has exactly these member names in this order. */
            boolean fits(JsonObject o) {
                if (o.size() != size) {
                    return false;
                }
                for (int i = 0; i < size; i++) {
                    String name = o.nameAt(i);
                    if (name != names[i] && !name.equals(names[i])) {
                        return false;
                    }
                }
                return true;
            }
        }
    }
}
