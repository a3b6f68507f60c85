package dev.switchboard.normalize;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns records into entities of the unified model. For each record: the connection's whole-stream
 * mapping if it has one, else the connector's {@link EntityMapper}, else a {@link GenericEntity};
 * then the connection's field mappings for the stream laid over it. A mapping that reads a standard
 * field from a source field settles the mapper's issues about that source field: a single-currency
 * org's {@code Amount} mapped with a fixed currency yields the money and leaves no "no currency"
 * issue. Immutable and thread-safe.
 *
 * <p>What is guaranteed: normalizing never changes or drops the source record (it is
 * {@link Entity#raw()}); a source value that cannot be read as its field's type is left out and
 * listed in {@link Entity#issues()}, never coerced; in {@linkplain Builder#strict(boolean) strict}
 * mode such a record fails with {@link SchemaDriftException} instead. Nothing else is thrown for any
 * record data: a mapper that throws is reported as {@link PermanentException}.
 */
public final class Normalizer {
    private final Map<String, List<EntityMapper>> mappers;
    private final Map<String, FieldMappings> mappings;
    private final boolean strict;

    private Normalizer(Builder b) {
        Map<String, List<EntityMapper>> byConnector = new HashMap<>();
        for (EntityMapper m : b.mappers) {
            byConnector.computeIfAbsent(m.connector(), c -> new ArrayList<>()).add(m);
        }
        byConnector.replaceAll((c, list) -> List.copyOf(list));
        this.mappers = Map.copyOf(byConnector);
        this.mappings = Map.copyOf(b.mappings);
        this.strict = b.strict;
    }

    /** A normalizer with the mappers found by {@link ServiceLoader} and no field mappings. */
    public static Normalizer standard() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The entity of one record.
     *
     * @throws SchemaDriftException in strict mode, when a value could not be read as its field's type
     * @throws PermanentException when a mapper fails (a bug in the mapper, reported, not hidden)
     */
    public Entity normalize(Record record) {
        return normalize(record, null);
    }

    /**
     * The entity of one record read under {@code contract} (the stream's pinned contract, as
     * {@link Connection#contract(String)} gives it): a record no mapper claims becomes a
     * {@link GenericEntity} whose values are typed by the contract (a {@code TIMESTAMP} field as a UTC
     * instant, a {@code DATE} as a date, an {@code INTEGER} as a long) rather than by their JSON type
     * alone. Mapped records are unaffected.
     *
     * @throws SchemaDriftException in strict mode, when a value could not be read as its field's type
     * @throws PermanentException when a mapper fails
     */
    public Entity normalize(Record record, @Nullable Schema contract) {
        SourceFields in = new SourceFields(record);
        String connection = record.source().connection();
        StreamMapping stream = mappings.isEmpty()
                ? null
                : mappings.getOrDefault(connection, FieldMappings.none()).stream(record.stream())
                        .orElse(null);
        Entity.Builder entity;
        List<Drift> issues;
        try {
            if (stream != null && stream.entity() != null) {
                entity = in.entity(stream.entity());
            } else {
                EntityMapper mapper = mapperFor(record);
                entity = mapper == null ? generic(in, contract) : mapper.map(in);
            }
            issues = in.issues();
            if (stream != null) {
                Set<String> readByMappings = new HashSet<>();
                for (FieldMapping f : stream.fields()) {
                    if (apply(f, in, entity)) {
                        readByMappings.add(f.source());
                    }
                }
                issues = settled(issues, in.issues(), readByMappings);
            }
        } catch (RuntimeException e) {
            throw new PermanentException(
                    record.source().connector(),
                    "normalize " + record.stream(),
                    "mapping " + record + " failed: " + e.getClass().getName()
                            + "; the record is unchanged in the source",
                    e);
        }
        if (strict && !issues.isEmpty()) {
            throw new SchemaDriftException(
                    record.source().connector(),
                    "normalize " + record.stream(),
                    record + " has values that do not read as their fields' types: " + issues,
                    issues);
        }
        return entity.issues(issues).build();
    }

    /** The entities of {@code records}, in order. */
    public List<Entity> normalizeAll(Collection<Record> records) {
        List<Entity> out = new ArrayList<>(records.size());
        for (Record r : records) {
            out.add(normalize(r));
        }
        return out;
    }

    /**
     * Reads a stream through {@code connection} (governed as {@link Connection#read} is) and
     * normalizes each record as it is read.
     */
    public EntityStream read(Connection connection, AgentContext context, ReadRequest request) {
        return new EntityStream(connection.read(context, request), this, connection.contract(request.stream()));
    }

    private @Nullable EntityMapper mapperFor(Record record) {
        for (EntityMapper m : mappers.getOrDefault(record.source().connector(), List.of())) {
            if (m.maps(record.stream())) {
                return m;
            }
        }
        return null;
    }

    private static Entity.Builder generic(SourceFields in, @Nullable Schema contract) {
        Entity.Builder b = in.entity(EntityType.GENERIC);
        for (Map.Entry<String, JsonValue> e : in.record().data().fields().entrySet()) {
            JsonValue v = e.getValue();
            String name = e.getKey();
            FieldType declared = contract == null
                    ? null
                    : contract.field(name).map(Schema.Field::type).orElse(null);
            if (declared == FieldType.TIMESTAMP) {
                b.custom(name, in.timestamp(name));
            } else if (declared == FieldType.DATE) {
                b.custom(name, in.date(name));
            } else if (declared == FieldType.INTEGER) {
                b.custom(name, in.integer(name));
            } else if (v instanceof JsonString) {
                b.custom(name, in.text(name));
            } else if (v instanceof JsonNumber) {
                b.custom(name, in.number(name));
            } else if (v instanceof JsonBoolean) {
                b.custom(name, in.bool(name));
            } else if (v.type() != JsonValue.Type.NULL) {
                b.custom(name, in.json(name));
            }
        }
        return b;
    }

    /**
     * The issues left once the connection's mappings ran: the mapper's, except those about a source
     * field a mapping then read into a standard field (the value the mapper could not make, such as an
     * amount without a currency, was made by the mapping: nothing is missing any more), then the
     * mappings' own.
     */
    private static List<Drift> settled(List<Drift> fromMapper, List<Drift> all, Set<String> readByMappings) {
        if (readByMappings.isEmpty() || fromMapper.isEmpty()) {
            return all;
        }
        List<Drift> kept = new ArrayList<>(all.size());
        for (Drift d : fromMapper) {
            if (!readByMappings.contains(d.field())) {
                kept.add(d);
            }
        }
        kept.addAll(all.subList(fromMapper.size(), all.size()));
        return kept;
    }

    /** Applies one mapping; true when it set a standard field from its source. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean apply(FieldMapping f, SourceFields in, Entity.Builder entity) {
        if (f.isExternalId()) {
            entity.externalId(in.externalId(f.source(), Objects.requireNonNull(f.system())));
            return false;
        }
        if (f.isCustom()) {
            ValueKind kind = f.kind() == null ? ValueKind.TEXT : f.kind();
            if (kind == ValueKind.CODED) {
                entity.custom(
                        f.customName(),
                        in.text(f.source()).map(v -> new Value<>(code(f.codes(), v.value()), v.provenance())));
            } else {
                entity.custom(
                        f.customName(),
                        in.read(
                                f.source(),
                                kind,
                                null,
                                Map.of(),
                                null,
                                f.refObject(),
                                f.currencySource(),
                                f.currency()));
            }
            return false;
        }
        Optional<Field<?>> target = entity.type().field(f.target());
        if (target.isEmpty()) {
            entity.issue(new Drift(f.target(), Drift.Kind.MISSING, "a field of " + entity.type(), "no such field"));
            return false;
        }
        Field field = target.get();
        ValueKind kind = f.kind() == null ? field.kind() : f.kind();
        Optional<? extends Value<?>> value = in.read(
                f.source(),
                kind,
                field.codes(),
                constants(field, f.codes()),
                field.refersTo(),
                f.refObject(),
                f.currencySource(),
                f.currency());
        if (value.isPresent() && !field.valueClass().isInstance(value.get().value())) {
            entity.issue(
                    new Drift(f.source(), Drift.Kind.TYPE_CHANGED, field.kind().name(), kind.name()));
            return false;
        }
        entity.set(field, (Optional) value);
        return value.isPresent();
    }

    /** A configured code table, unknown values {@link Code#OTHER}; matched ignoring case and space. */
    private static Code code(Map<String, String> table, String raw) {
        String code = table.get(raw);
        if (code == null) {
            String key = raw.trim().toLowerCase(Locale.ROOT);
            for (Map.Entry<String, String> e : table.entrySet()) {
                if (e.getKey().trim().toLowerCase(Locale.ROOT).equals(key)) {
                    code = e.getValue();
                    break;
                }
            }
        }
        return new Code(code == null ? Code.OTHER : code, raw);
    }

    /** A standard coded field's table, with the configured codes checked against its enumeration. */
    private static Map<String, String> constants(Field<?> field, Map<String, String> codes) {
        Class<? extends Enum<?>> type = field.codes();
        if (type == null) {
            return codes;
        }
        Map<String, String> checked = new LinkedHashMap<>();
        codes.forEach((source, constant) -> {
            String name = constant.trim().toUpperCase(Locale.ROOT);
            for (Enum<?> c : type.getEnumConstants()) {
                if (c.name().equals(name)) {
                    checked.put(source, name);
                }
            }
        });
        return checked;
    }

    /** Builds a {@link Normalizer}. */
    public static final class Builder {
        private final List<EntityMapper> mappers = new ArrayList<>();
        private final Map<String, FieldMappings> mappings = new LinkedHashMap<>();
        private boolean strict;
        private boolean serviceLoader = true;

        private Builder() {}

        /** Adds a mapper; it is asked before those found by {@link ServiceLoader}. */
        public Builder mapper(EntityMapper mapper) {
            mappers.add(Objects.requireNonNull(mapper, "mapper"));
            return this;
        }

        /** Whether to add the mappers found by {@link ServiceLoader} (the default). */
        public Builder serviceLoader(boolean enabled) {
            this.serviceLoader = enabled;
            return this;
        }

        /** The field mappings of one connection; replaces earlier ones for it. */
        public Builder fieldMappings(String connectionId, FieldMappings fieldMappings) {
            mappings.put(Objects.requireNonNull(connectionId, "connectionId"), Objects.requireNonNull(fieldMappings));
            return this;
        }

        /**
         * The field mappings of one connection, read from a {@code .json}, {@code .yaml} or {@code .yml}
         * file (see {@link FieldMappings#load}); replaces earlier ones for it.
         *
         * @throws IllegalArgumentException naming the file, the place and what to fix when it is not valid
         */
        public Builder fieldMappings(String connectionId, java.nio.file.Path file) {
            return fieldMappings(connectionId, FieldMappings.load(file));
        }

        /** Whether a value that does not read as its field's type fails the record (default: listed in issues). */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        public Normalizer build() {
            if (serviceLoader) {
                ServiceLoader.load(EntityMapper.class, Normalizer.class.getClassLoader())
                        .forEach(mappers::add);
            }
            return new Normalizer(this);
        }
    }
}
