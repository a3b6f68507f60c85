package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A task, note, call or meeting. Immutable; every value carries its {@link Provenance}. */
public final class Activity extends Entity {
    /** Task, note, call, email or meeting. */
    public static final Field<Coded<ActivityKind>> KIND = Field.coded(EntityType.ACTIVITY, "kind", ActivityKind.class);

    /** Subject or title. */
    public static final Field<String> SUBJECT = Field.of(EntityType.ACTIVITY, "subject", ValueKind.TEXT, String.class);

    /** Body or description. */
    public static final Field<String> BODY = Field.of(EntityType.ACTIVITY, "body", ValueKind.TEXT, String.class);

    /** For a task, where it stands. */
    public static final Field<Coded<ActivityStatus>> STATUS =
            Field.coded(EntityType.ACTIVITY, "status", ActivityStatus.class);

    /** For a task, how urgent it is. */
    public static final Field<Coded<Priority>> PRIORITY = Field.coded(EntityType.ACTIVITY, "priority", Priority.class);

    /** When it is due (a date-only due date is midnight UTC). */
    public static final Field<Instant> DUE_AT =
            Field.of(EntityType.ACTIVITY, "dueAt", ValueKind.TIMESTAMP, Instant.class);

    /** The record it is about (its type as the source says, when known). */
    public static final Field<EntityRef> RELATED_TO = Field.ref(EntityType.ACTIVITY, "relatedTo", EntityType.GENERIC);

    /** The user who owns it. */
    public static final Field<EntityRef> OWNER = Field.ref(EntityType.ACTIVITY, "owner", EntityType.USER);

    /** When the source created it. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.ACTIVITY, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.ACTIVITY, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS =
            List.of(KIND, SUBJECT, BODY, STATUS, PRIORITY, DUE_AT, RELATED_TO, OWNER, CREATED_AT, UPDATED_AT);

    Activity(Builder b) {
        super(b);
    }

    /** Task, note, call, email or meeting. */
    public Optional<Coded<ActivityKind>> kind() {
        return get(KIND);
    }

    /** Subject or title. */
    public Optional<String> subject() {
        return get(SUBJECT);
    }

    /** Body or description. */
    public Optional<String> body() {
        return get(BODY);
    }

    /** For a task, where it stands. */
    public Optional<Coded<ActivityStatus>> status() {
        return get(STATUS);
    }

    /** For a task, how urgent it is. */
    public Optional<Coded<Priority>> priority() {
        return get(PRIORITY);
    }

    /** When it is due (a date-only due date is midnight UTC). */
    public Optional<Instant> dueAt() {
        return get(DUE_AT);
    }

    /** The record it is about (its type as the source says, when known). */
    public Optional<EntityRef> relatedTo() {
        return get(RELATED_TO);
    }

    /** The user who owns it. */
    public Optional<EntityRef> owner() {
        return get(OWNER);
    }

    /** When the source created it. */
    public Optional<Instant> createdAt() {
        return get(CREATED_AT);
    }

    /** When the source last changed it. */
    public Optional<Instant> updatedAt() {
        return get(UPDATED_AT);
    }
}
