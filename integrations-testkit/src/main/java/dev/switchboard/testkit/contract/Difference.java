package dev.switchboard.testkit.contract;

import dev.switchboard.core.model.Drift;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One way a stream departs from its pinned contract, as the harness saw it.
 *
 * @param field the field
 * @param kind what changed; {@link Drift.Kind} says whether it is breaking
 * @param expected the contract's shape of the field ({@code STRING?} is a nullable string; {@code one
 *     of [...]} an enumerated one), or null when the contract lacks the field
 * @param observed what was seen: the types (or, for an unknown enumeration value, the values) in the
 *     order first seen, joined by {@code " | "}; {@code null} for a JSON null; null when the field was
 *     absent
 * @param seen where the difference showed
 * @param records how many records showed it, the one that stopped the read included (0 for metadata)
 * @param recordIds the first few of those records' ids
 */
public record Difference(
        String field,
        Drift.Kind kind,
        @Nullable String expected,
        @Nullable String observed,
        Seen seen,
        int records,
        List<String> recordIds) {
    public Difference {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(seen, "seen");
        recordIds = List.copyOf(recordIds);
    }

    /** Whether this difference can change the meaning of data read under the contract. */
    public boolean breaking() {
        // Drift says which kinds break; Drift.Kind keeps it private.
        return new Drift(field, kind, expected, observed).breaking();
    }

    /** Where a difference showed. */
    public enum Seen {
        /**
         * In records read from the stream, each checked against the contract; or in the record on which
         * core's read loop stopped the read (a broken primary key or cursor), named by its id.
         */
        RECORDS,
        /** In the source's metadata (Salesforce describe, HubSpot properties) diffed against the contract. */
        METADATA,
        /**
         * Named by the read's schema-drift error and neither in a record nor in the harness's metadata
         * diff: the connector stopped the read itself (Salesforce's {@code INVALID_FIELD}).
         */
        CONNECTOR;

        /** The lower-case name used in text and JSON output. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
