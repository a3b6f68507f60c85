package dev.switchboard.normalize;

import java.util.List;
import java.util.Objects;

/**
 * Sources of one {@link LinkedEntity} that disagree on a field. The merged view shows the first
 * value by precedence; the others are listed here, never hidden.
 *
 * @param field the field: a standard field's name ({@code name}) or {@code custom.<name>}
 * @param values every member's value of the field, in precedence order (the first is the merged
 *     one), each with its provenance
 */
public record Conflict(String field, List<Value<?>> values) {
    public Conflict {
        Objects.requireNonNull(field, "field");
        values = List.copyOf(values);
    }

    /** The value the merged view shows. */
    public Value<?> chosen() {
        return values.get(0);
    }

    @Override
    public String toString() {
        return "Conflict[" + field + ": " + values + "]";
    }
}
