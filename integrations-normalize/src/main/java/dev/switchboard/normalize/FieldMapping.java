package dev.switchboard.normalize;

import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One source field mapped into the unified model: into a standard field of the entity
 * ({@code email}), a custom field ({@code custom.tier}), or an external id ({@code externalId} with
 * a {@code system}). Immutable; built with the static factories and {@code with...} methods, or
 * read from a mapping file by {@link FieldMappings#load(java.nio.file.Path)}.
 *
 * @param source the source field path, e.g. {@code Customer_Tier__c}, {@code hs_custom_tier} (HubSpot
 *     records are flattened: properties are top-level fields), {@code profile.email} (Slack, nested).
 *     A read brings a vendor's custom field only when the connection's pinned contract includes it
 *     ({@code ConnectionConfig.contract}; see docs/normalize.md)
 * @param target {@code <standard field name>}, {@code custom.<name>} or {@code externalId}
 * @param kind how the value is read; for a standard field, null means the field's own kind
 * @param codes for a coded value: source value to unified code (an enumeration constant's name for
 *     a standard field); values not listed become {@code OTHER}
 * @param currencySource for money: the source field holding the ISO currency code
 * @param currency for money: the currency when no currency field says otherwise
 * @param refObject for a reference: the source object it points to, e.g. {@code Account}
 * @param system for an external id: the system the id belongs to, e.g. {@code salesforce}
 */
public record FieldMapping(
        String source,
        String target,
        @Nullable ValueKind kind,
        Map<String, String> codes,
        @Nullable String currencySource,
        @Nullable Currency currency,
        @Nullable String refObject,
        @Nullable String system) {
    /** The target prefix of custom fields. */
    public static final String CUSTOM = "custom.";
    /** The target of external ids. */
    public static final String EXTERNAL_ID = "externalId";

    public FieldMapping {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        codes = Map.copyOf(codes);
        if (source.isBlank() || target.isBlank()) {
            throw new IllegalArgumentException("a field mapping needs a source field and a target");
        }
        if (target.startsWith(CUSTOM) && target.length() == CUSTOM.length()) {
            throw new IllegalArgumentException("custom field target needs a name after 'custom.': " + target);
        }
        if (target.equals(EXTERNAL_ID) && (system == null || system.isBlank())) {
            throw new IllegalArgumentException(
                    "an externalId mapping of '" + source + "' needs the system the id belongs to");
        }
    }

    /** {@code source} into the standard field named {@code field}, read as that field's kind. */
    public static FieldMapping standard(String source, String field) {
        return new FieldMapping(source, field, null, Map.of(), null, null, null, null);
    }

    /** {@code source} into the custom field {@code name}, read as {@code kind}. */
    public static FieldMapping custom(String source, String name, ValueKind kind) {
        return new FieldMapping(source, CUSTOM + name, kind, Map.of(), null, null, null, null);
    }

    /** {@code source} as the id of the same thing in {@code system}. */
    public static FieldMapping externalId(String source, String system) {
        return new FieldMapping(source, EXTERNAL_ID, ValueKind.TEXT, Map.of(), null, null, null, system);
    }

    public FieldMapping withCodes(Map<String, String> codes) {
        return new FieldMapping(source, target, kind, codes, currencySource, currency, refObject, system);
    }

    public FieldMapping withCurrency(@Nullable String currencySource, @Nullable Currency currency) {
        return new FieldMapping(source, target, kind, codes, currencySource, currency, refObject, system);
    }

    public FieldMapping withRefObject(String refObject) {
        return new FieldMapping(source, target, kind, codes, currencySource, currency, refObject, system);
    }

    /** Whether the target is a custom field. */
    public boolean isCustom() {
        return target.startsWith(CUSTOM);
    }

    /** Whether the target is an external id. */
    public boolean isExternalId() {
        return target.equals(EXTERNAL_ID);
    }

    /** The custom field's name, for a custom target. */
    public String customName() {
        return isCustom() ? target.substring(CUSTOM.length()) : target;
    }
}
