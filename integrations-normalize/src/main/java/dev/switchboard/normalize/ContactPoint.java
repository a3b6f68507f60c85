package dev.switchboard.normalize;

import java.util.Objects;
import java.util.Optional;

/**
 * One way to reach a person or organization (an {@link Email}, {@link Phone} or {@link Address}),
 * with what it is for and the source field it came from. Several of them make an entity's
 * {@code emails}, {@code phones} or {@code addresses}.
 *
 * @param value the email, phone or address
 * @param kind what it is for
 * @param provenance the source record and field it was read from
 * @param <T> {@link Email}, {@link Phone} or {@link Address}
 */
public record ContactPoint<T>(T value, ContactKind kind, Provenance provenance) {
    public ContactPoint {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(provenance, "provenance");
    }

    /** The point for a value read by {@link SourceFields}, when it was present and readable. */
    public static <T> Optional<ContactPoint<T>> of(Optional<Value<T>> value, ContactKind kind) {
        return value.isEmpty()
                ? Optional.empty()
                : Optional.of(new ContactPoint<>(
                        value.get().value(), kind, value.get().provenance()));
    }

    /** Names the kind and source; the value is personal and left out. */
    @Override
    public String toString() {
        return "ContactPoint[" + kind + " from " + provenance + "]";
    }
}
