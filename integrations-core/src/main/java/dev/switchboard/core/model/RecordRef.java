package dev.switchboard.core.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A record named without its data: the stream, the id, whether it was changed or deleted, and its
 * version when known. Actions report the records they touched this way ({@code ActionOutput.affected}),
 * so caches and memory forget them.
 *
 * @param stream the stream the record belongs to (a stream of the same connector)
 * @param id the record's id
 * @param deleted whether the action deleted it
 * @param version the source's new version of it, when the vendor said
 */
public record RecordRef(
        String stream, String id, boolean deleted, @Nullable String version) {
    public RecordRef {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(id, "id");
    }

    /** A record created or changed. */
    public static RecordRef changed(String stream, String id) {
        return new RecordRef(stream, id, false, null);
    }

    /** A record deleted. */
    public static RecordRef deleted(String stream, String id) {
        return new RecordRef(stream, id, true, null);
    }

    public RecordRef withVersion(@Nullable String version) {
        return new RecordRef(stream, id, deleted, version);
    }

    @Override
    public String toString() {
        return stream + "/" + id + (deleted ? " (deleted)" : "") + (version == null ? "" : "@" + version);
    }
}
