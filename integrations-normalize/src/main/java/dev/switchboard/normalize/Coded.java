package dev.switchboard.normalize;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A value of an enumeration with an {@code OTHER} escape, and the source's own value: a vendor's
 * new picklist value or pipeline stage becomes {@code OTHER} with its raw spelling kept, never a
 * guess.
 *
 * @param code the unified value
 * @param raw the source's value, as sent
 * @param <E> the enumeration; it has a constant named {@code OTHER}
 */
public record Coded<E extends Enum<E>>(E code, String raw) {
    public Coded {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(raw, "raw");
    }

    /**
     * Looks {@code raw} up in {@code table} (exact first, then ignoring case and surrounding space),
     * then by the enumeration's constant names; {@code OTHER} when neither knows it.
     */
    public static <E extends Enum<E>> Coded<E> of(Class<E> codes, String raw, Map<String, E> table) {
        E code = table.get(raw);
        if (code == null) {
            String key = raw.trim().toLowerCase(Locale.ROOT);
            for (Map.Entry<String, E> e : table.entrySet()) {
                if (e.getKey().trim().toLowerCase(Locale.ROOT).equals(key)) {
                    code = e.getValue();
                    break;
                }
            }
        }
        if (code == null) {
            String constant =
                    raw.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
            for (E candidate : codes.getEnumConstants()) {
                if (candidate.name().equals(constant)) {
                    code = candidate;
                    break;
                }
            }
        }
        return new Coded<>(code == null ? other(codes) : code, raw);
    }

    /** Whether the source's value was not known to the mapping. */
    public boolean isOther() {
        return code.name().equals("OTHER");
    }

    static <E extends Enum<E>> E other(Class<E> codes) {
        try {
            return Enum.valueOf(codes, "OTHER");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(codes.getName() + " has no OTHER constant", e);
        }
    }
}
