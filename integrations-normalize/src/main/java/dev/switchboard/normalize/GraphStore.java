package dev.switchboard.normalize;

import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Where an entity graph keeps its items (entities, their tombstones, relations) so that several instances share
 * one graph: an ordered key-value log that a graph writes through and catches up from. The store knows nothing of
 * entities: a row is a key, a kind, a delete flag and a text body (for an entity, {@link EntityJson}).
 *
 * <p>Every write gets a <b>sequence number</b>, strictly increasing across every instance that shares the store,
 * and sequence order is commit order: a reader that has seen sequence {@code n} has seen every row numbered below
 * {@code n} that is still current. An instance catches up by asking {@link #changedAfter} for the rows above the
 * last sequence it applied, page by page; a row it gets replaces what it had under that key, a deleted row removes
 * it. Deleted rows stay as tombstones until {@link #purgeDeleted} drops them, so an instance that was behind still
 * learns of the delete.
 *
 * <p>Implementations are thread-safe. {@link #inMemory()} keeps the log in this JVM (one instance, tests);
 * {@link #jdbc(DataSource)} keeps it in H2 or PostgreSQL ({@link JdbcGraphStore}), shared by the instances that use
 * the same tables. {@code dev.switchboard.testkit.GraphStoreContract} is the suite every implementation passes.
 */
public interface GraphStore extends AutoCloseable {
    /** The longest key a store accepts, in characters. */
    int MAX_KEY_LENGTH = 1000;

    /** The longest kind a store accepts, in characters. */
    int MAX_KIND_LENGTH = 64;

    /**
     * One row: the latest state of one item.
     *
     * @param key the item's key, unique in the store
     * @param kind what the item is, e.g. {@code entity} or {@code relation}: the graph's own names
     * @param firstSequence the sequence of the key's first write ever (kept across replaces, and across a delete
     *     and a re-create until {@link #purgeDeleted} drops the tombstone)
     * @param sequence the sequence of the write that made this state
     * @param deleted whether this is a tombstone
     * @param body the item as the graph wrote it (may be empty)
     */
    record Row(String key, String kind, long firstSequence, long sequence, boolean deleted, String body) {
        public Row {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(body, "body");
        }

        /** Names the row without its body, which may be personal. */
        @Override
        public String toString() {
            return "Row[" + kind + " " + key + " #" + sequence + " first #" + firstSequence
                    + (deleted ? " deleted" : "") + ", " + body.length() + " chars]";
        }
    }

    /**
     * One change to write.
     *
     * @param key the item's key, at most {@value #MAX_KEY_LENGTH} characters (a longer one fails the write)
     * @param kind what the item is, at most {@value #MAX_KIND_LENGTH} characters (a longer one fails the write)
     * @param deleted whether the item is gone (the row stays as a tombstone)
     * @param body the item's new state, or for a tombstone what the graph keeps of it (may be empty)
     */
    record Write(String key, String kind, boolean deleted, String body) {
        public Write {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(body, "body");
        }

        /** A new or changed item. */
        public static Write put(String key, String kind, String body) {
            return new Write(key, kind, false, body);
        }

        /** An item gone, kept as a tombstone with {@code body}. */
        public static Write delete(String key, String kind, String body) {
            return new Write(key, kind, true, body);
        }

        /** Checks the key and the kind against the limits; the message names the limit, never the key. */
        void check() {
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("a graph store key has 1 to " + MAX_KEY_LENGTH + " characters, not "
                        + key.length() + "; nothing was written");
            }
            if (kind.isEmpty() || kind.length() > MAX_KIND_LENGTH) {
                throw new IllegalArgumentException("a graph store kind has 1 to " + MAX_KIND_LENGTH
                        + " characters, not " + kind.length() + "; nothing was written");
            }
        }

        /** Names the write without its body, which may be personal. */
        @Override
        public String toString() {
            return "Write[" + kind + " " + key + (deleted ? " deleted" : "") + ", " + body.length() + " chars]";
        }
    }

    /**
     * Writes every change atomically, all or none, in order: each replaces the row of its key and gets the next
     * sequence number (strictly increasing across every instance sharing the store; sequence order is commit order)
     * and keeps the key's {@link Row#firstSequence()} from its first write (also across a delete and a re-create).
     * A key written twice in one call is stored as its last write, and both writes use a sequence number.
     *
     * @return the rows as written, one per write, in the order given
     * @throws IllegalArgumentException when a key or a kind is empty or too long; nothing was written
     * @throws dev.switchboard.core.error.SwitchboardException when the database fails; nothing was written
     */
    List<Row> write(List<Write> writes);

    /**
     * The current rows (tombstones included) whose sequence is above {@code after}, in sequence order, at most
     * {@code limit}: the next page of what an instance that applied everything up to {@code after} must apply.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    List<Row> changedAfter(long after, int limit);

    /**
     * The highest sequence number given so far, 0 when nothing was ever written; it stays when
     * {@link #purgeDeleted} drops that row, so numbers are never given twice.
     */
    long lastSequence();

    /**
     * Drops the tombstones whose sequence is at or below {@code sequence}: call it with a sequence every instance
     * has caught up past, since one that is behind no longer learns of those deletes. A key written again after its
     * tombstone is dropped starts a new {@link Row#firstSequence()}.
     *
     * @return how many rows were dropped
     */
    int purgeDeleted(long sequence);

    /** Releases what the store holds; its data stays (a database's tables, for another store to open). */
    @Override
    void close();

    /** A store in this JVM's memory: one instance, lost at exit. */
    static GraphStore inMemory() {
        return new InMemoryGraphStore();
    }

    /**
     * A store on {@code dataSource} (H2 or PostgreSQL) in the default tables ({@link JdbcGraphStore}), created if
     * missing: every instance given the same database shares the graph.
     */
    static GraphStore jdbc(DataSource dataSource) {
        return JdbcGraphStore.builder(dataSource).build();
    }
}
