package dev.switchboard.core.model;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/** A {@link Schema} as a JSON Schema 2020-12 document; see {@link Schema#toJsonSchema()}. */
final class JsonSchemaForm {
    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private JsonSchemaForm() {}

    static JsonObject render(Schema schema) {
        JsonObject.Builder b = JsonObject.builder().put("$schema", DIALECT).put("type", "object");
        object(schema, b);
        return b.build();
    }

    /** {@code properties} and {@code required}; additionalProperties stays open, as sources add fields. */
    private static void object(Schema schema, JsonObject.Builder b) {
        JsonObject.Builder properties = JsonObject.builder();
        List<String> required = new ArrayList<>();
        for (Schema.Field f : schema.fields()) {
            properties.put(f.name(), field(f));
            if (f.required()) {
                required.add(f.name());
            }
        }
        b.put("properties", properties.build()).put("required", Json.strings(required));
    }

    private static JsonObject field(Schema.Field f) {
        JsonObject.Builder b = JsonObject.builder();
        String type = switch (f.type()) {
            case STRING, TIMESTAMP, DATE -> "string";
            case INTEGER -> "integer";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case OBJECT -> "object";
            case ARRAY -> "array";
            case ANY -> null;
        };
        if (type == null) {
            // check() lets any value through except null where the field is not nullable.
            if (!f.nullable()) {
                b.put("not", JsonObject.builder().put("type", "null").build());
            }
        } else if (f.nullable()) {
            b.put("type", JsonArray.of(new JsonString(type), new JsonString("null")));
        } else {
            b.put("type", type);
        }
        if (f.type() == FieldType.TIMESTAMP) {
            b.put("format", "date-time");
        } else if (f.type() == FieldType.DATE) {
            b.put("format", "date");
        }
        if (f.enumerated()) {
            if (type == null) {
                // An enumerated ANY field restricts its string values only, as check() does.
                b.put("if", JsonObject.builder().put("type", "string").build())
                        .put(
                                "then",
                                JsonObject.builder()
                                        .put("enum", enumeration(f, false))
                                        .build());
            } else if (type.equals("string")) {
                b.put("enum", enumeration(f, f.nullable()));
            }
            // Any other type takes no string, so the listed values can never occur.
        }
        if (f.properties() != null) {
            object(f.properties(), b);
        }
        if (f.items() != null) {
            b.put("items", field(f.items()));
        }
        return b.build();
    }

    private static JsonArray enumeration(Schema.Field f, boolean withNull) {
        List<JsonValue> values = new ArrayList<>();
        f.values().forEach(v -> values.add(new JsonString(v)));
        if (withNull) {
            values.add(JsonNull.INSTANCE);
        }
        return JsonArray.of(values);
    }
}
