package dev.switchboard.normalize;

import java.util.Objects;

/**
 * Two entities a rule would have linked, kept apart, and why: the linking refused a merge rather than
 * risk joining strangers. Listed by {@link EntityGraph#linkConflicts()} so that a person can look, and
 * {@linkplain LinkPin pin} the pair if they are the same after all.
 *
 * @param a the entity already in a group
 * @param b the entity not linked to it
 * @param rule the rule that matched them
 * @param evidence the value they share (an email address, a domain, an external id)
 * @param reason why they were not linked
 */
public record LinkConflict(EntityRef a, EntityRef b, Link.Rule rule, String evidence, Reason reason) {
    public LinkConflict {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(reason, "reason");
    }

    /** Why a match did not become a link. */
    public enum Reason {
        /** A role address ({@code support@}, {@code info@}, configurable) identifies a desk, not a person. */
        ROLE_ADDRESS("it is a role address, which links no one by itself"),
        /** An address found on records of several different names: a shared inbox. */
        SHARED_ADDRESS("it is shared by people of different names"),
        /**
         * A member of each side has a name and the names differ, and no phone confirms them (for an email)
         * or another strong identifier contradicts them (a phone, an email, a domain).
         */
        DISAGREEING_IDENTIFIERS("their names differ and nothing else confirms them"),
        /** The application pinned members of the two sides as never the same. */
        PINNED_APART("they are pinned as never the same");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** The refusal in one sentence. */
    public String explain() {
        return "not linked by " + rule.words() + " " + evidence + " (" + reason.words() + "): " + Link.describe(a)
                + " and " + Link.describe(b);
    }
}
