package dev.switchboard.core.json;

import java.math.BigDecimal;
import java.util.Objects;

/** A JSON number, kept exactly as a {@link BigDecimal} so that no digit is lost. */
public record JsonNumber(BigDecimal value) implements JsonValue {
    public JsonNumber {
        Objects.requireNonNull(value, "value");
    }

    public static JsonNumber of(long value) {
        return new JsonNumber(BigDecimal.valueOf(value));
    }

    public static JsonNumber of(double value) {
        return new JsonNumber(BigDecimal.valueOf(value));
    }

    @Override
    public Type type() {
        return Type.NUMBER;
    }

    /** Equal when numerically equal: {@code 1.0} equals {@code 1}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof JsonNumber other && value.compareTo(other.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
