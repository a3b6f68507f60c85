package dev.switchboard.connectors.jdbc.internal.cdc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The messages of PostgreSQL's {@code pgoutput} plugin, protocol version 1 (PostgreSQL's "Logical Replication
 * Message Formats"), decoded from the payload of one XLogData message. Only what the change feed uses is kept.
 */
final class PgOutput {
    /** Microseconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01T00:00:00Z. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private PgOutput() {}

    /** One decoded message. */
    sealed interface Message permits Begin, Commit, Relation, Type, Insert, Update, Delete, Truncate, Ignored {}

    /** A transaction starts; its changes follow, then its {@link Commit}. */
    record Begin(long finalLsn, Instant commitTime, int xid) implements Message {}

    /** The transaction ended; {@code endLsn} is where a restarted stream resumes after it. */
    record Commit(long commitLsn, long endLsn, Instant commitTime) implements Message {}

    /** A table's columns, sent before its first change in a stream and after its definition changed. */
    record Relation(int oid, String namespace, String name, char replicaIdentity, List<Column> columns)
            implements Message {}

    /** One column of a {@link Relation}. */
    record Column(boolean key, String name, int typeOid) {}

    /** A type that is not built in (an enum, a domain, a composite), by OID. */
    record Type(int oid, String namespace, String name) implements Message {}

    /** A row inserted. */
    record Insert(int relation, Tuple row) implements Message {}

    /**
     * A row updated; {@code old} is its replica identity before (kind {@code 'K'}: key columns only, sent when they
     * changed) or the whole old row ({@code 'O'}, REPLICA IDENTITY FULL), or null.
     */
    record Update(int relation, @Nullable Tuple old, char oldKind, Tuple row) implements Message {}

    /** A row deleted: its key columns ({@code 'K'}) or whole row ({@code 'O'}). */
    record Delete(int relation, Tuple old, char oldKind) implements Message {}

    /** Tables truncated: their rows are gone without a message per row. */
    record Truncate(List<Integer> relations) implements Message {}

    /** A message the feed has no use for (origin, logical decoding message). */
    record Ignored(char kind) implements Message {}

    /** Column values of one row, in the relation's column order. */
    record Tuple(List<Value> values) {}

    /**
     * One value: {@code kind} {@code 'n'} SQL NULL, {@code 'u'} an unchanged TOASTed value that was not sent,
     * {@code 't'} text in {@code text}.
     */
    record Value(char kind, @Nullable String text) {
        static final Value NULL = new Value('n', null);
        static final Value UNCHANGED = new Value('u', null);
    }

    /**
     * Decodes one message.
     *
     * @throws IllegalArgumentException for a message type this protocol version does not have, or a truncated one
     */
    static Message decode(ByteBuffer in) {
        char kind = (char) in.get();
        try {
            switch (kind) {
                case 'B':
                    return new Begin(in.getLong(), time(in.getLong()), in.getInt());
                case 'C':
                    in.get(); // flags, unused
                    return new Commit(in.getLong(), in.getLong(), time(in.getLong()));
                case 'R': {
                    int oid = in.getInt();
                    String namespace = string(in);
                    String name = string(in);
                    char identity = (char) in.get();
                    int n = Short.toUnsignedInt(in.getShort());
                    List<Column> columns = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        boolean key = (in.get() & 1) != 0;
                        String column = string(in);
                        int type = in.getInt();
                        in.getInt(); // type modifier
                        columns.add(new Column(key, column, type));
                    }
                    return new Relation(oid, namespace, name, identity, List.copyOf(columns));
                }
                case 'Y':
                    return new Type(in.getInt(), string(in), string(in));
                case 'I': {
                    int relation = in.getInt();
                    expect(in, 'N');
                    return new Insert(relation, tuple(in));
                }
                case 'U': {
                    int relation = in.getInt();
                    char next = (char) in.get();
                    Tuple old = null;
                    char oldKind = 0;
                    if (next == 'K' || next == 'O') {
                        oldKind = next;
                        old = tuple(in);
                        next = (char) in.get();
                    }
                    if (next != 'N') {
                        throw new IllegalArgumentException("an update without its new row ('" + next + "')");
                    }
                    return new Update(relation, old, oldKind, tuple(in));
                }
                case 'D': {
                    int relation = in.getInt();
                    char oldKind = (char) in.get();
                    if (oldKind != 'K' && oldKind != 'O') {
                        throw new IllegalArgumentException("a delete without its old row ('" + oldKind + "')");
                    }
                    return new Delete(relation, tuple(in), oldKind);
                }
                case 'T': {
                    int n = in.getInt();
                    in.get(); // options: CASCADE, RESTART IDENTITY
                    List<Integer> relations = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        relations.add(in.getInt());
                    }
                    return new Truncate(List.copyOf(relations));
                }
                case 'O', 'M':
                    return new Ignored(kind);
                default:
                    throw new IllegalArgumentException("unknown pgoutput message type '" + kind + "'");
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("a truncated pgoutput message of type '" + kind + "'", e);
        }
    }

    private static Tuple tuple(ByteBuffer in) {
        int n = Short.toUnsignedInt(in.getShort());
        List<Value> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            char kind = (char) in.get();
            switch (kind) {
                case 'n' -> values.add(Value.NULL);
                case 'u' -> values.add(Value.UNCHANGED);
                case 't' -> {
                    int length = in.getInt();
                    byte[] bytes = new byte[length];
                    in.get(bytes);
                    values.add(new Value('t', new String(bytes, StandardCharsets.UTF_8)));
                }
                default -> throw new IllegalArgumentException("unknown tuple value kind '" + kind + "'");
            }
        }
        return new Tuple(values);
    }

    private static void expect(ByteBuffer in, char expected) {
        char c = (char) in.get();
        if (c != expected) {
            throw new IllegalArgumentException("expected '" + expected + "' but found '" + c + "'");
        }
    }

    /** A NUL-terminated UTF-8 string. */
    private static String string(ByteBuffer in) {
        int start = in.position();
        int end = start;
        while (in.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        in.get(bytes);
        in.get(); // the NUL
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Instant time(long pgMicros) {
        long micros = pgMicros + PG_EPOCH_MICROS;
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
