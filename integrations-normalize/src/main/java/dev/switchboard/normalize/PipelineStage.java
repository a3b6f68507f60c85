package dev.switchboard.normalize;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One stage of a {@link Pipeline}, as the source defines it.
 *
 * @param id the source's stage id, which a deal's or ticket's {@link Stage#id()} names
 * @param label the stage's label
 * @param displayOrder its position in the pipeline as the source orders it
 * @param probability the chance of winning a deal in this stage, 0 to 1, when the source gives one
 * @param kind what the stage means, see {@link StageKind}
 */
public record PipelineStage(
        String id,
        String label,
        long displayOrder,
        @Nullable BigDecimal probability,
        StageKind kind) {
    public PipelineStage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
        if (probability != null && (probability.signum() < 0 || probability.compareTo(BigDecimal.ONE) > 0)) {
            throw new IllegalArgumentException("a probability is between 0 and 1");
        }
    }
}
