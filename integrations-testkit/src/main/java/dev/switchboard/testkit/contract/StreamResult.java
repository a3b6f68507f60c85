package dev.switchboard.testkit.contract;

import java.util.List;
import java.util.Objects;

/**
 * What the harness found for one stream.
 *
 * @param stream the stream
 * @param recordsRead how many records were read and checked
 * @param truncated whether the read stopped at the check's record limit (the stream may hold more)
 * @param metadataChecked whether the source described the stream (and that description was diffed)
 * @param differences every difference found, once each: records first, then metadata, then those only
 *     the read's schema-drift error named
 * @param errors failures while reading or describing
 */
public record StreamResult(
        String stream,
        int recordsRead,
        boolean truncated,
        boolean metadataChecked,
        List<Difference> differences,
        List<StreamError> errors) {
    public StreamResult {
        Objects.requireNonNull(stream, "stream");
        differences = List.copyOf(differences);
        errors = List.copyOf(errors);
    }

    public boolean hasBreaking() {
        return differences.stream().anyMatch(Difference::breaking);
    }

    public List<Difference> breaking() {
        return differences.stream().filter(Difference::breaking).toList();
    }

    public List<Difference> additive() {
        return differences.stream().filter(d -> !d.breaking()).toList();
    }

    /** The differences seen in one place. */
    public List<Difference> seenIn(Difference.Seen seen) {
        return differences.stream().filter(d -> d.seen() == seen).toList();
    }
}
