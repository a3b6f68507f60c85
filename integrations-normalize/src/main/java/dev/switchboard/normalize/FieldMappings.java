package dev.switchboard.normalize;

import dev.switchboard.normalize.internal.MappingFiles;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The field mappings of one connection, per stream: custom fields laid over the connector's mapper
 * ({@code Customer_Tier__c} into {@code custom.tier}) and whole-stream mappings for streams no
 * mapper knows (a database table into {@link EntityType#PERSON}). Immutable. Built in code, or
 * loaded from a JSON or YAML file (format in docs/normalize.md).
 */
public final class FieldMappings {
    private static final FieldMappings NONE = new FieldMappings(Map.of());

    private final Map<String, StreamMapping> streams;

    private FieldMappings(Map<String, StreamMapping> streams) {
        this.streams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(streams));
    }

    public static FieldMappings none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads mappings from a {@code .json}, {@code .yaml} or {@code .yml} file.
     *
     * @throws IllegalArgumentException naming the file, the place and what to fix when it is not valid
     */
    public static FieldMappings load(Path file) {
        return MappingFiles.load(file);
    }

    /**
     * Reads mappings from text in the file format.
     *
     * @throws IllegalArgumentException naming the place and what to fix when it is not valid
     */
    public static FieldMappings parse(String text, Format format) {
        return MappingFiles.parse(text, format, "<" + format.name().toLowerCase(java.util.Locale.ROOT) + " text>");
    }

    /** The formats of mapping files: the same structure either way. */
    public enum Format {
        /** {@code .json}. */
        JSON,
        /** {@code .yaml} or {@code .yml}. */
        YAML;

        /** The format of a file, by its extension. */
        public static Format of(Path file) {
            String name = file.getFileName() == null
                    ? ""
                    : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".json")) {
                return JSON;
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return YAML;
            }
            throw new IllegalArgumentException(file + ": a mapping file ends with .json, .yaml or .yml");
        }
    }

    /** The mapping of {@code stream}, if any. */
    public Optional<StreamMapping> stream(String stream) {
        return Optional.ofNullable(streams.get(stream));
    }

    public Collection<StreamMapping> streams() {
        return streams.values();
    }

    /** Equal when every stream maps equally, however the mappings were made (code, JSON or YAML). */
    @Override
    public boolean equals(Object o) {
        return o instanceof FieldMappings m && streams.equals(m.streams);
    }

    @Override
    public int hashCode() {
        return streams.hashCode();
    }

    @Override
    public String toString() {
        return "FieldMappings" + streams.keySet();
    }

    /** Builds {@link FieldMappings}; a stream's fields accumulate in the order added. */
    public static final class Builder {
        private final Map<String, EntityType> entities = new LinkedHashMap<>();
        private final Map<String, List<FieldMapping>> fields = new LinkedHashMap<>();

        private Builder() {}

        /** Maps every record of {@code stream} into {@code type} by these mappings alone. */
        public Builder entity(String stream, EntityType type) {
            entities.put(stream, type);
            fields.computeIfAbsent(stream, s -> new java.util.ArrayList<>());
            return this;
        }

        /** Adds a field mapping to {@code stream}. */
        public Builder field(String stream, FieldMapping mapping) {
            fields.computeIfAbsent(stream, s -> new java.util.ArrayList<>()).add(mapping);
            return this;
        }

        /** Adds every stream of {@code mapping}. */
        public Builder add(StreamMapping mapping) {
            if (mapping.entity() != null) {
                entity(mapping.stream(), mapping.entity());
            }
            mapping.fields().forEach(f -> field(mapping.stream(), f));
            return this;
        }

        /** @throws IllegalArgumentException when a whole-stream mapping names a field its type lacks */
        public FieldMappings build() {
            Map<String, StreamMapping> streams = new LinkedHashMap<>();
            fields.forEach(
                    (stream, list) -> streams.put(stream, new StreamMapping(stream, entities.get(stream), list)));
            return new FieldMappings(streams);
        }
    }
}
