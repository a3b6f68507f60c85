package dev.switchboard.normalize;

import dev.switchboard.normalize.internal.EntityJsonCodec;

/**
 * An {@link Entity} as JSON text and back, for stores that keep entities (a durable graph, {@link GraphStore}).
 * Thread-safe; no state.
 *
 * <p>{@link #write} keeps everything an entity is except its source record's data: its type and {@link Origin},
 * every standard and custom value with its {@link Provenance}, its external ids, its issues, and of the raw record
 * its identity only (stream, id, source, version, update time, ACL, delete time). {@link #read} gives back an entity
 * {@linkplain Entity#hasRaw() without the raw data} such that {@code read(write(e))} equals {@code e.withoutRaw()}:
 * the same values of the same classes (a {@link Coded} with the same enum constant), provenance, custom values,
 * external ids, issues and identity record.
 *
 * <p>Every value carries a type tag (custom values have no field to say what they hold), and the text a format
 * version ({@value #FORMAT}); {@link #read} refuses a newer one. A {@link Coded} value names its enumeration, and only
 * enumerations of this package are ever loaded. A value of a class this codec does not know is refused on write,
 * never written in a form that could not be read back.
 */
public final class EntityJson {
    /** The format version written; {@link #read} reads this one and older. */
    public static final int FORMAT = EntityJsonCodec.FORMAT;

    private EntityJson() {}

    /**
     * The entity as JSON, without its raw record's data.
     *
     * @throws IllegalArgumentException when a value is of a class this codec does not know (naming the class and
     *     the field, never the value)
     */
    public static String write(Entity e) {
        return EntityJsonCodec.write(e);
    }

    /**
     * The entity {@link #write} wrote, without raw data ({@link Entity#hasRaw()} is false).
     *
     * @throws IllegalArgumentException when {@code json} is not such JSON (not JSON, a missing or malformed part, an
     *     unknown type tag) or was written in a newer format; the message says what and where, never a value
     */
    public static Entity read(String json) {
        return EntityJsonCodec.read(json, Entity::builder);
    }
}
