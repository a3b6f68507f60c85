package dev.switchboard.normalize;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A typed field of an entity type: the key to read a value, e.g. {@link Person#EMAIL}. Compared by
 * owner and name.
 *
 * @param <T> the type of the field's values
 */
public final class Field<T> {
    private final EntityType owner;
    private final String name;
    private final ValueKind kind;
    private final Class<?> valueClass;
    private final @Nullable Class<? extends Enum<?>> codes;
    private final @Nullable EntityType refersTo;
    // The field's position among its type's fields (declaration order): entities keep values in an array.
    private final int index;
    private final int hash;
    private static final int[] NEXT_INDEX = new int[EntityType.values().length];

    private Field(
            EntityType owner,
            String name,
            ValueKind kind,
            Class<?> valueClass,
            @Nullable Class<? extends Enum<?>> codes,
            @Nullable EntityType refersTo) {
        this.owner = owner;
        this.name = name;
        this.kind = kind;
        this.valueClass = valueClass;
        this.codes = codes;
        this.refersTo = refersTo;
        synchronized (NEXT_INDEX) {
            this.index = NEXT_INDEX[owner.ordinal()]++;
        }
        this.hash = Objects.hash(owner, name);
    }

    /** The field's position in {@link EntityType#fields()} of its owner. */
    int index() {
        return index;
    }

    static <T> Field<T> of(EntityType owner, String name, ValueKind kind, Class<T> valueClass) {
        return new Field<>(owner, name, kind, valueClass, null, null);
    }

    static <E extends Enum<E>> Field<Coded<E>> coded(EntityType owner, String name, Class<E> codes) {
        return new Field<>(owner, name, ValueKind.CODED, Coded.class, codes, null);
    }

    /**
     * A field whose value a mapper builds from several source fields or a list (a {@link Stage}, a
     * list of {@link ContactPoint}s): {@link ValueKind#STRUCTURED}, not mapped by configuration.
     */
    @SuppressWarnings("unchecked")
    static <T> Field<T> structured(EntityType owner, String name, Class<?> valueClass) {
        return (Field<T>) new Field<>(owner, name, ValueKind.STRUCTURED, valueClass, null, null);
    }

    static Field<Stage> stage(EntityType owner) {
        return new Field<>(owner, "stage", ValueKind.STAGE, Stage.class, StageKind.class, null);
    }

    static Field<EntityRef> ref(EntityType owner, String name, EntityType refersTo) {
        return new Field<>(owner, name, ValueKind.REF, EntityRef.class, null, refersTo);
    }

    /** The entity type the field belongs to. */
    public EntityType owner() {
        return owner;
    }

    /** The field's name in the unified model, e.g. {@code email}. */
    public String name() {
        return name;
    }

    /** How source values are read into it. */
    public ValueKind kind() {
        return kind;
    }

    /** The class of its values. */
    public Class<?> valueClass() {
        return valueClass;
    }

    /** For a {@link ValueKind#CODED} field, its enumeration (which has an {@code OTHER} constant). */
    public @Nullable Class<? extends Enum<?>> codes() {
        return codes;
    }

    /** For a {@link ValueKind#REF} field, the type of entity it points to. */
    public @Nullable EntityType refersTo() {
        return refersTo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Field<?> f && owner == f.owner && name.equals(f.name);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return owner.name().toLowerCase(java.util.Locale.ROOT) + "." + name;
    }
}
