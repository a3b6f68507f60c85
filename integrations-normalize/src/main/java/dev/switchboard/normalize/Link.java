package dev.switchboard.normalize;

import java.util.Objects;

/**
 * Why two entities of one {@link LinkedEntity} are the same person or organization.
 *
 * @param from the entity first seen with the shared key
 * @param to the entity linked to it
 * @param rule which rule matched
 */
public record Link(EntityRef from, EntityRef to, Rule rule) {
    public Link {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(rule, "rule");
    }

    /** The linking rules (docs/normalize.md, "Linking"). */
    public enum Rule {
        /** Two people with the same normalized email address. */
        EMAIL,
        /** Two organizations with the same web domain (not a public mail domain). */
        DOMAIN,
        /** Entities of one type that share an id: one's external id is the other's own id, or both name the same. */
        EXTERNAL_ID
    }
}
