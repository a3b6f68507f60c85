package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A user of the source system (an agent, rep or record owner; a Slack member or bot), apart from the
 * customers' people: owner and assignee references point here. Immutable; every value carries its
 * {@link Provenance}.
 */
public final class User extends Entity {
    /** Full name as the source shows it. */
    public static final Field<String> NAME = Field.of(EntityType.USER, "name", ValueKind.TEXT, String.class);

    /** Given name. */
    public static final Field<String> FIRST_NAME = Field.of(EntityType.USER, "firstName", ValueKind.TEXT, String.class);

    /** Family name. */
    public static final Field<String> LAST_NAME = Field.of(EntityType.USER, "lastName", ValueKind.TEXT, String.class);

    /** Login or work email address. */
    public static final Field<Email> EMAIL = Field.of(EntityType.USER, "email", ValueKind.EMAIL, Email.class);

    /** Work phone number. */
    public static final Field<Phone> PHONE = Field.of(EntityType.USER, "phone", ValueKind.PHONE, Phone.class);

    /** Job title. */
    public static final Field<String> TITLE = Field.of(EntityType.USER, "title", ValueKind.TEXT, String.class);

    /** Whether the user can still log in (false once deactivated, archived or deleted at the source). */
    public static final Field<Boolean> ACTIVE = Field.of(EntityType.USER, "active", ValueKind.BOOLEAN, Boolean.class);

    /** Whether the user is a bot or app rather than a person. */
    public static final Field<Boolean> BOT = Field.of(EntityType.USER, "bot", ValueKind.BOOLEAN, Boolean.class);

    /** The {@link Team}s the user belongs to, as the source lists them; primary team first. */
    public static final Field<List<EntityRef>> TEAMS = Field.structured(EntityType.USER, "teams", List.class);

    /** When the source created it. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.USER, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.USER, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS =
            List.of(NAME, FIRST_NAME, LAST_NAME, EMAIL, PHONE, TITLE, ACTIVE, BOT, TEAMS, CREATED_AT, UPDATED_AT);

    User(Builder b) {
        super(b);
    }

    /** Full name as the source shows it. */
    public Optional<String> name() {
        return get(NAME);
    }

    /** Login or work email address. */
    public Optional<Email> email() {
        return get(EMAIL);
    }

    /** Whether the user can still log in. */
    public Optional<Boolean> active() {
        return get(ACTIVE);
    }

    /** Whether the user is a bot or app. */
    public Optional<Boolean> bot() {
        return get(BOT);
    }

    /** The teams the user belongs to; empty when the source lists none. */
    public List<EntityRef> teams() {
        return get(TEAMS).orElse(List.of());
    }
}
