package dev.switchboard.core.model;

import dev.switchboard.core.json.JsonValue;

/** The type a stream promises for a field. */
public enum FieldType {
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    TIMESTAMP,
    DATE,
    OBJECT,
    ARRAY,
    /** Any JSON value: the contract promises presence only. */
    ANY;

    /**
     * Whether a value observed as {@code observed} keeps this promise. Timestamps and dates arrive
     * as JSON strings; an integer is a number.
     */
    public boolean accepts(FieldType observed) {
        if (this == ANY || this == observed) {
            return true;
        }
        return switch (this) {
            case NUMBER -> observed == INTEGER;
            case TIMESTAMP, DATE -> observed == STRING;
            case STRING -> observed == TIMESTAMP || observed == DATE;
            default -> false;
        };
    }

    /** The type a JSON value shows by itself (strings are {@link #STRING}; JSON null has no type). */
    public static FieldType of(JsonValue value) {
        return switch (value.type()) {
            case OBJECT -> OBJECT;
            case ARRAY -> ARRAY;
            case STRING -> STRING;
            case NUMBER -> isIntegral(((dev.switchboard.core.json.JsonNumber) value).value()) ? INTEGER : NUMBER;
            case BOOLEAN -> BOOLEAN;
            case NULL -> ANY;
        };
    }

    /** Whole numbers: most arrive with scale 0, which needs no stripped copy to tell (1.0 and 1E+2 do). */
    private static boolean isIntegral(java.math.BigDecimal n) {
        return n.scale() <= 0 || n.stripTrailingZeros().scale() <= 0;
    }
}
