package dev.switchboard.normalize;

import org.jspecify.annotations.Nullable;

/**
 * A postal address as the source holds it, part by part, unchanged (no country or postal code is
 * normalized or guessed). At least one part is present.
 *
 * @param street street and number, possibly several lines
 * @param city city
 * @param state state, province or region
 * @param postalCode postal or ZIP code
 * @param country country as the source wrote it (a name or a code)
 */
public record Address(
        @Nullable String street,
        @Nullable String city,
        @Nullable String state,
        @Nullable String postalCode,
        @Nullable String country) {
    public Address {
        if (street == null && city == null && state == null && postalCode == null && country == null) {
            throw new IllegalArgumentException("an address has at least one part");
        }
    }

    /** Names which parts are present; the address itself is personal and left out. */
    @Override
    public String toString() {
        return "Address[" + (street == null ? "" : "street ") + (city == null ? "" : "city ")
                + (state == null ? "" : "state ") + (postalCode == null ? "" : "postalCode ")
                + (country == null ? "" : "country") + "]";
    }
}
