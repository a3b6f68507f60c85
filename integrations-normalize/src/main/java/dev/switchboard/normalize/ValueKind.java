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
    JSON;

    /** Parses a kind name case-insensitively ({@code email}, {@code MONEY}). */
    public static ValueKind parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown value type '" + name + "'; use one of " + List.of(values()), e);
        }
    }
}
