package dev.switchboard.core.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One difference between a stream's pinned contract and what the source now shows.
 *
 * @param field the field name
 * @param kind what changed
 * @param expected the contract's shape of the field, or null for an added field
 * @param observed the observed shape, or null for a removed field
 */
public record Drift(
        String field,
        Kind kind,
        @Nullable String expected,
        @Nullable String observed) {
    public Drift {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(kind, "kind");
    }

    /** Whether this difference can change the meaning of data read under the contract. */
    public boolean breaking() {
        return kind.breaking;
    }

    /** The kinds of drift, each additive or breaking. */
    public enum Kind {
        /** A field the contract does not know. Reported; nothing read under the contract changes. */
        ADDED(false),
        /** A field the contract promises is gone. */
        REMOVED(true),
        /** A field now carries values of another type. */
        TYPE_CHANGED(true),
        /** A field promised non-null may now be null. */
        NOW_NULLABLE(true),
        /** A record lacks a field the contract says every record has. */
        MISSING(true),
        /**
         * An enumerated field carries a value the contract never listed (a new picklist value or
         * pipeline stage): its meaning is unknown, so it is breaking.
         */
        UNKNOWN_VALUE(true);

        private final boolean breaking;

        Kind(boolean breaking) {
            this.breaking = breaking;
        }
    }

    @Override
    public String toString() {
        return kind + " " + field + (expected == null ? "" : " expected " + expected)
                + (observed == null ? "" : " observed " + observed);
    }
}
