package dev.switchboard.normalize.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.FieldMapping;
import dev.switchboard.normalize.FieldMappings;
import dev.switchboard.normalize.StreamMapping;
import dev.switchboard.normalize.ValueKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link FieldMappings} from JSON and YAML files (format in docs/normalize.md). Jackson stays
 * here: the API sees only the mappings. Every error names the file, the stream, the entry and what
 * to fix.
 */
public final class MappingFiles {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private static final List<String> TOP_KEYS = List.of("streams");
    private static final List<String> STREAM_KEYS = List.of("entity", "fields");
    private static final List<String> FIELD_KEYS =
            List.of("from", "to", "type", "codes", "currency", "currencyFrom", "object", "system");

    private MappingFiles() {}

    /** Reads a {@code .json}, {@code .yaml} or {@code .yml} file. */
    public static FieldMappings load(Path file) {
        FieldMappings.Format format = FieldMappings.Format.of(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    file + ": cannot read the mapping file (" + e.getClass().getSimpleName()
                            + "); check the path and its permissions",
                    e);
        }
        return parse(text, format, file.toString());
    }

    /** Reads mappings from {@code text}; {@code source} names it in errors. */
    public static FieldMappings parse(String text, FieldMappings.Format format, String source) {
        JsonNode root;
        try {
            root = (format == FieldMappings.Format.JSON ? JSON : YAML).readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(
                    source + ": not valid " + format + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException(source + ": empty; a mapping file has a top-level 'streams' object");
        }
        object(root, source + ": the top level", TOP_KEYS);
        JsonNode streams = root.get("streams");
        if (streams == null || !streams.isObject()) {
            throw new IllegalArgumentException(
                    source + ": needs a top-level 'streams' object mapping stream names to" + " { entity, fields }");
        }
        FieldMappings.Builder mappings = FieldMappings.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = streams.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            mappings.add(stream(source, e.getKey(), e.getValue()));
        }
        return mappings.build();
    }

    private static StreamMapping stream(String source, String name, JsonNode node) {
        String where = source + ": stream '" + name + "'";
        object(node, where, STREAM_KEYS);
        EntityType entity = null;
        String entityName = text(node, "entity", where);
        if (entityName != null) {
            try {
                entity = EntityType.parse(entityName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ", entity: " + e.getMessage(), e);
            }
        }
        JsonNode fields = node.get("fields");
        if (fields != null && !fields.isArray()) {
            throw new IllegalArgumentException(where + ": 'fields' is a list of { from, to, ... } entries");
        }
        List<FieldMapping> list = new java.util.ArrayList<>();
        if (fields != null) {
            for (int i = 0; i < fields.size(); i++) {
                list.add(field(where + ", fields[" + i + "]", fields.get(i)));
            }
        }
        if (entity == null && list.isEmpty()) {
            throw new IllegalArgumentException(
                    where + ": maps nothing; give it fields, or an entity type to map it by");
        }
        try {
            return new StreamMapping(name, entity, list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static FieldMapping field(String where, JsonNode node) {
        object(node, where, FIELD_KEYS);
        String from = text(node, "from", where);
        String to = text(node, "to", where);
        if (from == null || to == null) {
            throw new IllegalArgumentException(where + ": needs 'from' (the source field) and 'to' (a standard field,"
                    + " custom.<name> or externalId)");
        }
        where = where + " (from '" + from + "')";
        ValueKind kind = null;
        String type = text(node, "type", where);
        if (type != null) {
            try {
                kind = ValueKind.parse(type);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        where + ", type: unknown type '" + type + "'; use one of "
                                + java.util.Arrays.stream(ValueKind.values())
                                        .map(k -> k.name().toLowerCase(Locale.ROOT))
                                        .toList(),
                        e);
            }
        }
        Currency currency = null;
        String currencyCode = text(node, "currency", where);
        if (currencyCode != null) {
            try {
                currency = Currency.getInstance(currencyCode.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        where + ", currency: '" + currencyCode + "' is not an ISO 4217 code" + " (such as USD or EUR)",
                        e);
            }
        }
        String system = text(node, "system", where);
        if (to.equals(FieldMapping.EXTERNAL_ID) && system == null) {
            throw new IllegalArgumentException(
                    where + ": an externalId needs 'system', the system the id belongs to" + " (such as salesforce)");
        }
        try {
            return new FieldMapping(
                    from,
                    to,
                    kind,
                    codes(node, where),
                    text(node, "currencyFrom", where),
                    currency,
                    text(node, "object", where),
                    system);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> codes(JsonNode node, String where) {
        JsonNode codes = node.get("codes");
        if (codes == null || codes.isNull()) {
            return Map.of();
        }
        if (!codes.isObject()) {
            throw new IllegalArgumentException(
                    where + ", codes: an object of source value to code, e.g. { Gold: GOLD }");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = codes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException(
                        where + ", codes: the code of '" + e.getKey() + "' is a single value");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static void object(JsonNode node, String where, List<String> keys) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object with " + keys + ", found "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'; use " + keys);
            }
        }
    }

    private static @Nullable String text(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ", " + key + ": expected a non-empty text value");
        }
        return v.asText().trim();
    }
}
