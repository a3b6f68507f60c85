package dev.switchboard.core.model;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonFormatException;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The contract file form of a {@link Schema}; see {@link Schema#toJson()} for the format. */
final class SchemaJson {
    private static final List<String> TOP_KEYS = List.of("fields", "description");
    private static final List<String> FIELD_KEYS =
            List.of("name", "type", "nullable", "required", "values", "fields", "items");
    private static final List<String> ITEMS_KEYS = List.of("type", "nullable", "values", "fields", "items");
    private static final String TYPES =
            Arrays.stream(FieldType.values()).map(Enum::name).toList().toString();

    private SchemaJson() {}

    static JsonObject toJson(Schema schema) {
        return JsonObject.builder().put("fields", fields(schema)).build();
    }

    private static JsonArray fields(Schema schema) {
        JsonArray.Builder fields = JsonArray.builder();
        schema.fields().forEach(f -> fields.add(field(f)));
        return fields.build();
    }

    private static JsonObject field(Schema.Field f) {
        JsonObject.Builder b = JsonObject.builder()
                .put("name", f.name())
                .put("type", f.type().name())
                .put("nullable", f.nullable())
                .put("required", f.required());
        return nested(f, b);
    }

    /** An array element: its name and presence carry nothing. */
    private static JsonObject items(Schema.Field f) {
        return nested(f, JsonObject.builder().put("type", f.type().name()).put("nullable", f.nullable()));
    }

    private static JsonObject nested(Schema.Field f, JsonObject.Builder b) {
        if (f.enumerated()) {
            b.put("values", Json.strings(List.copyOf(f.values())));
        }
        if (f.properties() != null) {
            b.put("fields", fields(f.properties()));
        }
        if (f.items() != null) {
            b.put("items", items(f.items()));
        }
        return b.build();
    }

    /** One field per line, so a committed contract diffs field by field. */
    static String toText(Schema schema) {
        StringBuilder text = new StringBuilder("{\"fields\": [");
        List<Schema.Field> fields = schema.fields();
        for (int i = 0; i < fields.size(); i++) {
            text.append(i == 0 ? "\n  " : ",\n  ").append(Json.write(field(fields.get(i))));
        }
        return text.append(fields.isEmpty() ? "]}\n" : "\n]}\n").toString();
    }

    static Schema fromJson(JsonObject json, String source) {
        unknownKeys(json, TOP_KEYS, source + ": the top level");
        if (!(json.get("fields") instanceof JsonArray fields)) {
            throw new IllegalArgumentException(
                    source + ": needs a top-level \"fields\" array of {\"name\", \"type\", \"nullable\","
                            + " \"required\", \"values\"} objects");
        }
        return fields(fields, source + ": ");
    }

    /** The fields of a {@code fields} array, each named in errors as {@code where + "fields[i] ('name')"}. */
    private static Schema fields(JsonArray fields, String where) {
        Schema.Builder schema = Schema.builder();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String at = where + "fields[" + i + "]";
            if (!(fields.get(i) instanceof JsonObject field)) {
                throw new IllegalArgumentException(at + " is " + fields.get(i).type() + "; each field is an object with"
                        + " \"name\" and \"type\"");
            }
            if (!(field.get("name") instanceof JsonString name)) {
                throw new IllegalArgumentException(at + " needs a \"name\" string");
            }
            at += " ('" + name.value() + "')";
            unknownKeys(field, FIELD_KEYS, at);
            if (!names.add(name.value())) {
                throw new IllegalArgumentException(at + " is declared twice; keep one declaration of the field");
            }
            schema.add(field(
                    field, name.value(), flag(field, "nullable", true, at), flag(field, "required", false, at), at));
        }
        return schema.build();
    }

    private static Schema.Field field(JsonObject field, String name, boolean nullable, boolean required, String at) {
        FieldType type = type(field.get("type"), at);
        Schema properties = null;
        JsonValue nested = field.get("fields");
        if (nested != null) {
            if (type != FieldType.OBJECT) {
                throw new IllegalArgumentException(at + ": \"fields\" is for an OBJECT field only, and this one is "
                        + type + "; drop \"fields\" or make the type OBJECT");
            }
            if (!(nested instanceof JsonArray array)) {
                throw new IllegalArgumentException(
                        at + ": \"fields\" must be an array of field objects, like the top level's");
            }
            properties = fields(array, at + ": ");
        }
        Schema.Field items = null;
        JsonValue element = field.get("items");
        if (element != null) {
            if (type != FieldType.ARRAY) {
                throw new IllegalArgumentException(at + ": \"items\" is for an ARRAY field only, and this one is "
                        + type + "; drop \"items\" or make the type ARRAY");
            }
            String itemsAt = at + ": items";
            if (!(element instanceof JsonObject object)) {
                throw new IllegalArgumentException(
                        itemsAt + " must be an object with the elements' \"type\" (and \"nullable\", \"values\","
                                + " \"fields\", \"items\" as they apply)");
            }
            unknownKeys(object, ITEMS_KEYS, itemsAt);
            items = field(object, Schema.Field.ELEMENT, flag(object, "nullable", true, itemsAt), true, itemsAt);
        }
        return new Schema.Field(name, type, nullable, required, values(field.get("values"), at), properties, items);
    }

    private static void unknownKeys(JsonObject object, List<String> known, String where) {
        for (String key : object.names()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(
                        where + " has the unknown key \"" + key + "\"; the keys are " + known);
            }
        }
    }

    private static FieldType type(@Nullable JsonValue value, String where) {
        if (!(value instanceof JsonString text)) {
            throw new IllegalArgumentException(where + " needs a \"type\" string, one of " + TYPES);
        }
        try {
            return FieldType.valueOf(text.value().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    where + ": \"type\" '" + text.value() + "' is not a type; use one of " + TYPES);
        }
    }

    private static boolean flag(JsonObject field, String key, boolean absent, String where) {
        JsonValue value = field.get(key);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof JsonBoolean b)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be true or false, not " + value.type()
                    + " (absent means " + absent + ")");
        }
        return b.value();
    }

    private static Set<String> values(@Nullable JsonValue value, String where) {
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException(
                    where + ": \"values\" must be an array of the strings the field may take");
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonValue v : array) {
            if (!(v instanceof JsonString s)) {
                throw new IllegalArgumentException(where
                        + ": \"values\" must hold strings only (the source's own spelling)," + " found " + v.type());
            }
            values.add(s.value());
        }
        return values;
    }

    static Schema load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    file + ": cannot read the contract file (" + e.getClass().getSimpleName()
                            + "); check the path and its permissions",
                    e);
        }
        JsonValue json;
        try {
            json = Json.parse(bytes);
        } catch (JsonFormatException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(json instanceof JsonObject object)) {
            throw new IllegalArgumentException(file + ": is a JSON " + json.type()
                    + "; a contract file is an object with a" + " \"fields\" array");
        }
        return fromJson(object, file.toString());
    }

    static void write(Schema schema, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toText(schema), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot write the contract file", e);
        }
    }
}
