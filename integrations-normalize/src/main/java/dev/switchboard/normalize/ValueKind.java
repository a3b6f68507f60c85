package dev.switchboard.normalize;

import java.util.List;
import java.util.Locale;

/** How a source value is read into a field: the type the field holds. */
public enum ValueKind {
    /** {@link String}. */
    TEXT,
    /** {@link Email}, lower-cased. */
    EMAIL,
    /** {@link Phone}. */
    PHONE,
    /** {@link Money}: an amount and its currency. */
    MONEY,
    /** {@link java.time.Instant}, in UTC: ISO-8601 with any offset (also {@code +0000}), or epoch seconds / milliseconds. */
    TIMESTAMP,
    /** {@link java.time.LocalDate}. */
    DATE,
    /** {@link java.math.BigDecimal}. */
    NUMBER,
    /** {@link Long}. */
    INTEGER,
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link Coded}: an enumeration with an {@code OTHER} escape, the source's own value kept. */
    CODED,
    /** {@link EntityRef}: the id of another record. */
    REF,
    /** {@link dev.switchboard.core.json.JsonValue}, as the source sent it. */
    JSON,
    /**
     * {@link Stage}: read from one source field by configuration as the stage's id, its
     * {@link StageKind} from the mapping's {@code codes} ({@code Closed Won: WON}), else {@code OTHER};
     * connector mappers also set its label, pipeline and kind from the record.
     */
    STAGE,
    /**
     * A value a connector's mapper builds from several source fields, or a list: {@link Stage}, a
     * list of {@link ContactPoint}s, {@link Attachment}s, tags or references. Configuration cannot
     * read one source field into it; map such a source field into {@code custom.<name>} instead.
     */
    STRUCTURED;

    /** Parses a kind name case-insensitively ({@code email}, {@code MONEY}). */
    public static ValueKind parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown value type '" + name + "'; use one of " + List.of(values()), e);
        }
    }
}
