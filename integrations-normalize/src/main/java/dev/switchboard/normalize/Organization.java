package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An account or company. Immutable; every value carries its {@link Provenance}. */
public final class Organization extends Entity {
    /** Name. */
    public static final Field<String> NAME = Field.of(EntityType.ORGANIZATION, "name", ValueKind.TEXT, String.class);

    /** Web domain, lower case without scheme or {@code www.}, e.g. {@code acme.com}. */
    public static final Field<String> DOMAIN =
            Field.of(EntityType.ORGANIZATION, "domain", ValueKind.TEXT, String.class);

    /** Website as the source shows it. */
    public static final Field<String> WEBSITE =
            Field.of(EntityType.ORGANIZATION, "website", ValueKind.TEXT, String.class);

    /** Main phone number. */
    public static final Field<Phone> PHONE = Field.of(EntityType.ORGANIZATION, "phone", ValueKind.PHONE, Phone.class);

    /** Every email address, with its kind and source field. */
    public static final Field<List<ContactPoint<Email>>> EMAILS =
            Field.structured(EntityType.ORGANIZATION, "emails", List.class);

    /** Every phone number, with its kind and source field; the primary one is also {@link #PHONE}. */
    public static final Field<List<ContactPoint<Phone>>> PHONES =
            Field.structured(EntityType.ORGANIZATION, "phones", List.class);

    /** Every postal address, with its kind and source field. */
    public static final Field<List<ContactPoint<Address>>> ADDRESSES =
            Field.structured(EntityType.ORGANIZATION, "addresses", List.class);

    /** Industry, in the source's words. */
    public static final Field<String> INDUSTRY =
            Field.of(EntityType.ORGANIZATION, "industry", ValueKind.TEXT, String.class);

    /** Number of employees. */
    public static final Field<Long> EMPLOYEES =
            Field.of(EntityType.ORGANIZATION, "employees", ValueKind.INTEGER, Long.class);

    /** Annual revenue. */
    public static final Field<Money> ANNUAL_REVENUE =
            Field.of(EntityType.ORGANIZATION, "annualRevenue", ValueKind.MONEY, Money.class);

    /** The user who owns the record at the source. */
    public static final Field<EntityRef> OWNER = Field.ref(EntityType.ORGANIZATION, "owner", EntityType.USER);

    /** When the source created it. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.ORGANIZATION, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.ORGANIZATION, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS = List.of(
            NAME,
            DOMAIN,
            WEBSITE,
            PHONE,
            EMAILS,
            PHONES,
            ADDRESSES,
            INDUSTRY,
            EMPLOYEES,
            ANNUAL_REVENUE,
            OWNER,
            CREATED_AT,
            UPDATED_AT);

    Organization(Builder b) {
        super(b);
    }

    /** Name. */
    public Optional<String> name() {
        return get(NAME);
    }

    /** Web domain, lower case without scheme or {@code www.}, e.g. {@code acme.com}. */
    public Optional<String> domain() {
        return get(DOMAIN);
    }

    /** Website as the source shows it. */
    public Optional<String> website() {
        return get(WEBSITE);
    }

    /** Main phone number. */
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

    /** Industry, in the source's words. */
    public Optional<String> industry() {
        return get(INDUSTRY);
    }

    /** Number of employees. */
    public Optional<Long> employees() {
        return get(EMPLOYEES);
    }

    /** Annual revenue. */
    public Optional<Money> annualRevenue() {
        return get(ANNUAL_REVENUE);
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
