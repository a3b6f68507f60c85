package dev.switchboard.oauth.internal;

import dev.switchboard.core.auth.Credential;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the encrypted token file holds, in {@link CredentialCodec}'s binary form. Format 3: the credentials, then
 * every key's last version (kept after a delete, so versions never repeat), the reauthorization marks, and the
 * refresh leases. Formats 1 and 2 held the credentials only; they read with the other parts empty.
 */
public final class TokenFile {
    private static final int FORMAT = 3;

    private TokenFile() {}

    /** A refresh lease in the file; {@code expiresAt} by the store's clock. */
    public record Lease(String owner, Instant expiresAt, long epoch) {
        public Lease {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * The file's content. Immutable: every change makes a new state.
     *
     * @param credentials the stored credentials
     * @param lastVersions every key's last version (stored or deleted)
     * @param marks per key, the version marked as needing reauthorization
     * @param leases per key, its refresh lease (kept after release, so epochs keep growing)
     */
    public record State(
            Map<String, Credential> credentials,
            Map<String, Long> lastVersions,
            Map<String, Long> marks,
            Map<String, Lease> leases) {
        public static final State EMPTY = new State(Map.of(), Map.of(), Map.of(), Map.of());

        public State {
            credentials = Map.copyOf(credentials);
            lastVersions = Map.copyOf(lastVersions);
            marks = Map.copyOf(marks);
            leases = Map.copyOf(leases);
        }

        /** A state holding these credentials and nothing else. */
        public static State of(Map<String, Credential> credentials) {
            Map<String, Long> versions = new LinkedHashMap<>();
            credentials.forEach((k, c) -> versions.put(k, c.version()));
            return new State(credentials, versions, Map.of(), Map.of());
        }

        public long lastVersion(String key) {
            Long v = lastVersions.get(key);
            Credential c = credentials.get(key);
            return Math.max(v == null ? 0 : v, c == null ? 0 : c.version());
        }

        public State withCredential(String key, Credential next) {
            Map<String, Credential> c = new LinkedHashMap<>(credentials);
            c.put(key, next);
            Map<String, Long> v = new LinkedHashMap<>(lastVersions);
            v.put(key, next.version());
            Map<String, Long> m = new LinkedHashMap<>(marks);
            m.remove(key);
            return new State(c, v, m, leases);
        }

        public State without(String key) {
            long last = lastVersion(key);
            Map<String, Credential> c = new LinkedHashMap<>(credentials);
            c.remove(key);
            Map<String, Long> v = new LinkedHashMap<>(lastVersions);
            v.put(key, last);
            Map<String, Long> m = new LinkedHashMap<>(marks);
            m.remove(key);
            return new State(c, v, m, leases);
        }

        public State withMark(String key, long version) {
            Map<String, Long> m = new LinkedHashMap<>(marks);
            m.put(key, version);
            return new State(credentials, lastVersions, m, leases);
        }

        public State withLease(String key, Lease lease) {
            Map<String, Lease> l = new LinkedHashMap<>(leases);
            l.put(key, lease);
            return new State(credentials, lastVersions, marks, l);
        }
    }

    public static byte[] encode(State state) {
        return CredentialCodec.write(FORMAT, out -> {
            CredentialCodec.writeAll(out, state.credentials());
            writeLongs(out, state.lastVersions());
            writeLongs(out, state.marks());
            out.writeInt(state.leases().size());
            for (Map.Entry<String, Lease> e : state.leases().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue().owner());
                CredentialCodec.writeInstant(out, e.getValue().expiresAt());
                out.writeLong(e.getValue().epoch());
            }
        });
    }

    /**
     * Reads a state of any format.
     *
     * @throws java.io.UncheckedIOException if the content is malformed
     */
    public static State decode(byte[] bytes) {
        return CredentialCodec.read(bytes, FORMAT, TokenFile::read);
    }

    private static State read(DataInputStream in, int format) throws IOException {
        Map<String, Credential> credentials = CredentialCodec.readAll(in, Math.min(format, CredentialCodec.FORMAT));
        if (format < 3) {
            return State.of(credentials);
        }
        Map<String, Long> versions = readLongs(in);
        Map<String, Long> marks = readLongs(in);
        int n = in.readInt();
        Map<String, Lease> leases = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            String owner = in.readUTF();
            Instant expiresAt = CredentialCodec.readInstant(in);
            if (expiresAt == null) {
                throw new IOException("a lease without expiry");
            }
            leases.put(key, new Lease(owner, expiresAt, in.readLong()));
        }
        return new State(credentials, versions, marks, leases);
    }

    private static void writeLongs(DataOutputStream out, Map<String, Long> values) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, Long> e : values.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static Map<String, Long> readLongs(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("bad count " + n);
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            values.put(in.readUTF(), in.readLong());
        }
        return values;
    }
}
