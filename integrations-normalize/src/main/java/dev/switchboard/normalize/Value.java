package dev.switchboard.normalize;

import java.util.Objects;

/**
 * A typed value and where it came from.
 *
 * @param value the value, never null (an absent value is an absent {@code Value})
 * @param provenance its source record and field
 * @param <T> its type
 */
public record Value<T>(T value, Provenance provenance) {
    public Value {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(provenance, "provenance");
    }

    /** Names the value's source; the value itself may be personal and is left out. */
    @Override
    public String toString() {
        return "Value[from " + provenance + "]";
    }
}
