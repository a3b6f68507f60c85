package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a ticket's conversation: a case comment, a note or email on a ticket, a reply in a
 * ticket's thread. Immutable; every value carries its {@link Provenance}.
 */
public final class Comment extends Entity {
    /** The ticket it belongs to. */
    public static final Field<EntityRef> TICKET = Field.ref(EntityType.COMMENT, "ticket", EntityType.TICKET);

    /** The text, as the source holds it (plain text or the source's markup). */
    public static final Field<String> BODY = Field.of(EntityType.COMMENT, "body", ValueKind.TEXT, String.class);

    /** Whether the customer sees it; the source's own value in {@link Coded#raw()}. */
    public static final Field<Coded<Visibility>> VISIBILITY =
            Field.coded(EntityType.COMMENT, "visibility", Visibility.class);

    /** Who wrote it: a {@link User}, or a person where the source says so. */
    public static final Field<EntityRef> AUTHOR = Field.ref(EntityType.COMMENT, "author", EntityType.USER);

    /** Files attached to it, never their bytes. */
    public static final Field<List<Attachment>> ATTACHMENTS =
            Field.structured(EntityType.COMMENT, "attachments", List.class);

    /** When it was written. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.COMMENT, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.COMMENT, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS = List.of(TICKET, BODY, VISIBILITY, AUTHOR, ATTACHMENTS, CREATED_AT, UPDATED_AT);

    Comment(Builder b) {
        super(b);
    }

    /** The ticket it belongs to. */
    public Optional<EntityRef> ticket() {
        return get(TICKET);
    }

    /** The text. */
    public Optional<String> body() {
        return get(BODY);
    }

    /** Whether the customer sees it. */
    public Optional<Coded<Visibility>> visibility() {
        return get(VISIBILITY);
    }

    /** Who wrote it. */
    public Optional<EntityRef> author() {
        return get(AUTHOR);
    }

    /** Files attached to it; empty when none. */
    public List<Attachment> attachments() {
        return get(ATTACHMENTS).orElse(List.of());
    }

    /** When it was written. */
    public Optional<Instant> createdAt() {
        return get(CREATED_AT);
    }
}
