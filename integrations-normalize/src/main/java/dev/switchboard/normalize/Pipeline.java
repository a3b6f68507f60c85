package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The ordered stages deals or tickets move through, with what each stage means ({@link StageKind}):
 * what gives a deal's or ticket's {@link Stage} its meaning when the record alone does not.
 * Immutable; every value carries its {@link Provenance}.
 */
public final class Pipeline extends Entity {
    /** Label. */
    public static final Field<String> NAME = Field.of(EntityType.PIPELINE, "name", ValueKind.TEXT, String.class);

    /** What moves through it: {@code deal} or {@code ticket} (the unified type's name). */
    public static final Field<String> OBJECT_TYPE =
            Field.of(EntityType.PIPELINE, "objectType", ValueKind.TEXT, String.class);

    /** Its position among the source's pipelines. */
    public static final Field<Long> DISPLAY_ORDER =
            Field.of(EntityType.PIPELINE, "displayOrder", ValueKind.INTEGER, Long.class);

    /** Whether the source archived it. */
    public static final Field<Boolean> ARCHIVED =
            Field.of(EntityType.PIPELINE, "archived", ValueKind.BOOLEAN, Boolean.class);

    /** The stages, in display order. */
    public static final Field<List<PipelineStage>> STAGES = Field.structured(EntityType.PIPELINE, "stages", List.class);

    /** When the source created it. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.PIPELINE, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.PIPELINE, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS =
            List.of(NAME, OBJECT_TYPE, DISPLAY_ORDER, ARCHIVED, STAGES, CREATED_AT, UPDATED_AT);

    Pipeline(Builder b) {
        super(b);
    }

    /** Label. */
    public Optional<String> name() {
        return get(NAME);
    }

    /** The stages in display order; empty when the source listed none. */
    public List<PipelineStage> stages() {
        return get(STAGES).orElse(List.of());
    }

    /** The stage with that source id. */
    public Optional<PipelineStage> stage(String id) {
        return stages().stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
