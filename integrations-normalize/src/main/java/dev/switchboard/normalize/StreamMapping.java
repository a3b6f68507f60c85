package dev.switchboard.normalize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The field mappings of one stream of a connection. With an {@code entity} type it maps the whole
 * stream by itself (a database table, any stream no mapper knows); without one its fields are laid
 * over what the connector's mapper produced (a company's custom fields).
 *
 * <p>Checked when built, so a mistake fails at configuration time, not on the first record: every
 * target names a field of the entity type (or, without a type, of some entity type), a custom field
 * or {@code externalId}; a {@code type} given for a standard field is that field's own; codes of a
 * standard coded field name constants of its enumeration; money says where its currency comes from.
 *
 * @param stream the stream, e.g. {@code Account} or {@code customers}
 * @param entity the entity type records become, or null to extend the connector's mapper
 * @param fields the field mappings, applied in order (a later one replaces an earlier value)
 */
public record StreamMapping(String stream, @Nullable EntityType entity, List<FieldMapping> fields) {
    public StreamMapping {
        Objects.requireNonNull(stream, "stream");
        fields = List.copyOf(fields);
        for (int i = 0; i < fields.size(); i++) {
            FieldMapping f = fields.get(i);
            try {
                check(entity, f);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "stream '" + stream + "', fields[" + i + "] (from '" + f.source() + "' to '" + f.target()
                                + "'): " + e.getMessage(),
                        e);
            }
        }
    }

    private static void check(@Nullable EntityType entity, FieldMapping f) {
        if (f.isExternalId()) {
            return;
        }
        if (f.isCustom()) {
            ValueKind kind = f.kind() == null ? ValueKind.TEXT : f.kind();
            if (kind == ValueKind.STRUCTURED) {
                throw new IllegalArgumentException("type structured is built by a connector's mapper; use json to keep"
                        + " the source value as it is");
            }
            if (!f.codes().isEmpty() && kind != ValueKind.CODED) {
                throw new IllegalArgumentException("codes apply to type coded only; add type: coded or drop the codes");
            }
            checkMoney(kind, f);
            return;
        }
        List<Field<?>> candidates = new ArrayList<>();
        for (EntityType t : entity == null ? Arrays.asList(EntityType.values()) : List.of(entity)) {
            t.field(f.target()).ifPresent(candidates::add);
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException(
                    entity != null
                            ? entity.name().toLowerCase(Locale.ROOT) + " has no field '" + f.target() + "'; use one of "
                                    + entity.fields().stream().map(Field::name).toList()
                                    + ", custom.<name> or externalId"
                            : "no entity type has a field '" + f.target() + "'; use a standard field ("
                                    + standardFields() + "), custom.<name> or externalId");
        }
        if (candidates.stream().allMatch(c -> c.kind() == ValueKind.STRUCTURED)) {
            throw new IllegalArgumentException("field '" + f.target() + "' is built by the connector's mapper from"
                    + " several source fields; map the source field into custom.<name> instead");
        }
        if (f.kind() != null && candidates.stream().noneMatch(c -> c.kind() == f.kind())) {
            throw new IllegalArgumentException(
                    "field '" + f.target() + "' is read as " + candidates.get(0).kind()
                            + "; leave the type out, or map into custom.<name> to read it as " + f.kind());
        }
        if (!f.codes().isEmpty()) {
            List<Field<?>> coded =
                    candidates.stream().filter(c -> c.codes() != null).toList();
            if (coded.isEmpty()) {
                throw new IllegalArgumentException("field '" + f.target()
                        + "' is not coded; drop the codes, or map into" + " custom.<name> with type: coded");
            }
            if (coded.stream().noneMatch(c -> constants(c).containsAll(normalized(f)))) {
                throw new IllegalArgumentException("codes of '" + f.target() + "' must name constants of "
                        + coded.stream()
                                .map(c -> Objects.requireNonNull(c.codes()).getSimpleName() + " " + constants(c))
                                .toList()
                        + ", not "
                        + normalized(f).stream()
                                .filter(n -> coded.stream()
                                        .noneMatch(c -> constants(c).contains(n)))
                                .toList());
            }
        }
        checkMoney(f.kind() == null ? candidates.get(0).kind() : f.kind(), f);
    }

    private static void checkMoney(ValueKind kind, FieldMapping f) {
        if (kind == ValueKind.MONEY && f.currency() == null && f.currencySource() == null) {
            throw new IllegalArgumentException("money needs its currency: add currency (an ISO 4217 code such as USD)"
                    + " or currencyFrom (the source field holding one)");
        }
    }

    private static List<String> constants(Field<?> field) {
        return Arrays.stream(Objects.requireNonNull(field.codes()).getEnumConstants())
                .map(Enum::name)
                .toList();
    }

    private static List<String> normalized(FieldMapping f) {
        return f.codes().values().stream()
                .map(c -> c.trim().toUpperCase(Locale.ROOT))
                .distinct()
                .toList();
    }

    private static String standardFields() {
        StringBuilder sb = new StringBuilder();
        for (EntityType t : EntityType.values()) {
            if (!t.fields().isEmpty()) {
                sb.append(sb.length() == 0 ? "" : "; ")
                        .append(t.name().toLowerCase(Locale.ROOT))
                        .append(": ")
                        .append(t.fields().stream().map(Field::name).toList());
            }
        }
        return sb.toString();
    }
}
