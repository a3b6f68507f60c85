package dev.switchboard.core.model;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
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
import org.jspecify.annotations.Nullable;

/**
 * The fields a stream promises: name, type, nullability and whether each is always present.
 * Immutable. {@link #diff(Schema)} classifies how an observed schema departs from this one.
 */
public final class Schema {
    private final Map<String, Field> fields;
    /** The fields in order, for the per-record check: an array walk, no map iteration. */
    private final Field[] fieldArray;
    /**
     * Per field of {@link #fieldArray}, the JSON types (bit {@code 1 << Type.ordinal()}) whose values keep its
     * promise by type alone ({@link #keeps}), worked out once: the check of a record is then a bit test a field.
     */
    private final int[] keptTypes;
    /** Per field, whether it is an INTEGER field: a number keeps it when it is a whole number. */
    private final boolean[] integers;

    private Schema(Map<String, Field> fields) {
        this.fields = Collections.unmodifiableMap(fields);
        this.fieldArray = fields.values().toArray(new Field[0]);
        this.keptTypes = new int[fieldArray.length];
        this.integers = new boolean[fieldArray.length];
        for (int i = 0; i < fieldArray.length; i++) {
            keptTypes[i] = keptTypes(fieldArray[i]);
            integers[i] = fieldArray[i].type() == FieldType.INTEGER;
        }
    }

    /** The JSON types {@link #keeps} passes for {@code expected} whatever the value (a whole number aside). */
    static int keptTypes(Field expected) {
        int kept = 0;
        for (JsonValue.Type type : JsonValue.Type.values()) {
            if (keepsByType(expected, type)) {
                kept |= 1 << type.ordinal();
            }
        }
        return kept;
    }

    /**
     * One promised field.
     *
     * @param values the values an enumerated (picklist, option) field may take, in the source's own
     *     spelling; empty when the field is not enumerated
     * @param properties for an {@link FieldType#OBJECT} field, the fields its object value promises;
     *     null when they are not known (any object keeps the promise)
     * @param items for an {@link FieldType#ARRAY} field, what each element of its array value
     *     promises; null when that is not known (any array keeps the promise). Its name is always
     *     {@link #ELEMENT} and it is always required (an element is there by being there): whatever
     *     name and presence the given element has are replaced, so two element descriptions that
     *     promise the same are equal. Its type, nullability, values, properties and items count.
     * @throws IllegalArgumentException when {@code properties} is given for a field not of type
     *     OBJECT, or {@code items} for one not of type ARRAY
     */
    public record Field(
            String name,
            FieldType type,
            boolean nullable,
            boolean required,
            Set<String> values,
            @Nullable Schema properties,
            @Nullable Field items) {
        /** The name every array element description has: drift inside an array is reported under {@code "tags[]"}. */
        public static final String ELEMENT = "[]";

        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
            if (properties != null && type != FieldType.OBJECT) {
                throw new IllegalArgumentException(
                        "field '" + name + "' is " + type + "; only an OBJECT field has properties");
            }
            if (items != null && type != FieldType.ARRAY) {
                throw new IllegalArgumentException(
                        "field '" + name + "' is " + type + "; only an ARRAY field has items");
            }
            if (items != null && (!items.name().equals(ELEMENT) || !items.required())) {
                items = new Field(
                        ELEMENT,
                        items.type(),
                        items.nullable(),
                        true,
                        items.values(),
                        items.properties(),
                        items.items());
            }
        }

        /** A field without nested structure. */
        public Field(String name, FieldType type, boolean nullable, boolean required, Set<String> values) {
            this(name, type, nullable, required, values, null, null);
        }

        /** A field that is not enumerated and has no nested structure. */
        public Field(String name, FieldType type, boolean nullable, boolean required) {
            this(name, type, nullable, required, Set.of());
        }

        /**
         * An array element of this type that is never null, to pass as {@code items}; {@link
         * #withValues}, {@link #withProperties} and {@link #withItems} refine it
         * ({@code Field.element(FieldType.STRING).withValues(List.of("red", "blue"))} for a
         * multi-select).
         */
        public static Field element(FieldType type) {
            return new Field(ELEMENT, type, false, true);
        }

        /** An array element that is an object, never null, promising these fields. */
        public static Field element(Schema properties) {
            return element(FieldType.OBJECT).withProperties(properties);
        }

        /** The same field, its object value promising these fields. */
        public Field withProperties(Schema properties) {
            return new Field(name, type, nullable, required, values, Objects.requireNonNull(properties), items);
        }

