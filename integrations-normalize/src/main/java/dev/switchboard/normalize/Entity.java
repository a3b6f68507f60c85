package dev.switchboard.normalize;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One source record in the unified model: typed values, each with its {@link Provenance}, and the
 * source record kept alongside. Immutable and thread-safe. A source value that could not be read as
 * its field's type is left out of the typed values and listed in {@link #issues()}; it stays in
 * {@link #raw()}, never coerced.
 */
public abstract sealed class Entity
        permits Person,
                Organization,
                Ticket,
                Deal,
                Message,
                Activity,
                User,
                Team,
                Comment,
                Lead,
                Pipeline,
                GenericEntity {
    private final EntityType type;
    private final Origin origin;
    private final Record raw;
    private final boolean rawKept;
    // Standard field values by Field.index(): no hashing on the hot path.
    private final Value<?>[] slots;
    private volatile @Nullable Map<Field<?>, Value<?>> valuesView;
    private final Map<String, Value<?>> custom;
    private final List<Value<ExternalId>> externalIds;
    private final List<Drift> issues;

    Entity(Builder b) {
        this.type = b.type;
        this.origin = b.origin;
        this.raw = b.raw;
        this.rawKept = !b.detached;
        // The builder hands its collections over and copies them if it is changed again.
        b.shared = true;
        this.slots = b.slots;
        this.custom = b.custom.isEmpty() ? Map.of() : Collections.unmodifiableMap(b.custom);
        this.externalIds = b.externalIds.isEmpty() ? List.of() : Collections.unmodifiableList(b.externalIds);
        this.issues = b.issues.isEmpty() ? List.of() : Collections.unmodifiableList(b.issues);
    }

    /** A builder for an entity of {@code type} made from {@code raw}. */
    public static Builder builder(EntityType type, Record raw) {
        return new Builder(type, raw, Origin.of(raw));
    }

    static Builder builder(EntityType type, Record raw, Origin origin) {
        return new Builder(type, raw, origin);
    }

    public EntityType type() {
        return type;
    }

    /** This entity's identity at its source. */
    public EntityRef ref() {
        return origin.ref(type);
    }

    /** The source record it was made from. */
    public Origin origin() {
        return origin;
    }

    /**
     * The source record as read, unchanged; for an entity {@linkplain #withoutRaw() kept without it}, the record's
     * identity only (stream, id, source, version, update time, ACL, delete time) with no data.
     */
    public Record raw() {
        return raw;
    }

    /** Whether {@link #raw()} holds the source record's data, not only its identity. */
    public boolean hasRaw() {
        return rawKept;
    }

    /**
     * This entity without the source record's data: every typed value, custom value, external id and issue,
     * and in {@link #raw()} only the record's identity. What a long-lived store (a graph of a million
     * entities) keeps: the data is read again from the source by reference when it is needed. Equal to this
     * entity ({@link #equals} ignores the raw record).
     */
    public Entity withoutRaw() {
        if (!rawKept) {
            return this;
        }
        // The version first: a lazy version is a digest of the data about to go.
        Record identity =
                raw.newBuilder().version(raw.version()).data(JsonObject.empty()).build();
        Builder b = new Builder(type, identity, origin);
        b.slots = slots;
        b.custom = custom;
        b.externalIds = externalIds;
        b.issues = issues;
        b.shared = true;
        b.detached = true;
        return b.build();
    }

    /**
     * Whether the source deleted the record (it was made from a tombstone): a consumer drops it, never shows it
     * as live. A deleted entity carries what the tombstone kept (its identity), rarely any value.
     */
    public boolean deleted() {
        return raw.deleted();
    }

    /** When the source deleted the record, for a {@linkplain #deleted() deleted} entity. */
    public Optional<Instant> deletedAt() {
        return Optional.ofNullable(raw.deletedAt());
    }

    /** A standard field's value. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> get(Field<T> field) {
        Value<?> v = slot(field);
        return v == null ? Optional.empty() : Optional.of((T) v.value());
    }

    private @Nullable Value<?> slot(Field<?> field) {
        return field.owner() == type ? slots[field.index()] : null;
    }

    /** A standard field's value with its provenance. */
    @SuppressWarnings("unchecked")
    public <T> Optional<Value<T>> value(Field<T> field) {
        return Optional.ofNullable((Value<T>) slot(field));
    }

    /** Where a standard field's value came from. */
    public Optional<Provenance> provenance(Field<?> field) {
        Value<?> v = slot(field);
        return v == null ? Optional.empty() : Optional.of(v.provenance());
    }

    /** Every standard field that has a value, in the type's field order. */
    public Map<Field<?>, Value<?>> values() {
        Map<Field<?>, Value<?>> view = valuesView;
        if (view == null) {
            Map<Field<?>, Value<?>> map = new LinkedHashMap<>();
            List<Field<?>> fields = type.fields();
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null) {
                    map.put(fields.get(i), slots[i]);
                }
            }
            view = Collections.unmodifiableMap(map);
            valuesView = view;
        }
        return view;
    }

    /** A custom field (from a connection's field mappings) by its unified name, e.g. {@code tier}. */
    public Optional<Value<?>> custom(String name) {
        return Optional.ofNullable(custom.get(name));
    }

    /** Every custom field with a value; for a {@link GenericEntity}, every source field. */
    public Map<String, Value<?>> customValues() {
        return custom;
    }

    /** Ids of the same thing in other systems, as the source states them. */
    public List<Value<ExternalId>> externalIds() {
        return externalIds;
    }

    /** This entity's own id, {@code (connector, source id)}. */
    public ExternalId ownId() {
        return new ExternalId(origin.connector(), origin.sourceId());
    }

    /**
     * Source values that could not be read into their field (a number where an email was expected,
     * a date that does not parse): each names the field, the expected and the observed shape, never
     * the value.
     */
    public List<Drift> issues() {
        return issues;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entity e
                && type == e.type
                && origin.equals(e.origin)
                && java.util.Arrays.equals(slots, e.slots)
                && custom.equals(e.custom)
                && externalIds.equals(e.externalIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, origin);
    }

    /** Names the entity without its values, which may be personal. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + ref().key()
                + (origin.sourceVersion() == null ? "" : "@" + origin.sourceVersion())
                + (deleted() ? " deleted" : "") + "]";
    }

    /**
     * Builds an {@link Entity}. Absent values ({@code Optional.empty()}) are skipped, so mappers can
     * pass what {@link SourceFields} read without checking.
     */
    public static final class Builder {
        private final EntityType type;
        private final Origin origin;
        private final Record raw;
        private Value<?>[] slots;
        // Empty until used: most entities have no custom value, external id or issue.
        private Map<String, Value<?>> custom = Map.of();
        private List<Value<ExternalId>> externalIds = List.of();
        private List<Drift> issues = List.of();
        private boolean shared;
        private boolean detached;

        private Builder(EntityType type, Record raw, Origin origin) {
            this.type = Objects.requireNonNull(type, "type");
            this.raw = Objects.requireNonNull(raw, "raw");
            this.origin = origin;
            this.slots = new Value<?>[type.fields().size()];
        }

        private void own() {
            if (shared) {
                slots = slots.clone();
                custom = custom.isEmpty() ? Map.of() : new LinkedHashMap<>(custom);
                externalIds = externalIds.isEmpty() ? List.of() : new ArrayList<>(externalIds);
                issues = issues.isEmpty() ? List.of() : new ArrayList<>(issues);
                shared = false;
            }
        }

        /** The origin every value of this entity shares. */
        public Origin origin() {
            return origin;
        }

        /** Sets a standard field of this entity's type; replaces an earlier value. */
        public <T> Builder set(Field<T> field, Value<T> value) {
            if (field.owner() != type) {
                throw new IllegalArgumentException("field " + field + " does not belong to " + type);
            }
            if (!field.valueClass().isInstance(value.value())) {
                throw new IllegalArgumentException(
                        "field " + field + " holds " + field.valueClass().getSimpleName() + ", not "
                                + value.value().getClass().getSimpleName());
            }
            own();
            slots[field.index()] = value;
            return this;
        }

        /** Sets a standard field when the value is present. */
        public <T> Builder set(Field<T> field, Optional<Value<T>> value) {
            // Not ifPresent with a lambda: a mapper sets a dozen fields a record, each a capture.
            if (value.isPresent()) {
                set(field, value.get());
            }
            return this;
        }

        /** Sets a standard field to a value derived from the record as a whole (no single source field). */
        public <T> Builder derived(Field<T> field, T value) {
            return set(field, new Value<>(value, new Provenance(origin, null)));
        }

        /** Sets a custom field when the value is present; replaces an earlier value. */
        public Builder custom(String name, Optional<? extends Value<?>> value) {
            if (value.isPresent()) {
                own();
                if (custom.isEmpty()) {
                    custom = new LinkedHashMap<>(4);
                }
                custom.put(Objects.requireNonNull(name, "name"), value.get());
            }
            return this;
        }

        /** Adds an id of the same thing in another system, when present. */
        public Builder externalId(Optional<Value<ExternalId>> id) {
            if (id.isPresent()) {
                own();
                if (externalIds.isEmpty()) {
                    externalIds = new ArrayList<>(2);
                }
                externalIds.add(id.get());
            }
            return this;
        }

        /** Notes a source value that could not be read into its field. */
        public Builder issue(Drift issue) {
            own();
            if (issues.isEmpty()) {
                issues = new ArrayList<>(2);
            }
            issues.add(Objects.requireNonNull(issue, "issue"));
            return this;
        }

        /** Notes every issue a {@link SourceFields} met while reading. */
        public Builder issues(List<Drift> more) {
            if (!more.isEmpty()) { // most records have none: no method reference to make
                more.forEach(this::issue);
            }
            return this;
        }

        public EntityType type() {
            return type;
        }

        public Entity build() {
            return switch (type) {
                case PERSON -> new Person(this);
                case ORGANIZATION -> new Organization(this);
                case TICKET -> new Ticket(this);
                case DEAL -> new Deal(this);
                case MESSAGE -> new Message(this);
                case ACTIVITY -> new Activity(this);
                case USER -> new User(this);
                case TEAM -> new Team(this);
                case COMMENT -> new Comment(this);
                case LEAD -> new Lead(this);
                case PIPELINE -> new Pipeline(this);
                case GENERIC -> new GenericEntity(this);
            };
        }
    }
}
