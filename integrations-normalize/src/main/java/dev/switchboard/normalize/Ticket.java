package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A support case or ticket. Immutable; every value carries its {@link Provenance}. */
public final class Ticket extends Entity {
    /** Subject line. */
    public static final Field<String> SUBJECT = Field.of(EntityType.TICKET, "subject", ValueKind.TEXT, String.class);

    /** Body or description. */
    public static final Field<String> DESCRIPTION =
            Field.of(EntityType.TICKET, "description", ValueKind.TEXT, String.class);

    /** Status; the vendor's own value in {@link Coded#raw()}. */
    public static final Field<Coded<TicketStatus>> STATUS =
            Field.coded(EntityType.TICKET, "status", TicketStatus.class);

    /** Priority; the vendor's own value in {@link Coded#raw()}. */
    public static final Field<Coded<Priority>> PRIORITY = Field.coded(EntityType.TICKET, "priority", Priority.class);

    /** The pipeline stage: the source's stage id, and its normalized kind (new, open, waiting, closed). */
    public static final Field<Stage> STAGE = Field.stage(EntityType.TICKET);

    /** Tags or labels, as the source spells them, in its order. */
    public static final Field<List<String>> TAGS = Field.structured(EntityType.TICKET, "tags", List.class);

    /** Files attached to the ticket itself (a comment's files are on the {@link Comment}), never their bytes. */
    public static final Field<List<Attachment>> ATTACHMENTS =
            Field.structured(EntityType.TICKET, "attachments", List.class);

    /** The person who raised it. */
    public static final Field<EntityRef> REQUESTER = Field.ref(EntityType.TICKET, "requester", EntityType.PERSON);

    /** The customer organization. */
    public static final Field<EntityRef> ORGANIZATION =
            Field.ref(EntityType.TICKET, "organization", EntityType.ORGANIZATION);

    /** The user working on it. */
    public static final Field<EntityRef> OWNER = Field.ref(EntityType.TICKET, "owner", EntityType.USER);

    /** When it was opened. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.TICKET, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.TICKET, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    /** When it was closed. */
    public static final Field<Instant> CLOSED_AT =
            Field.of(EntityType.TICKET, "closedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS = List.of(
            SUBJECT,
            DESCRIPTION,
            STATUS,
            PRIORITY,
            STAGE,
            TAGS,
            ATTACHMENTS,
            REQUESTER,
            ORGANIZATION,
            OWNER,
            CREATED_AT,
            UPDATED_AT,
            CLOSED_AT);

    Ticket(Builder b) {
        super(b);
    }

    /** Subject line. */
    public Optional<String> subject() {
        return get(SUBJECT);
    }

    /** Body or description. */
    public Optional<String> description() {
        return get(DESCRIPTION);
    }

    /** Status; the vendor's own value in {@link Coded#raw()}. */
    public Optional<Coded<TicketStatus>> status() {
        return get(STATUS);
    }

    /** Priority; the vendor's own value in {@link Coded#raw()}. */
    public Optional<Coded<Priority>> priority() {
        return get(PRIORITY);
    }

    /** The pipeline stage and its normalized kind. */
    public Optional<Stage> stage() {
        return get(STAGE);
    }

    /** Tags, in the source's order; empty when none. */
    public List<String> tags() {
        return get(TAGS).orElse(List.of());
    }

    /** Files attached to the ticket; empty when none. */
    public List<Attachment> attachments() {
        return get(ATTACHMENTS).orElse(List.of());
    }

    /** The person who raised it. */
    public Optional<EntityRef> requester() {
        return get(REQUESTER);
    }

    /** The customer organization. */
    public Optional<EntityRef> organization() {
        return get(ORGANIZATION);
    }

    /** The user working on it. */
    public Optional<EntityRef> owner() {
        return get(OWNER);
    }

    /** When it was opened. */
    public Optional<Instant> createdAt() {
        return get(CREATED_AT);
    }

    /** When the source last changed it. */
    public Optional<Instant> updatedAt() {
        return get(UPDATED_AT);
    }

    /** When it was closed. */
    public Optional<Instant> closedAt() {
        return get(CLOSED_AT);
    }
}
