package dev.switchboard.normalize;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A file attached to a ticket or comment: what it is and where the source keeps it, never its
 * bytes. Fetching the file is a separate, authorized call to {@link #link()}.
 *
 * @param id the source's id of the file
 * @param name the file name, when the source gives it
 * @param mediaType the media type ({@code image/png}), when the source gives it
 * @param size the size in bytes, when the source gives it
 * @param link where the source serves it (a URL or an API path), when the record carries it
 */
public record Attachment(
        String id,
        @Nullable String name,
        @Nullable String mediaType,
        @Nullable Long size,
        @Nullable String link) {
    public Attachment {
        Objects.requireNonNull(id, "id");
        if (size != null && size < 0) {
            throw new IllegalArgumentException("a size is never negative");
        }
    }

    /** Names the file by id only: its name and link may be personal. */
    @Override
    public String toString() {
        return "Attachment[" + id + "]";
    }
}
