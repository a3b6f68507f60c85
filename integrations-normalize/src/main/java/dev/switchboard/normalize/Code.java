package dev.switchboard.normalize;

import java.util.Objects;

/**
 * A value of an enumeration defined by configuration (a custom field's tiers, a table's status
 * column): the unified code, or {@code OTHER} when the mapping does not know the source's value,
 * which is kept as sent.
 *
 * @param code the unified code
 * @param raw the source's value
 */
public record Code(String code, String raw) {
    /** The code of a source value no mapping knows. */
    public static final String OTHER = "OTHER";

    public Code {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(raw, "raw");
    }

    public boolean isOther() {
        return OTHER.equals(code);
    }
}
