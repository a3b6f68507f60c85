package dev.switchboard.core.json;

/** The JSON {@code null}. */
public enum JsonNull implements JsonValue {
    INSTANCE;

    @Override
    public Type type() {
        return Type.NULL;
    }

    @Override
    public String toString() {
        return "null";
    }
}
