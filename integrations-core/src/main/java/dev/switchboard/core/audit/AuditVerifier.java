package dev.switchboard.core.audit;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks the chains of every writer together and reports, for each, the first entry where it breaks and how
 * ({@link AuditReport.Kind}). It needs the MAC keys (whoever verifies holds them, as the writer does) and, to find a
 * log cut short, the checkpoints exported where the writer could not change them, with the Ed25519 public keys
 * they were signed with.
 *
 * <pre>{@code
 * AuditReport report = AuditVerifier.builder(macKeys)
 *     .trust(publicKey)                                         // or trust("api-1", key) per writer
 *     .checkpoints(CheckpointExporter.readDirectory(worm))
 *     .build()
 *     .verify(log);
 * }</pre>
 *
 * <p>The rules, per chain, walking its entries in the order stored with the sequence number and hash expected next
 * (1 and {@link AuditEntry#GENESIS} at the start). An entry is <em>authentic</em> if it can be read, names this
 * chain's writer and its MAC verifies; it <em>links</em> if it is authentic and holds the expected sequence number
 * and hash. An entry that links is accepted (and, where a trusted checkpoint signed its sequence number, its hash
 * must be the checkpoint's, or it is {@code MODIFIED}). At the first entry that does not link:
 * <ol>
 *   <li>not authentic, and the entry after it links: {@code INSERTED} (the chain goes on as if it were not there);
 *   <li>not authentic otherwise: {@code MODIFIED}, naming the expected sequence number (the last line of a chain is
 *       {@code INSERTED} instead when it claims a sequence number other than the expected one);
 *   <li>authentic with a sequence number above the expected one: {@code REORDERED} if an authentic entry with the
 *       expected number is further on, else {@code DELETED}, naming the first missing number;
 *   <li>authentic with a sequence number below the expected one: {@code INSERTED} (a copy of an entry, or one
 *       written by a second writer under the same id);
 *   <li>authentic with the expected number but another previous hash: {@code MODIFIED}.
 * </ol>
 * After the last entry, a trusted checkpoint with a higher sequence number makes the chain {@code TRUNCATED}, naming
 * the first missing number; a writer with trusted checkpoints and no entries at all is truncated at 1. Without
 * checkpoints, entries deleted at a chain's end cannot be told from a shorter chain.
 */
public final class AuditVerifier {
    private final AuditMacKeys macKeys;
    /** Per writer, the trusted checkpoints' head hashes by seq. */
    private final Map<String, TreeMap<Long, String>> checkpoints;
    /** Per writer, the lowest checkpoint whose signature does not verify under the trusted key. */
    private final Map<String, AuditCheckpoint> forged;

    private AuditVerifier(Builder b) {
        this.macKeys = b.macKeys;
        Map<String, TreeMap<Long, String>> trusted = new HashMap<>();
        Map<String, AuditCheckpoint> forged = new HashMap<>();
        for (AuditCheckpoint c : b.checkpoints) {
            PublicKey key = b.writerKeys.getOrDefault(c.writerId(), b.anyWriterKey);
            if (key == null) {
                throw new IllegalArgumentException("no public key is trusted for the checkpoints of writer "
                        + c.writerId() + ": call trust(key) or trust(writerId, key)");
            }
            if (!c.verifies(key)) {
                // Reported, not thrown: an edited export is tampering to show, and the chain is still checked
                // against the checkpoints that do verify.
                forged.merge(c.writerId(), c, (a, x) -> a.seq() <= x.seq() ? a : x);
                continue;
            }
            String other =
                    trusted.computeIfAbsent(c.writerId(), w -> new TreeMap<>()).put(c.seq(), c.headHash());
            if (other != null && !other.equals(c.headHash())) {
                throw new IllegalArgumentException("two signed checkpoints of writer " + c.writerId() + " at seq "
                        + c.seq() + " name different heads: two instances wrote under one writer id");
            }
        }
        this.checkpoints = trusted;
        this.forged = forged;
    }

    /** A verifier with these MAC keys (every key an entry may name). */
    public static Builder builder(AuditMacKeys macKeys) {
        return new Builder(macKeys);
    }

    /** Verifies every chain in these logs (writers of several logs are checked together). */
    public AuditReport verify(AuditLog... logs) {
        Map<String, List<AuditEntry>> chains = new LinkedHashMap<>();
        for (AuditLog log : logs) {
            for (String writer : log.writers()) {
                chains.computeIfAbsent(writer, w -> new ArrayList<>()).addAll(log.entries(writer));
            }
        }
        return verify(chains);
    }

    /**
     * Verifies chains given as each writer's entries in the order stored; a writer that only trusted checkpoints
     * name is checked too.
     */
    public AuditReport verify(Map<String, List<AuditEntry>> chains) {
        Map<String, Long> verified = new TreeMap<>();
        List<AuditReport.Break> breaks = new ArrayList<>();
        TreeSet<String> writers = new TreeSet<>(chains.keySet());
        writers.addAll(checkpoints.keySet());
        writers.addAll(forged.keySet());
        for (String writer : writers) {
            List<AuditEntry> entries = chains.getOrDefault(writer, List.of());
            long[] count = new long[1];
            AuditReport.Break b =
                    verifyChain(writer, entries, checkpoints.getOrDefault(writer, new TreeMap<>()), count);
            verified.put(writer, count[0]);
            if (b != null) {
                breaks.add(b);
            }
            AuditCheckpoint f = forged.get(writer);
            if (f != null) {
                breaks.add(new AuditReport.Break(
                        writer,
                        f.seq(),
                        AuditReport.Kind.CHECKPOINT_FORGED,
                        -1,
                        "the checkpoint at seq " + f.seq() + " does not verify under the trusted key: it was changed"
                                + " where it was exported, or signed by another key; the chain was checked against"
                                + " the other checkpoints only"));
            }
        }
        return new AuditReport(verified, breaks);
    }

    private boolean authentic(String writer, AuditEntry e) {
        return !e.isUnreadable() && e.writerId().equals(writer) && AuditChain.macMatches(macKeys, e);
    }

    private boolean links(String writer, AuditEntry e, long seq, String prev) {
        return e.seq() == seq && e.prevHash().equals(prev) && authentic(writer, e);
    }

    private AuditReport.@Nullable Break verifyChain(
            String writer, List<AuditEntry> entries, TreeMap<Long, String> signed, long[] count) {
        long expected = 1;
        String prev = AuditEntry.GENESIS;
        for (int i = 0; i < entries.size(); i++) {
            AuditEntry e = entries.get(i);
            if (links(writer, e, expected, prev)) {
                String hash = e.hash();
                String checkpointed = signed.get(expected);
                if (checkpointed != null && !checkpointed.equals(hash)) {
                    return new AuditReport.Break(
                            writer,
                            expected,
                            AuditReport.Kind.MODIFIED,
                            i,
                            "entry " + expected + " verifies but differs from the signed checkpoint at that seq: the"
                                    + " chain was rewritten with the MAC key");
                }
                expected++;
                prev = hash;
                count[0]++;
                continue;
            }
            if (!authentic(writer, e)) {
                boolean last = i + 1 == entries.size();
                if (!last && links(writer, entries.get(i + 1), expected, prev)) {
                    return new AuditReport.Break(
                            writer,
                            e.seq(),
                            AuditReport.Kind.INSERTED,
                            i,
                            "the entry at position " + i + " does not verify and the chain goes on after it as if it"
                                    + " were not there");
                }
                if (last && !e.isUnreadable() && e.seq() != expected) {
                    return new AuditReport.Break(
                            writer,
                            e.seq(),
                            AuditReport.Kind.INSERTED,
                            i,
                            "the last line does not verify and claims seq " + e.seq() + " where " + expected
                                    + " was due");
                }
                return new AuditReport.Break(
                        writer,
                        expected,
                        AuditReport.Kind.MODIFIED,
                        i,
                        "entry " + expected + " at position " + i
                                + (e.isUnreadable()
                                        ? " cannot be read as an entry"
                                        : " does not verify: its content is not what was authenticated"));
            }
            if (e.seq() > expected) {
                for (int j = i + 1; j < entries.size(); j++) {
                    AuditEntry later = entries.get(j);
                    if (later.seq() == expected && authentic(writer, later)) {
                        return new AuditReport.Break(
                                writer,
                                expected,
                                AuditReport.Kind.REORDERED,
                                i,
                                "entry " + e.seq() + " stands where entry " + expected + " belongs; entry " + expected
                                        + " is at position " + j);
                    }
                }
                return new AuditReport.Break(
                        writer,
                        expected,
                        AuditReport.Kind.DELETED,
                        i,
                        "entries " + expected + " to " + (e.seq() - 1) + " are missing before position " + i);
            }
            if (e.seq() < expected) {
                return new AuditReport.Break(
                        writer,
                        e.seq(),
                        AuditReport.Kind.INSERTED,
                        i,
                        "entry " + e.seq() + " appears again at position " + i + ", where " + expected + " was due");
            }
            return new AuditReport.Break(
                    writer,
                    expected,
                    AuditReport.Kind.MODIFIED,
                    i,
                    "entry " + expected + " verifies but does not hold the hash of entry " + (expected - 1)
                            + ": two chains were written under this writer id");
        }
        if (!signed.isEmpty() && signed.lastKey() >= expected) {
            return new AuditReport.Break(
                    writer,
                    expected,
                    AuditReport.Kind.TRUNCATED,
                    entries.size(),
                    "the log ends after entry " + (expected - 1) + " but a signed checkpoint holds entry "
                            + signed.lastKey());
        }
        return null;
    }

    /** Builds an {@link AuditVerifier}. */
    public static final class Builder {
        private final AuditMacKeys macKeys;
        private final Map<String, PublicKey> writerKeys = new HashMap<>();
        private @Nullable PublicKey anyWriterKey;
        private final List<AuditCheckpoint> checkpoints = new ArrayList<>();

        private Builder(AuditMacKeys macKeys) {
            this.macKeys = Objects.requireNonNull(macKeys, "macKeys");
        }

        /** Trusts checkpoints of any writer signed with this Ed25519 public key. */
        public Builder trust(PublicKey key) {
            this.anyWriterKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Trusts checkpoints of {@code writerId} signed with this Ed25519 public key. */
        public Builder trust(String writerId, PublicKey key) {
            writerKeys.put(AuditEntry.checkWriterId(writerId), Objects.requireNonNull(key, "key"));
            return this;
        }

        /** Checkpoints read from where they were exported; their signatures are checked by {@link #build()}. */
        public Builder checkpoints(Collection<AuditCheckpoint> checkpoints) {
            this.checkpoints.addAll(checkpoints);
            return this;
        }

        /**
         * The verifier.
         *
         * @throws IllegalArgumentException if a checkpoint has no trusted key or its signature does not verify
         */
        public AuditVerifier build() {
            return new AuditVerifier(this);
        }
    }
}
