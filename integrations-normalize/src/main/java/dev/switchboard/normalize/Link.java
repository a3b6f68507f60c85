package dev.switchboard.normalize;

import java.util.Objects;

/**
 * Why two entities of one {@link LinkedEntity} are the same person or organization: the rule that
 * matched and the value they share, so the link can be explained ({@link #explain()}).
 *
 * @param from the entity already in the group
 * @param to the entity linked to it
 * @param rule which rule matched
 * @param evidence the shared value: the normalized email address, the web domain, the external id, or
 *     {@code pinned} for a pin
 */
public record Link(EntityRef from, EntityRef to, Rule rule, String evidence) {
    public Link {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** The linking rules (docs/normalize.md, "Linking"). */
    public enum Rule {
        /** Two people with the same normalized email address (never a shared or role address). */
        EMAIL("email"),
        /** Two organizations with the same web domain (not a public mail domain). */
        DOMAIN("domain"),
        /** Entities of one type that share an id: one's external id is the other's own id, or both name the same. */
        EXTERNAL_ID("external id"),
        /** The application pinned the two as the same ({@link LinkPin}). */
        PINNED("pin");

        private final String words;

        Rule(String words) {
            this.words = words;
        }

        /** The rule in words, for explanations: {@code email}, {@code external id}. */
        public String words() {
            return words;
        }
    }

    /**
     * The link in one sentence: {@code linked by email a@b.com from salesforce Contact 003... and hubspot
     * contacts 901}.
     */
    public String explain() {
        return (rule == Rule.PINNED ? "linked by a pin" : "linked by " + rule.words() + " " + evidence) + " from "
                + describe(from) + " and " + describe(to);
    }

    static String describe(EntityRef ref) {
        return ref.connector() + " " + ref.object() + " " + ref.id();
    }
}
