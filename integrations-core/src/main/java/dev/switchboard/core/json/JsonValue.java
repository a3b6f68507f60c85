package dev.switchboard.core.json;

/**
 * An immutable JSON value. Core owns this small model so that records never expose a mutable
 * Jackson node: every value handed to an agent is safe to share between threads and cannot be
 * changed behind the back of the code that checked it.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

    /** The JSON type of this value. */
    Type type();

    /** This value as compact JSON text. */
    default String toJson() {
        return Json.write(this);
    }

    /** JSON types, as JSON Schema names them. */
    enum Type {
        OBJECT,
        ARRAY,
        STRING,
        NUMBER,
        BOOLEAN,
        NULL
    }
}
