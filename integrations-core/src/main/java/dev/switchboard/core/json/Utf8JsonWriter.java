package dev.switchboard.core.json;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Compact JSON in UTF-8, written straight into one growing byte array: a request body costs that array and
 * its final trim, where Jackson's generator added a stream, its contexts and a copy. Writes what
 * {@link Json#write} writes, byte for byte (checked against Jackson by {@code Utf8JsonWriterPropertiesTest}):
 * {@code "} and {@code \} escaped, {@code \b \t \n \f \r} as short escapes, other control characters as
 * {@code \\u00XX}, everything else as UTF-8, numbers as {@link BigDecimal#toString()}. The one difference: a
 * lone surrogate, which has no UTF-8 form, is written as its {@code \\uXXXX} escape instead of failing.
 */
final class Utf8JsonWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** A buffer larger than this is not kept for the thread's next document. */
    private static final int KEPT_BUFFER = 16 * 1024;

    // Each thread writes into its own buffer, kept between documents: a document then costs its exact-size
    // copy only, not the buffer and its growth. Never reentered: writing calls no code outside this class.
    private static final ThreadLocal<Utf8JsonWriter> WRITERS = ThreadLocal.withInitial(Utf8JsonWriter::new);

    private byte[] buf = new byte[1024];
    private int len;

    private Utf8JsonWriter() {}

    static byte[] write(JsonValue value) {
        Utf8JsonWriter w = WRITERS.get();
        w.len = 0;
        try {
            w.value(value);
            return Arrays.copyOf(w.buf, w.len);
        } finally {
            if (w.buf.length > KEPT_BUFFER) {
                w.buf = new byte[1024];
            }
        }
    }

    private void value(JsonValue value) {
        if (value instanceof JsonObject o) {
            put('{');
            for (int i = 0, n = o.size(); i < n; i++) {
                if (i > 0) {
                    put(',');
                }
                string(o.nameAt(i));
                put(':');
                value(o.valueAt(i));
            }
            put('}');
        } else if (value instanceof JsonArray a) {
            put('[');
            boolean first = true;
            for (JsonValue v : a) {
                if (!first) {
                    put(',');
                }
                first = false;
                value(v);
            }
            put(']');
        } else if (value instanceof JsonString s) {
            string(s.value());
        } else if (value instanceof JsonNumber n) {
            ascii(n.value().toString());
        } else if (value instanceof JsonBoolean b) {
            bytes(b.value() ? TRUE : FALSE);
        } else {
            bytes(NULL);
        }
    }

    private void string(String s) {
        int n = s.length();
        room(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                room(1);
                buf[len++] = (byte) c;
            } else if (c < 0x80) {
                escapeAscii(c);
            } else if (c < 0x800) {
                room(2);
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                room(4);
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c);
            } else {
                room(3);
                buf[len++] = (byte) (0xE0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        put('"');
    }

    private void escapeAscii(char c) {
        char shortForm = switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\f' -> 'f';
            case '\r' -> 'r';
            default -> 0;
        };
        if (shortForm != 0) {
            room(2);
            buf[len++] = '\\';
            buf[len++] = (byte) shortForm;
        } else {
            unicodeEscape(c);
        }
    }

    private void unicodeEscape(char c) {
        room(6);
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xF];
        buf[len++] = HEX[(c >> 8) & 0xF];
        buf[len++] = HEX[(c >> 4) & 0xF];
        buf[len++] = HEX[c & 0xF];
    }

    private void ascii(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void put(char c) {
        room(1);
        buf[len++] = (byte) c;
    }

    private void room(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
