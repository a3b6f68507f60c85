package dev.switchboard.core.audit;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link AuditVerifier} found: for each chain, how many entries verified from its start, and the first
 * place it breaks, if it does.
 *
 * @param verified per writer, the number of entries that verified before the first break (all, when none)
 * @param breaks the first break of each broken chain, by writer id
 */
public record AuditReport(Map<String, Long> verified, List<Break> breaks) {
    public AuditReport {
        verified = Map.copyOf(verified);
        breaks = List.copyOf(breaks);
    }

    /** Whether every chain verified from its first entry to its last, and as far as every trusted checkpoint. */
    public boolean ok() {
        return breaks.isEmpty();
    }

    /** The break of {@code writerId}'s chain, if it has one. */
    public Optional<Break> breakOf(String writerId) {
        return breaks.stream().filter(b -> b.writerId().equals(writerId)).findFirst();
    }

    /** How a chain was changed. docs/governance.md gives the rule that tells each from the others. */
    public enum Kind {
        /** An entry's content differs from what was authenticated (or it cannot be read any more). */
        MODIFIED,
        /** Entries are missing: the next one present follows a gap in sequence numbers and hashes. */
        DELETED,
        /** An entry that is not part of the chain stands between two that link to each other, or repeats one. */
        INSERTED,
        /** The entry that belongs here is further on: entries are out of their order. */
        REORDERED,
        /** The log ends before the last entry a trusted checkpoint signed. */
        TRUNCATED,
        /**
         * A checkpoint read from where it was exported does not verify under the writer's trusted key: the
         * export was edited (or signed by another key). Reported after the chain's own break, if any; {@code
         * position} is -1.
         */
        CHECKPOINT_FORGED
    }

    /**
     * The first place a chain breaks.
     *
     * @param writerId the chain
     * @param seq the sequence number of the entry named: the one modified, the first deleted, the one inserted (as
     *     it claims, -1 if it cannot be read), the one out of place, or the first missing after truncation
     * @param kind how it was changed
     * @param position where in the stored order (0 for the chain's first line or row) it was found; for
     *     {@link Kind#TRUNCATED}, the number of entries present
     * @param detail what was seen, in words (sequence numbers and hashes only)
     */
    public record Break(String writerId, long seq, Kind kind, long position, String detail) {
        public Break {
            Objects.requireNonNull(writerId, "writerId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
