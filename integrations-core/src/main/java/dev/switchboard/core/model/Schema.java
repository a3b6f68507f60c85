package dev.switchboard.core.model;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The fields a stream promises: name, type, nullability and whether each is always present.
 * Immutable. {@link #diff(Schema)} classifies how an observed schema departs from this one.
 */
public final class Schema {
    private final Map<String, Field> fields;

    private Schema(Map<String, Field> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /**
     * One promised field.
     *
     * @param values the values an enumerated (picklist, option) field may take, in the source's own
     *     spelling; empty when the field is not enumerated
     */
    public record Field(String name, FieldType type, boolean nullable, boolean required, Set<String> values) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        /** A field that is not enumerated. */
        public Field(String name, FieldType type, boolean nullable, boolean required) {
            this(name, type, nullable, required, Set.of());
        }

        /** Whether the field promises one of a known set of values. */
        public boolean enumerated() {
            return !values.isEmpty();
        }

        /** The same field, promising these values. */
        public Field withValues(Collection<String> values) {
            return new Field(name, type, nullable, required, new LinkedHashSet<>(values));
        }

        String shape() {
            return type + (nullable ? "?" : "");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Schema empty() {
        return new Schema(new LinkedHashMap<>());
    }

    /**
     * The schema that a set of sample records shows: a field's type is the type of its non-null
     * values (mixed types give {@link FieldType#ANY}), it is nullable if any sample had it null or
     * missing, and required if every sample had it.
     */
    public static Schema observe(Collection<JsonObject> samples) {
        Map<String, FieldType> types = new LinkedHashMap<>();
        Map<String, Integer> present = new LinkedHashMap<>();
        Map<String, Boolean> nulls = new LinkedHashMap<>();
        for (JsonObject sample : samples) {
            for (Map.Entry<String, JsonValue> e : sample.fields().entrySet()) {
                String name = e.getKey();
                present.merge(name, 1, Integer::sum);
                if (e.getValue().type() == JsonValue.Type.NULL) {
                    nulls.put(name, true);
                    types.putIfAbsent(name, null);
                    continue;
                }
                FieldType seen = FieldType.of(e.getValue());
                FieldType before = types.get(name);
                types.put(name, before == null ? seen : merge(before, seen));
            }
        }
        Builder b = builder();
        for (String name : present.keySet()) {
            boolean inAll = present.get(name) == samples.size();
            FieldType type = types.get(name);
            b.add(new Field(
                    name, type == null ? FieldType.ANY : type, nulls.getOrDefault(name, false) || !inAll, inAll));
        }
        return b.build();
    }

    /**
     * This contract widened just enough that every one of {@code records} keeps it: for each,
     * {@link #check} of the result finds nothing. A promised field some record lacks is no longer
     * required; one some record has null becomes nullable; one whose values this type does not accept
     * takes the type the records show ({@link #observe}); an enumerated field also lists the string
     * values the records carry; a field the contract lacks is added as {@link #observe} sees it. Where
     * the records keep the contract (and for no records at all), the result equals this contract. For
     * a source without metadata, this is the contract to pin after a vendor change was reviewed.
     */
    public Schema widen(Collection<JsonObject> records) {
        Schema seen = observe(records);
        Builder b = builder();
        for (Field f : fields.values()) {
            boolean everywhere = true;
            boolean nulls = false;
            boolean accepted = true;
            Set<String> values = new LinkedHashSet<>(f.values());
            for (JsonObject record : records) {
                JsonValue value = record.fields().get(f.name());
                if (value == null) {
                    everywhere = false;
                } else if (value.type() == JsonValue.Type.NULL) {
                    nulls = true;
                } else {
                    accepted &= f.type().accepts(FieldType.of(value));
                    if (f.enumerated() && value instanceof dev.switchboard.core.json.JsonString text) {
                        values.add(text.value());
                    }
                }
            }
            FieldType type = accepted
                    ? f.type()
                    : Objects.requireNonNull(seen.fields.get(f.name())).type();
            b.add(new Field(f.name(), type, f.nullable() || nulls, f.required() && everywhere, values));
        }
        for (Field added : seen.fields.values()) {
            if (!fields.containsKey(added.name())) {
                b.add(added);
            }
        }
        return b.build();
    }

    private static FieldType merge(FieldType a, FieldType b) {
        if (a == b) {
            return a;
        }
        if ((a == FieldType.INTEGER && b == FieldType.NUMBER) || (a == FieldType.NUMBER && b == FieldType.INTEGER)) {
            return FieldType.NUMBER;
        }
        return FieldType.ANY;
    }

    /**
     * This schema as a contract file's JSON, the form {@link #fromJson} reads:
     * <pre>{@code
     * {"fields": [
     *   {"name": "Id", "type": "STRING", "nullable": false, "required": true},
     *   {"name": "Rating", "type": "STRING", "nullable": true, "required": false, "values": ["Hot", "Warm", "Cold"]}
     * ]}
     * }</pre>
     * Every field with its type (a {@link FieldType} name), nullability and presence, in declaration
     * order; {@code values} only for an enumerated field. {@code fromJson(toJson())} equals this schema.
     */
    public JsonObject toJson() {
        return SchemaJson.toJson(this);
    }

    /**
     * The schema a contract file's JSON describes (see {@link #toJson()}). {@code type} is required
     * (any case); {@code nullable} defaults to true and {@code required} to false, so a field given
     * only a name and type is optional; a top-level {@code "description"} string is allowed for people.
     *
     * @throws IllegalArgumentException naming the field ({@code fields[2] ('Rating')}) and what to fix:
     *     a missing or unknown type, a key that is not one of the format's, a flag that is not a
     *     boolean, a value that is not a string, a field declared twice
     */
    public static Schema fromJson(JsonObject json) {
        return SchemaJson.fromJson(json, "contract");
    }

    /**
     * Reads a contract file (UTF-8 JSON, see {@link #toJson()}), e.g. one kept in the repository as
     * {@code contracts/salesforce/Account.json} and pinned with
     * {@code ConnectionConfig.Builder.contract("Account", Schema.load(path))}.
     *
     * @throws IllegalArgumentException naming the file (and field) when it cannot be read, is not
     *     JSON, or is not a contract
     */
    public static Schema load(Path file) {
        return SchemaJson.load(file);
    }

    /**
     * Writes this schema as a contract file {@link #load} reads back equal, one field per line so a
     * change to the contract diffs field by field; creates missing parent directories.
     *
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public void write(Path file) {
        SchemaJson.write(this, file);
    }

    public Optional<Field> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** The fields in declaration order. */
    public List<Field> fields() {
        return List.copyOf(fields.values());
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * This schema with {@code added} appended, each replacing a field of the same name in place: how
     * a connection pins a connector's contract plus an org's own fields
     * ({@code declared.with(new Field("Customer_Tier__c", FieldType.STRING, true, false))}).
     */
    public Schema with(Field... added) {
        LinkedHashMap<String, Field> all = new LinkedHashMap<>(fields);
        for (Field f : added) {
            all.put(f.name(), f);
        }
        return new Schema(all);
    }

    /**
     * How {@code observed} departs from this contract. A field the contract lacks is additive; a
     * required field that is missing, or a promised field retyped or newly nullable, is breaking. An
     * optional field absent from the observation is not drift: the records seen may just not have it. A field observed as
     * {@link FieldType#ANY} (only nulls seen) is judged by nullability alone.
     */
    public SchemaDiff diff(Schema observed) {
        return diff(observed, false);
    }

    /**
     * How the source's metadata ({@code described}: Salesforce describe, HubSpot's properties) departs
     * from this contract. Unlike {@link #diff(Schema)}, metadata lists every field the source has, so
     * a promised field it lacks is {@link Drift.Kind#REMOVED} whether or not the contract says it is
     * always present; and nullability is not compared (metadata's nillable is about writes: whether
     * values are null is checked record by record). Otherwise classified as {@link #diff(Schema)} does.
     */
    public SchemaDiff diffMetadata(Schema described) {
        return diff(described, true);
    }

    private SchemaDiff diff(Schema observed, boolean complete) {
        List<Drift> drifts = new ArrayList<>();
        for (Field expected : fields.values()) {
            Field seen = observed.fields.get(expected.name());
            if (seen == null) {
                // An optional field may simply be absent from the records seen; a required one may not.
                if (expected.required() || complete) {
                    drifts.add(new Drift(expected.name(), Drift.Kind.REMOVED, expected.shape(), null));
                }
                continue;
            }
            if (seen.type() != FieldType.ANY && !expected.type().accepts(seen.type())) {
                drifts.add(new Drift(expected.name(), Drift.Kind.TYPE_CHANGED, expected.shape(), seen.shape()));
            } else if (!expected.nullable() && seen.nullable() && !complete) {
                drifts.add(new Drift(expected.name(), Drift.Kind.NOW_NULLABLE, expected.shape(), seen.shape()));
            }
            if (expected.enumerated() && seen.enumerated()) {
                for (String value : seen.values()) {
                    if (!expected.values().contains(value)) {
                        drifts.add(new Drift(
                                expected.name(), Drift.Kind.UNKNOWN_VALUE, "one of " + expected.values(), value));
                    }
                }
            }
        }
        for (Field seen : observed.fields.values()) {
            if (!fields.containsKey(seen.name())) {
                drifts.add(new Drift(seen.name(), Drift.Kind.ADDED, null, seen.shape()));
            }
        }
        return new SchemaDiff(drifts);
    }

    /**
     * How one record departs from this contract: a field the contract lacks ({@link Drift.Kind#ADDED}),
     * a required field absent ({@link Drift.Kind#MISSING}), a value of another type
     * ({@link Drift.Kind#TYPE_CHANGED}), null where the contract promises a value
     * ({@link Drift.Kind#NOW_NULLABLE}), or a value an enumerated field never promised
     * ({@link Drift.Kind#UNKNOWN_VALUE}). Never throws for any JSON object.
     */
    public List<Drift> check(JsonObject record) {
        List<Drift> drifts = new ArrayList<>(0);
        for (Field expected : fields.values()) {
            JsonValue value = record.fields().get(expected.name());
            if (value == null) {
                if (expected.required()) {
                    drifts.add(new Drift(expected.name(), Drift.Kind.MISSING, expected.shape(), null));
                }
                continue;
            }
            if (value.type() == JsonValue.Type.NULL) {
                if (!expected.nullable()) {
                    drifts.add(new Drift(expected.name(), Drift.Kind.NOW_NULLABLE, expected.shape(), "null"));
                }
                continue;
            }
            FieldType seen = FieldType.of(value);
            if (!expected.type().accepts(seen)) {
                drifts.add(new Drift(expected.name(), Drift.Kind.TYPE_CHANGED, expected.shape(), seen.name()));
            } else if (expected.enumerated()
                    && value instanceof dev.switchboard.core.json.JsonString text
                    && !expected.values().contains(text.value())) {
                drifts.add(new Drift(
                        expected.name(), Drift.Kind.UNKNOWN_VALUE, "one of " + expected.values(), text.value()));
            }
        }
        for (String name : record.fields().keySet()) {
            if (!fields.containsKey(name)) {
                drifts.add(new Drift(
                        name,
                        Drift.Kind.ADDED,
                        null,
                        FieldType.of(record.fields().get(name)).name()));
            }
        }
        return drifts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s && fields.equals(s.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "Schema"
                + fields.values().stream().map(f -> f.name() + ":" + f.shape()).toList();
    }

    /** Builds a {@link Schema}; field names must be unique. */
    public static final class Builder {
        private final LinkedHashMap<String, Field> fields = new LinkedHashMap<>();

        private Builder() {}

        public Builder add(Field field) {
            if (fields.putIfAbsent(field.name(), field) != null) {
                throw new IllegalArgumentException("field '" + field.name() + "' is declared twice");
            }
            return this;
        }

        /** A field that is always present and never null. */
        public Builder required(String name, FieldType type) {
            return add(new Field(name, type, false, true));
        }

        /** A field that may be absent or null. */
        public Builder optional(String name, FieldType type) {
            return add(new Field(name, type, true, false));
        }

        /** An enumerated field that may be absent or null; {@code values} in the source's spelling. */
        public Builder optionalEnum(String name, Collection<String> values) {
            return add(new Field(name, FieldType.STRING, true, false, new LinkedHashSet<>(values)));
        }

        public Schema build() {
            return new Schema(new LinkedHashMap<>(fields));
        }
    }
}
