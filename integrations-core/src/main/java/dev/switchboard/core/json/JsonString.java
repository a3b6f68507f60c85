package dev.switchboard.core.json;

import java.util.Objects;

/** A JSON string. */
public record JsonString(String value) implements JsonValue {
    public JsonString {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public Type type() {
        return Type.STRING;
    }

    @Override
    public String toString() {
        return toJson();
    }
}