        /** The same field, each element of its array value promising what {@code items} does. */
        public Field withItems(Field items) {
            return new Field(name, type, nullable, required, values, properties, Objects.requireNonNull(items));
        }

        /** Whether the field promises one of a known set of values. */
        public boolean enumerated() {
            return !values.isEmpty();
        }

        /** The same field, promising these values. */
        public Field withValues(Collection<String> values) {
            return new Field(name, type, nullable, required, new LinkedHashSet<>(values), properties, items);
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
     * missing, and required if every sample had it. Flat: an OBJECT or ARRAY field is observed
     * without {@link Field#properties()} or {@link Field#items()}, so that a contract pinned from
     * observation checks records exactly as it did before nesting existed; declare nested fields to
     * have them checked.
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
     * values the records carry; a field the contract lacks is added as {@link #observe} sees it. A
     * field's {@link Field#properties()} and {@link Field#items()} are widened the same way for the
     * objects and elements the records carry, unless the field itself is retyped, which drops them.
     * Where the records keep the contract (and for no records at all), the result equals this contract. For
     * a source without metadata, this is the contract to pin after a vendor change was reviewed.
     */
    public Schema widen(Collection<JsonObject> records) {
        Schema seen = observe(records);
        Builder b = builder();
        for (Field f : fields.values()) {
            List<JsonValue> present = new ArrayList<>(records.size());
            for (JsonObject record : records) {
                JsonValue value = record.fields().get(f.name());
                if (value != null) {
                    present.add(value);
                }
            }
            b.add(widen(f, present, present.size() == records.size()));
        }
        for (Field added : seen.fields.values()) {
            if (!fields.containsKey(added.name())) {
                b.add(added);
            }
        }
        return b.build();
    }

    /** {@code f} widened for the values it takes ({@code present}, JSON null included). */
    private static Field widen(Field f, List<JsonValue> present, boolean everywhere) {
        boolean nulls = false;
        boolean accepted = true;
        @Nullable FieldType shown = null;
        Set<String> values = new LinkedHashSet<>(f.values());
        List<JsonObject> objects = new ArrayList<>(0);
        List<JsonValue> elements = new ArrayList<>(0);
        for (JsonValue value : present) {
            if (value.type() == JsonValue.Type.NULL) {
                nulls = true;
                continue;
            }
            FieldType type = FieldType.of(value);
            shown = shown == null ? type : merge(shown, type);
            accepted &= f.type().accepts(type);
            if (f.enumerated() && value instanceof JsonString text) {
                values.add(text.value());
            }
            if (value instanceof JsonObject object) {
                objects.add(object);
            } else if (value instanceof JsonArray array) {
                elements.addAll(array.elements());
            }
        }
        boolean nullable = f.nullable() || nulls;
        boolean required = f.required() && everywhere;
        if (!accepted) {
            // Retyped as observe() would type it; what was promised inside no longer applies.
            return new Field(f.name(), Objects.requireNonNull(shown), nullable, required, values);
        }
        Schema properties = f.properties() == null ? null : f.properties().widen(objects);
        Field items = f.items() == null ? null : widen(f.items(), elements, true);
        return new Field(f.name(), f.type(), nullable, required, values, properties, items);
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
     * This contract as a JSON Schema (draft 2020-12) document that a record, a JSON object, is
     * validated against:
     * <pre>{@code
     * {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
     *  "properties": {"Id": {"type": "string"}, "Rating": {"type": ["string", "null"], "enum": ["Hot", "Cold", null]}},
     *  "required": ["Id"]}
     * }</pre>
     *
     * Each field is a property; the required ones are listed in {@code required} (always present,
     * possibly empty). STRING, INTEGER, NUMBER, BOOLEAN, OBJECT and ARRAY give that JSON type
     * ({@code "integer"} admits {@code 1.0}, as {@link FieldType#of} does); TIMESTAMP and DATE give
     * {@code "string"} with {@code "format": "date-time"} or {@code "date"}; a nullable field's type
     * also admits {@code "null"}; ANY gives no type, only {@code "not": {"type": "null"}} when not
     * nullable. An enumerated string field gives {@code enum} with its values, and {@code null} when
     * nullable. An OBJECT field with {@link Field#properties()} gives its own {@code properties} and
     * {@code required}, an ARRAY field with {@link Field#items()} gives {@code items}, to any depth.
     * No object says {@code additionalProperties}: sources add fields, and a field the contract lacks
     * is additive drift, not a broken record.
     *
     * <p>So a JSON Schema 2020-12 validator accepts a record exactly when {@link #check} reports no
     * breaking drift in it, with one difference: {@code format} is an annotation in 2020-12 unless a
     * validator is set to assert it, and one that asserts it also rejects a TIMESTAMP or DATE string
     * that is not an RFC 3339 date-time or full-date, which {@link #check} lets through. The result
     * is a new object each call; the field order of the contract is kept.
     */
    public JsonObject toJsonSchema() {
        return JsonSchemaForm.render(this);
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
     * order; {@code values} only for an enumerated field; {@code fields} only for an OBJECT field with
     * {@link Field#properties()}, in this same form; {@code items} only for an ARRAY field with
     * {@link Field#items()}, as an object with the element's {@code type}, {@code nullable} and, as
     * they apply, {@code values}, {@code fields} and {@code items}:
     * <pre>{@code
     *   {"name": "Address", "type": "OBJECT", "nullable": true, "required": false, "fields": [
     *     {"name": "City", "type": "STRING", "nullable": false, "required": true}]},
     *   {"name": "Tags", "type": "ARRAY", "nullable": false, "required": true, "items": {"type": "STRING", "nullable": false}}
     * }</pre>
     * {@code fromJson(toJson())} equals this schema.
     */
    public JsonObject toJson() {
        return SchemaJson.toJson(this);
    }

    /**
     * The schema a contract file's JSON describes (see {@link #toJson()}). {@code type} is required
     * (any case); {@code nullable} defaults to true and {@code required} to false, so a field given
     * only a name and type is optional (an {@code items} object's {@code nullable} defaults to true
     * too); a top-level {@code "description"} string is allowed for people. Files written before
     * {@code fields} and {@code items} existed read as they did.
     *
     * @throws IllegalArgumentException naming the field ({@code fields[2] ('Rating')}) and what to fix:
     *     a missing or unknown type, a key that is not one of the format's, a flag that is not a
     *     boolean, a value that is not a string, a field declared twice, {@code fields} on a field not
     *     of type OBJECT or {@code items} on one not of type ARRAY; a nested field is named by its
     *     path ({@code fields[2] ('Address'): fields[0] ('City')})
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
     * {@link FieldType#ANY} (only nulls seen) is judged by nullability alone. Fields are compared by
     * their own type, nullability and values; what they promise inside ({@link Field#properties()},
     * {@link Field#items()}) is not compared, as {@link #observe} does not see inside values.
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
     *
     * <p>Where a field promises what is inside its value ({@link Field#properties()},
     * {@link Field#items()}), the value is checked the same way, to any depth, each drift naming the
     * field by its path: {@code Address.City} inside an object, {@code Lines[]} for an array's
     * elements, {@code Lines[].Sku} inside them. A drift found in several elements of one array is
     * reported once. A contract without nested fields gets exactly the drifts it got before nesting
     * existed, each named by the field's own name.
     */
    public List<Drift> check(JsonObject record) {
        List<Drift> drifts = new ArrayList<>(0);
        check(record, "", drifts);
        return drifts;
    }

    /**
     * Adds the drift of {@code record} to {@code drifts}, each field named {@code prefix + name}. This runs for
     * every record a read delivers, so a record that keeps the contract costs one lookup and a type test per
     * field ({@link #keeps}); only a value that fails that test takes the general check, and the record's own
     * fields are walked for additions only when it holds more fields than the contract's it matched.
     */
    private void check(JsonObject record, String prefix, List<Drift> drifts) {
        int matched = 0;
        int size = record.size();
        for (int i = 0; i < fieldArray.length; i++) {
            Field expected = fieldArray[i];
            String name = expected.name();
            // A source's records mostly hold the contract's fields in its order: try the same position first.
            JsonValue value = i < size && record.nameAt(i).equals(name) ? record.valueAt(i) : record.get(name);
            if (value == null) {
                if (expected.required()) {
                    report(
                            drifts,
                            new Drift(pathOf(prefix, expected.name()), Drift.Kind.MISSING, expected.shape(), null));
                }
                continue;
            }
            matched++;
            JsonValue.Type type = value.type();
            if ((keptTypes[i] & (1 << type.ordinal())) == 0
                    && !(integers[i]
                            && type == JsonValue.Type.NUMBER
                            && ((JsonNumber) value).value().scale() <= 0)) {
                checkValue(expected, pathOf(prefix, expected.name()), value, drifts);
            }
        }
        if (matched == size) {
            return; // every field of the record is one of the contract's (names are unique on both sides)
        }
        for (Map.Entry<String, JsonValue> e : record.fields().entrySet()) {
            if (!fields.containsKey(e.getKey())) {
                report(
                        drifts,
                        new Drift(
                                pathOf(prefix, e.getKey()),
                                Drift.Kind.ADDED,
                                null,
                                FieldType.of(e.getValue()).name()));
            }
        }
    }

    /** Flat contracts build no path: a top-level drift names the field itself. */
    private static String pathOf(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + name;
    }

    /**
     * Whether {@code value} certainly keeps {@code expected}'s promise by its JSON type alone: the common cases
     * (a string where text, a timestamp or a date is promised, a boolean, a number where any number will do, an
     * allowed null, a whole number of scale 0 or less where an integer is promised, an object or array where
     * one, or anything, is promised with nothing said of its inside). False sends the value through
     * {@link #checkValue}, which decides; it never hides a drift.
     */
    static boolean keeps(Field expected, JsonValue value) {
        return keepsByType(expected, value.type())
                || (expected.type() == FieldType.INTEGER
                        && value.type() == JsonValue.Type.NUMBER
                        && ((JsonNumber) value).value().scale() <= 0);
    }

    /** {@link #keeps} for every value of {@code type}: a whole number where an integer is promised aside. */
    private static boolean keepsByType(Field expected, JsonValue.Type type) {
        FieldType want = expected.type();
        return switch (type) {
            case STRING ->
                !expected.enumerated()
                        && (want == FieldType.STRING
                                || want == FieldType.TIMESTAMP
                                || want == FieldType.DATE
                                || want == FieldType.ANY);
            case BOOLEAN -> want == FieldType.BOOLEAN || want == FieldType.ANY;
            case NUMBER -> want == FieldType.NUMBER || want == FieldType.ANY;
            case NULL -> expected.nullable();
            // Only an OBJECT field has properties and only an ARRAY field items; without them the type decides.
            case OBJECT -> want == FieldType.ANY || (want == FieldType.OBJECT && expected.properties() == null);
            case ARRAY -> want == FieldType.ANY || (want == FieldType.ARRAY && expected.items() == null);
        };
    }

    static void checkValue(Field expected, String path, JsonValue value, List<Drift> drifts) {
        if (value.type() == JsonValue.Type.NULL) {
            if (!expected.nullable()) {
                report(drifts, new Drift(path, Drift.Kind.NOW_NULLABLE, expected.shape(), "null"));
            }
            return;
        }
        FieldType want = expected.type();
        // A number where any number will do needs no integer test (it would scale the decimal).
        boolean accepted =
                (value.type() == JsonValue.Type.NUMBER && (want == FieldType.NUMBER || want == FieldType.ANY))
                        || want.accepts(FieldType.of(value));
        if (!accepted) {
            report(
                    drifts,
                    new Drift(
                            path,
                            Drift.Kind.TYPE_CHANGED,
                            expected.shape(),
                            FieldType.of(value).name()));
        } else if (expected.enumerated()
                && value instanceof JsonString text
                && !expected.values().contains(text.value())) {
            report(drifts, new Drift(path, Drift.Kind.UNKNOWN_VALUE, "one of " + expected.values(), text.value()));
        } else if (expected.properties() != null && value instanceof JsonObject object) {
            expected.properties().check(object, path + ".", drifts);
        } else if (expected.items() != null && value instanceof JsonArray array) {
            String elementPath = path + Field.ELEMENT;
            for (JsonValue element : array) {
                checkValue(expected.items(), elementPath, element, drifts);
            }
        }
    }

    /** Adds {@code drift} unless it is there already: a thousand bad elements of one array are one drift. */
    private static void report(List<Drift> drifts, Drift drift) {
        if (drifts.isEmpty() || !drifts.contains(drift)) {
            drifts.add(drift);
        }
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

        /** An object field that is always present and never null, promising {@code properties}. */
        public Builder requiredObject(String name, Schema properties) {
            return add(new Field(name, FieldType.OBJECT, false, true).withProperties(properties));
        }

        /** An object field that may be absent or null, promising {@code properties} when it is an object. */
        public Builder optionalObject(String name, Schema properties) {
            return add(new Field(name, FieldType.OBJECT, true, false).withProperties(properties));
        }

        /**
         * An array field that is always present and never null, each element promising {@code items}
         * (see {@link Field#element}).
         */
        public Builder requiredArray(String name, Field items) {
            return add(new Field(name, FieldType.ARRAY, false, true).withItems(items));
        }

        /** An array field that may be absent or null, each element promising {@code items}. */
        public Builder optionalArray(String name, Field items) {
            return add(new Field(name, FieldType.ARRAY, true, false).withItems(items));
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
