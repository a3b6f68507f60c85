package dev.switchboard.normalize;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The pipeline stage a deal or ticket is in: the source's stage id, its label when the record
 * carries it, the pipeline it belongs to when the source has several, and its normalized kind, so a
 * stage means the same in every source. The kind is {@link StageKind#OTHER} when the record alone
 * does not tell it (a stage of a custom pipeline): the {@link Pipeline} entity of that pipeline does.
 *
 * @param id the source's stage id or value ({@code closedwon}, {@code Closed Won}); never blank
 * @param label the stage's label, when the record carries it
 * @param pipeline the pipeline's source id, when the source has pipelines
 * @param kind the normalized kind
 */
public record Stage(
        String id, @Nullable String label, @Nullable String pipeline, StageKind kind) {
    public Stage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a stage id is never blank");
        }
    }
}
