package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A prospect not yet qualified into a contact of an account (a Salesforce {@code Lead}). A source
 * that keeps leads as contacts in a funnel stage (HubSpot) has {@link Person}s instead. Immutable;
 * every value carries its {@link Provenance}.
 */
public final class Lead extends Entity {
    /** Full name as the source shows it. */
    public static final Field<String> NAME = Field.of(EntityType.LEAD, "name", ValueKind.TEXT, String.class);

    /** Given name. */
    public static final Field<String> FIRST_NAME = Field.of(EntityType.LEAD, "firstName", ValueKind.TEXT, String.class);

    /** Family name. */
    public static final Field<String> LAST_NAME = Field.of(EntityType.LEAD, "lastName", ValueKind.TEXT, String.class);

    /** Primary email address. */
    public static final Field<Email> EMAIL = Field.of(EntityType.LEAD, "email", ValueKind.EMAIL, Email.class);

    /** Primary phone number. */
    public static final Field<Phone> PHONE = Field.of(EntityType.LEAD, "phone", ValueKind.PHONE, Phone.class);

    /** Every email address, with its kind and source field. */
    public static final Field<List<ContactPoint<Email>>> EMAILS =
            Field.structured(EntityType.LEAD, "emails", List.class);

    /** Every phone number, with its kind and source field. */
    public static final Field<List<ContactPoint<Phone>>> PHONES =
            Field.structured(EntityType.LEAD, "phones", List.class);

    /** Every postal address, with its kind and source field. */
    public static final Field<List<ContactPoint<Address>>> ADDRESSES =
            Field.structured(EntityType.LEAD, "addresses", List.class);

    /** Job title. */
    public static final Field<String> TITLE = Field.of(EntityType.LEAD, "title", ValueKind.TEXT, String.class);

    /** The company the lead works for, by name (a lead has no account yet). */
    public static final Field<String> COMPANY = Field.of(EntityType.LEAD, "company", ValueKind.TEXT, String.class);

    /** The source's lead status ({@code Open - Not Contacted}), as it spells it. */
    public static final Field<String> STATUS = Field.of(EntityType.LEAD, "status", ValueKind.TEXT, String.class);

    /** Whether the lead was converted into a contact (and account, deal). */
    public static final Field<Boolean> CONVERTED =
            Field.of(EntityType.LEAD, "converted", ValueKind.BOOLEAN, Boolean.class);

    /** The user who owns it. */
    public static final Field<EntityRef> OWNER = Field.ref(EntityType.LEAD, "owner", EntityType.USER);

    /** When the source created it. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.LEAD, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.LEAD, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS = List.of(
            NAME,
            FIRST_NAME,
            LAST_NAME,
            EMAIL,
            PHONE,
            EMAILS,
            PHONES,
            ADDRESSES,
            TITLE,
            COMPANY,
            STATUS,
            CONVERTED,
            OWNER,
            CREATED_AT,
            UPDATED_AT);

    Lead(Builder b) {
        super(b);
    }

    /** Full name as the source shows it. */
    public Optional<String> name() {
        return get(NAME);
    }

    /** Primary email address. */
    public Optional<Email> email() {
        return get(EMAIL);
    }

    /** The company the lead works for, by name. */
    public Optional<String> company() {
        return get(COMPANY);
    }

    /** Whether the lead was converted. */
    public Optional<Boolean> converted() {
        return get(CONVERTED);
    }

    /** The user who owns it. */
    public Optional<EntityRef> owner() {
        return get(OWNER);
    }
}
