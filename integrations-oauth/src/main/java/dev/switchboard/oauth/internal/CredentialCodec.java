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

/** A compact binary form of credentials, for the encrypted stores. Format version 1. */
public final class CredentialCodec {
    private static final int FORMAT = 1;

    private CredentialCodec() {}

    public static byte[] encode(Credential c) {
        return write(out -> writeOne(out, c));
    }

    public static Credential decode(byte[] bytes) {
        return read(bytes, CredentialCodec::readOne);
    }

    public static byte[] encodeAll(Map<String, Credential> all) {
        return write(out -> {
            out.writeInt(all.size());
            for (Map.Entry<String, Credential> e : all.entrySet()) {
                out.writeUTF(e.getKey());
                writeOne(out, e.getValue());
            }
        });
    }

    public static Map<String, Credential> decodeAll(byte[] bytes) {
        return read(bytes, in -> {
            int n = in.readInt();
            Map<String, Credential> all = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                all.put(in.readUTF(), readOne(in));
            }
            return all;
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            w.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("unknown credential format " + format);
            }
            return r.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("malformed credential data", e);
        }
    }

    private static void writeOne(DataOutputStream out, Credential c) throws IOException {
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
    }

    private static Credential readOne(DataInputStream in) throws IOException {
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
