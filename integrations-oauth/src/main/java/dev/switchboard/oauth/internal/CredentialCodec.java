package dev.switchboard.oauth.internal;

import dev.switchboard.core.auth.Credential;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A compact binary form of credentials, for the encrypted stores. Format 2 (written): format 1 and the credential's
 * issue time; format 1 (read): access token, refresh token, version, expiry, attributes.
 */
public final class CredentialCodec {
    static final int FORMAT = 2;

    private CredentialCodec() {}

    public static byte[] encode(Credential c) {
        return write(out -> writeOne(out, c));
    }

    public static Credential decode(byte[] bytes) {
        return read(bytes, CredentialCodec::readOne);
    }

    /** A credential as written before format 2, for tests of stored data from before it. */
    public static byte[] encodeFormat1(Credential c) {
        return write(1, out -> writeOne(out, c, 1));
    }

    public static byte[] encodeAll(Map<String, Credential> all) {
        return write(FORMAT, out -> writeAll(out, all));
    }

    public static Map<String, Credential> decodeAll(byte[] bytes) {
        return read(bytes, CredentialCodec::readAll);
    }

    static void writeAll(DataOutputStream out, Map<String, Credential> all) throws IOException {
        out.writeInt(all.size());
        for (Map.Entry<String, Credential> e : all.entrySet()) {
            out.writeUTF(e.getKey());
            writeOne(out, e.getValue(), FORMAT);
        }
    }

    static Map<String, Credential> readAll(DataInputStream in, int format) throws IOException {
        int n = in.readInt();
        Map<String, Credential> all = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            all.put(in.readUTF(), readOne(in, format));
        }
        return all;
    }

    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in, int format) throws IOException;
    }

    static byte[] write(int format, Writer w) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(format);
            w.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(Writer w) {
        return write(FORMAT, w);
    }

    /** Reads data of format 1 or 2 (the reader is told which). */
    private static <T> T read(byte[] bytes, Reader<T> r) {
        return read(bytes, FORMAT, r);
    }

    /** Reads data of a format from 1 to {@code newest}. */
    static <T> T read(byte[] bytes, int newest, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readByte();
            if (format < 1 || format > newest) {
                throw new IOException("unknown credential format " + format);
            }
            T value = r.read(in, format);
            if (in.read() != -1) {
                throw new IOException("trailing bytes after the credential data");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("malformed credential data", e);
        }
    }

    private static void writeOne(DataOutputStream out, Credential c) throws IOException {
        writeOne(out, c, FORMAT);
    }

    private static void writeOne(DataOutputStream out, Credential c, int format) throws IOException {
        writeLong(out, c.accessToken());
        out.writeBoolean(c.refreshToken().isPresent());
        if (c.refreshToken().isPresent()) {
            writeLong(out, c.refreshToken().get());
        }
        out.writeLong(c.version());
        out.writeBoolean(c.expiresAt().isPresent());
        if (c.expiresAt().isPresent()) {
            out.writeLong(c.expiresAt().get().getEpochSecond());
            out.writeInt(c.expiresAt().get().getNano());
        }
        out.writeInt(c.attributes().size());
        for (Map.Entry<String, String> a : c.attributes().entrySet()) {
            out.writeUTF(a.getKey());
            writeLong(out, a.getValue());
        }
        if (format >= 2) {
            writeInstant(out, c.issuedAt().orElse(null));
        }
    }

    static void writeInstant(DataOutputStream out, @Nullable Instant instant) throws IOException {
        out.writeBoolean(instant != null);
        if (instant != null) {
            out.writeLong(instant.getEpochSecond());
            out.writeInt(instant.getNano());
        }
    }

    static @Nullable Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    private static Credential readOne(DataInputStream in, int format) throws IOException {
        Credential.Builder b = Credential.builder(readLong(in));
        if (in.readBoolean()) {
            b.refreshToken(readLong(in));
        }
        b.version(in.readLong());
        if (in.readBoolean()) {
            b.expiresAt(Instant.ofEpochSecond(in.readLong(), in.readInt()));
        }
        int n = in.readInt();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            attributes.put(in.readUTF(), readLong(in));
        }
        if (format >= 2) {
            b.issuedAt(readInstant(in));
        }
        return b.attributes(attributes).build();
    }

    /** Tokens can be longer than writeUTF's 64 KB limit (JWTs with many claims): length-prefixed UTF-8. */
    private static void writeLong(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readLong(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
