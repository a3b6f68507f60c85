package dev.switchboard.core;

/**
 * What a read has done with the records it read so far: handed to the caller, withheld by the access
 * policy's row filter, or quarantined for breaking the stream's contract. A read whose records were all
 * quarantined shows it here, not only in log lines.
 *
 * @param delivered records returned by the stream
 * @param withheld records the access policy withheld from this principal
 * @param quarantined records kept in the quarantine store instead of being returned
 */
public record ReadCounts(long delivered, long withheld, long quarantined) {
    public ReadCounts {
        if (delivered < 0 || withheld < 0 || quarantined < 0) {
            throw new IllegalArgumentException("counts are not negative");
        }
    }

    /** Every record the read went past: delivered, withheld or quarantined. */
    public long total() {
        return delivered + withheld + quarantined;
    }
}
