package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A customer's person: a contact (a source's own users are {@link User}s, Salesforce leads {@link Lead}s). Immutable; every value carries its {@link Provenance}. */
public final class Person extends Entity {
    /** Contact, lead or user. */
    public static final Field<Coded<PersonKind>> KIND = Field.coded(EntityType.PERSON, "kind", PersonKind.class);

    /** Full name as the source shows it. */
    public static final Field<String> NAME = Field.of(EntityType.PERSON, "name", ValueKind.TEXT, String.class);

    /** Given name. */
    public static final Field<String> FIRST_NAME =
            Field.of(EntityType.PERSON, "firstName", ValueKind.TEXT, String.class);

    /** Family name. */
    public static final Field<String> LAST_NAME = Field.of(EntityType.PERSON, "lastName", ValueKind.TEXT, String.class);

    /** Primary email address. */
    public static final Field<Email> EMAIL = Field.of(EntityType.PERSON, "email", ValueKind.EMAIL, Email.class);

    /** Primary phone number. */
    public static final Field<Phone> PHONE = Field.of(EntityType.PERSON, "phone", ValueKind.PHONE, Phone.class);

    /** Every email address, with its kind and source field; the primary one is also {@link #EMAIL}. */
    public static final Field<List<ContactPoint<Email>>> EMAILS =
            Field.structured(EntityType.PERSON, "emails", List.class);

    /** Every phone number, with its kind and source field; the primary one is also {@link #PHONE}. */
    public static final Field<List<ContactPoint<Phone>>> PHONES =
            Field.structured(EntityType.PERSON, "phones", List.class);

    /** Every postal address, with its kind and source field. */
    public static final Field<List<ContactPoint<Address>>> ADDRESSES =
            Field.structured(EntityType.PERSON, "addresses", List.class);

    /** Job title. */
    public static final Field<String> TITLE = Field.of(EntityType.PERSON, "title", ValueKind.TEXT, String.class);

    /** The organization the person belongs to at the same source. */
    public static final Field<EntityRef> ORGANIZATION =
            Field.ref(EntityType.PERSON, "organization", EntityType.ORGANIZATION);

    /** The user who owns the record at the source. */
    public static final Field<EntityRef> OWNER = Field.ref(EntityType.PERSON, "owner", EntityType.USER);

    /** When the source created it. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.PERSON, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.PERSON, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS = List.of(
            KIND,
            NAME,
            FIRST_NAME,
            LAST_NAME,
            EMAIL,
            PHONE,
            EMAILS,
            PHONES,
            ADDRESSES,
            TITLE,
            ORGANIZATION,
            OWNER,
            CREATED_AT,
            UPDATED_AT);

    Person(Builder b) {
        super(b);
    }

    /** Contact, lead or user. */
    public Optional<Coded<PersonKind>> kind() {
        return get(KIND);
    }

    /** Full name as the source shows it. */
    public Optional<String> name() {
        return get(NAME);
    }

    /** Given name. */
    public Optional<String> firstName() {
        return get(FIRST_NAME);
    }

    /** Family name. */
    public Optional<String> lastName() {
        return get(LAST_NAME);
    }

    /** Primary email address. */
    public Optional<Email> email() {
        return get(EMAIL);
    }

    /** Primary phone number. */
    public Optional<Phone> phone() {
        return get(PHONE);
    }

    /** Every email address, with its kind and source field; empty when none. */
    public List<ContactPoint<Email>> emails() {
        return get(EMAILS).orElse(List.of());
    }

    /** Every phone number, with its kind and source field; empty when none. */
    public List<ContactPoint<Phone>> phones() {
        return get(PHONES).orElse(List.of());
    }

    /** Every postal address, with its kind and source field; empty when none. */
    public List<ContactPoint<Address>> addresses() {
        return get(ADDRESSES).orElse(List.of());
    }

    /** Job title. */
    public Optional<String> title() {
        return get(TITLE);
    }

    /** The organization the person belongs to at the same source. */
    public Optional<EntityRef> organization() {
        return get(ORGANIZATION);
    }

    /** The user who owns the record at the source. */
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
