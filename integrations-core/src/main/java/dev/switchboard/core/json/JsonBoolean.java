package dev.switchboard.core.json;

/** A JSON boolean. */
public enum JsonBoolean implements JsonValue {
    TRUE,
    FALSE;

    public static JsonBoolean of(boolean value) {
        return value ? TRUE : FALSE;
    }

    public boolean value() {
        return this == TRUE;
    }

    @Override
    public Type type() {
        return Type.BOOLEAN;
    }

    @Override
    public String toString() {
        return value() ? "true" : "false";
    }
}
