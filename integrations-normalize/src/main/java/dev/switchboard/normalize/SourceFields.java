package dev.switchboard.normalize;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One source record, read field by field into typed {@link Value}s that carry their provenance.
 * What mappers work with. Every method returns empty for an absent or null source value, and for a
 * present value it cannot read as the asked type, which it notes in {@link #issues()} (field,
 * expected and observed shape; never the value) instead of throwing or coercing it. Not
 * thread-safe: one per record.
 *
 * <p>A path is a field name, or for a nested field names joined by dots ({@code profile.email});
 * a field whose own name contains a dot is found first.
 */
public final class SourceFields {
    private final Record record;
    private final Origin origin;
    private List<Drift> issues = List.of(); // allocated at the first issue: most records have none

    /** Reads {@code record}. */
    public SourceFields(Record record) {
        this.record = record;
        this.origin = Origin.of(record);
    }

    /** The record being read. */
    public Record record() {
        return record;
    }

    public Origin origin() {
        return origin;
    }

    /** A builder for an entity of {@code type} made from this record. */
    public Entity.Builder entity(EntityType type) {
        return Entity.builder(type, record, origin);
    }

    /** The values that could not be read as asked, so far. */
    public List<Drift> issues() {
        return issues.isEmpty() ? List.of() : List.copyOf(issues);
    }

    private void note(Drift issue) {
        if (issues.isEmpty()) {
            issues = new ArrayList<>(2);
        }
        issues.add(issue);
    }

    /** The JSON value at {@code path}, null or absent as empty. */
    public Optional<JsonValue> raw(String path) {
        JsonValue v = find(record.data(), path);
        return v == null || v.type() == JsonValue.Type.NULL ? Optional.empty() : Optional.of(v);
    }

    /** Text: a JSON string (blank counts as absent), or a number or boolean written as text. */
    public Optional<Value<String>> text(String path) {
        JsonValue v = present(path);
        if (v == null) {
            return Optional.empty();
        }
        String s = v instanceof JsonString str
                ? (str.value().isBlank() ? null : str.value())
                : v instanceof JsonNumber num
                        ? plain(num.value())
                        : v instanceof JsonBoolean bool ? Boolean.toString(bool.value()) : null;
        if (s == null) {
            return v instanceof JsonString ? Optional.empty() : issue(path, ValueKind.TEXT, v);
        }
        return value(s, path);
    }

    public Optional<Value<Email>> email(String path) {
        return parsed(path, ValueKind.EMAIL, Email::parse);
    }

    public Optional<Value<Phone>> phone(String path) {
        return parsed(path, ValueKind.PHONE, Phone::parse);
    }

    /**
     * A web domain from a website or domain field: lower case, without scheme, user, port, path,
     * trailing dot or leading {@code www.} ({@code https://www.Acme.com/about} becomes
     * {@code acme.com}). Text that is not a host name with a dot is an issue, never a guess.
     */
    public Optional<Value<String>> domain(String path) {
        return parsed(path, "DOMAIN", t -> Optional.ofNullable(host(t)));
    }

    private static @Nullable String host(String text) {
        // Index arithmetic over the text, one substring at the end: this runs for every organization.
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && text.charAt(end - 1) <= ' ') {
            end--;
        }
        int scheme = text.indexOf("://", start);
        if (scheme >= 0 && scheme < end) {
            start = scheme + 3;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        int at = text.lastIndexOf('@', end - 1);
        if (at >= start) {
            start = at + 1;
        }
        int port = text.indexOf(':', start);
        if (port >= 0 && port < end) {
            end = port;
        }
        if (end > start && text.charAt(end - 1) == '.') {
            end--;
        }
        if (text.regionMatches(true, start, "www.", 0, 4)) {
            start += 4;
        }
        int length = end - start;
        if (length < 3 || length > 253) {
            return null;
        }
        boolean dot = false;
        char previous = '.';
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (previous == '.' || i == start) {
                    return null;
                }
                dot = true;
            } else if (!(Character.isLetterOrDigit(c) || c == '-')) {
                return null;
            }
            previous = c;
        }
        if (!dot || text.charAt(start) == '-' || text.charAt(end - 1) == '-') {
            return null;
        }
        return text.substring(start, end).toLowerCase(Locale.ROOT);
    }

    /**
     * The record's own {@link Record#updatedAt()}, which the connector read from {@code sourceField}:
     * not parsed a second time. Falls back to {@link #timestamp(String)} of that field when the
     * record has none.
     */
    public Optional<Value<Instant>> updatedAt(String sourceField) {
        Instant updated = record.updatedAt();
        return updated != null && present(sourceField) != null ? value(updated, sourceField) : timestamp(sourceField);
    }

    /** A timestamp in UTC: see {@link Timestamps#parse(String)}; a JSON number is epoch time. */
    public Optional<Value<Instant>> timestamp(String path) {
        JsonValue v = present(path);
        if (v instanceof JsonNumber n) {
            Optional<Instant> t = epochSized(n.value()) ? Timestamps.epoch(n.value()) : Optional.empty();
            return t.isPresent() ? value(t.get(), path) : issue(path, ValueKind.TIMESTAMP, v);
        }
        return parsed(path, ValueKind.TIMESTAMP, Timestamps::parse);
    }

    /** An ISO date, {@code 2024-05-31}. */
    public Optional<Value<LocalDate>> date(String path) {
        return parsed(path, ValueKind.DATE, s -> {
            try {
                return Optional.of(LocalDate.parse(s.trim()));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    /** A number: a JSON number, or a decimal written as text (HubSpot sends every property as text). */
    public Optional<Value<BigDecimal>> number(String path) {
        JsonValue v = present(path);
        if (v instanceof JsonNumber n) {
            return value(n.value(), path);
        }
        return parsed(path, ValueKind.NUMBER, SourceFields::decimal);
    }

    /** A whole number that fits a {@code long}; {@code 12.0} counts, {@code 12.5} does not. */
    public Optional<Value<Long>> integer(String path) {
        JsonValue v = present(path);
        if (v == null) {
            return Optional.empty();
        }
        Optional<BigDecimal> n = v instanceof JsonNumber num
                ? Optional.of(num.value())
                : v instanceof JsonString s ? decimal(s.value()) : Optional.empty();
        try {
            if (n.isPresent()) {
                return value(n.get().stripTrailingZeros().longValueExact(), path);
            }
        } catch (ArithmeticException e) {
            // a fraction or out of range: an issue below, never a rounded value
        }
        return issue(path, ValueKind.INTEGER, v);
    }

    /** A boolean, or the text {@code true} / {@code false}. */
    public Optional<Value<Boolean>> bool(String path) {
        JsonValue v = present(path);
        if (v instanceof JsonBoolean b) {
            return value(b.value(), path);
        }
        return parsed(path, ValueKind.BOOLEAN, s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(Boolean.TRUE);
            case "false" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        });
    }

    /**
     * Money: the amount at {@code amountPath} in the currency named (ISO 4217) at {@code currencyPath}
     * when that path has one, else {@code defaultCurrency}; empty with an issue when neither gives a
     * known currency (an amount is never given a guessed currency).
     */
    public Optional<Value<Money>> money(
            String amountPath, @Nullable String currencyPath, @Nullable Currency defaultCurrency) {
        Optional<Value<BigDecimal>> amount = number(amountPath);
        if (amount.isEmpty()) {
            return Optional.empty();
        }
        Currency currency = defaultCurrency;
        if (currencyPath != null) {
            Optional<Value<String>> code = text(currencyPath);
            if (code.isPresent()) {
                try {
                    currency = Currency.getInstance(code.get().value().trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    return issue(currencyPath, ValueKind.MONEY, find(record.data(), currencyPath));
                }
            }
        }
        if (currency == null) {
            note(new Drift(amountPath, Drift.Kind.MISSING, "MONEY with a currency", "no currency"));
            return Optional.empty();
        }
        return value(new Money(amount.get().value(), currency), amountPath);
    }

    /** A coded value: see {@link Coded#of(Class, String, Map)}; an unknown source value becomes {@code OTHER}. */
    public <E extends Enum<E>> Optional<Value<Coded<E>>> coded(String path, Class<E> codes, Map<String, E> table) {
        // Here and below, no Optional.map with a capturing lambda: these run for most records.
        Optional<Value<String>> text = text(path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Value<String> v = text.get();
        return Optional.of(new Value<>(Coded.of(codes, v.value(), table), v.provenance()));
    }

    /**
     * A stage whose id is the text at {@code path}, its kind looked up in {@code kinds} as
     * {@link Coded#of} looks codes up, {@link StageKind#OTHER} when unknown.
     */
    public Optional<Value<Stage>> stage(String path, Map<String, StageKind> kinds) {
        Optional<Value<String>> text = text(path);
        if (text.isEmpty() || text.get().value().isBlank()) {
            return Optional.empty();
        }
        Value<String> v = text.get();
        StageKind kind = Coded.of(StageKind.class, v.value(), kinds).code();
        return Optional.of(new Value<>(new Stage(v.value(), null, null, kind), v.provenance()));
    }

    /** A reference to the record of {@code object} whose id is at {@code path}. */
    public Optional<Value<EntityRef>> ref(String path, EntityType type, String object) {
        Optional<Value<String>> text = text(path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Value<String> v = text.get();
        return Optional.of(new Value<>(
                new EntityRef(
                        type,
                        origin.connector(),
                        origin.connection(),
                        object,
                        v.value().trim()),
                v.provenance()));
    }

    /**
     * A postal address from its parts, each read as text; empty when no part is present. The
     * provenance names {@code sourceField}, the source's name for the whole address (Salesforce's
     * compound {@code MailingAddress}; HubSpot's {@code address}); a part that is not text is an issue.
     */
    public Optional<Value<Address>> address(
            String sourceField, String street, String city, String state, String postalCode, String country) {
        String s = part(street);
        String c = part(city);
        String st = part(state);
        String p = part(postalCode);
        String co = part(country);
        if (s == null && c == null && st == null && p == null && co == null) {
            return Optional.empty();
        }
        return value(new Address(s, c, st, p, co), sourceField);
    }

    private @Nullable String part(String path) {
        Optional<Value<String>> v = text(path);
        return v.isEmpty() ? null : v.get().value().trim();
    }

    /**
     * The present ones of {@code points}, in order, a value repeated under another field kept once (the
     * first), as one value derived from the record; empty when none is present.
     */
    @SafeVarargs
    public final <T> Optional<Value<List<ContactPoint<T>>>> contactPoints(Optional<ContactPoint<T>>... points) {
        List<ContactPoint<T>> out = new ArrayList<>(points.length);
        for (Optional<ContactPoint<T>> p : points) {
            if (p.isPresent()
                    && out.stream().noneMatch(q -> q.value().equals(p.get().value()))) {
                out.add(p.get());
            }
        }
        return out.isEmpty()
                ? Optional.empty()
                : Optional.of(new Value<>(List.copyOf(out), new Provenance(origin, null)));
    }

    /** The id at {@code path}, as an id of the same thing in {@code system}. */
    public Optional<Value<ExternalId>> externalId(String path, String system) {
        // Text that trims to nothing (control characters only) is no id: absent, as blank text is.
        Optional<Value<String>> text = text(path);
        if (text.isEmpty() || text.get().value().trim().isEmpty()) {
            return Optional.empty();
        }
        Value<String> v = text.get();
        return Optional.of(new Value<>(new ExternalId(system, v.value()), v.provenance()));
    }

    /** Any JSON value as the source sent it. */
    public Optional<Value<JsonValue>> json(String path) {
        return raw(path).flatMap(v -> value(v, path));
    }

    /**
     * A value of the given kind, for mappings defined by configuration. {@link ValueKind#CODED}
     * needs {@code codes} and {@code table}; {@link ValueKind#REF} needs {@code refType} and
     * {@code refObject}; {@link ValueKind#MONEY} reads its currency from {@code currencyPath} or uses
     * {@code currency}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Optional<? extends Value<?>> read(
            String path,
            ValueKind kind,
            @Nullable Class<? extends Enum<?>> codes,
            Map<String, String> table,
            @Nullable EntityType refType,
            @Nullable String refObject,
            @Nullable String currencyPath,
            @Nullable Currency currency) {
        return switch (kind) {
            case TEXT -> text(path);
            case EMAIL -> email(path);
            case PHONE -> phone(path);
            case MONEY -> money(path, currencyPath, currency);
            case TIMESTAMP -> timestamp(path);
            case DATE -> date(path);
            case NUMBER -> number(path);
            case INTEGER -> integer(path);
            case BOOLEAN -> bool(path);
            case JSON -> json(path);
            case STAGE -> {
                Map<String, StageKind> kinds = new java.util.LinkedHashMap<>();
                table.forEach((source, constant) -> kinds.put(source, StageKind.valueOf(constant)));
                yield stage(path, kinds);
            }
            case STRUCTURED ->
                throw new IllegalArgumentException(
                        "a structured value is built by a connector's mapper, never read from one source field");
            case REF -> ref(path, refType == null ? EntityType.GENERIC : refType, refObject == null ? path : refObject);
            case CODED -> {
                if (codes == null) {
                    throw new IllegalArgumentException("a coded value needs its enumeration");
                }
                Class<Enum> type = (Class<Enum>) (Class) codes;
                Map<String, Enum> resolved = new java.util.LinkedHashMap<>();
                table.forEach((source, constant) -> resolved.put(source, Enum.valueOf(type, constant)));
                yield coded(path, (Class) type, (Map) resolved);
            }
        };
    }

    private <T> Optional<Value<T>> parsed(
            String path, ValueKind kind, java.util.function.Function<String, Optional<T>> parser) {
        return parsed(path, kind.name(), parser);
    }

    private <T> Optional<Value<T>> parsed(
            String path, String expected, java.util.function.Function<String, Optional<T>> parser) {
        JsonValue v = present(path);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof JsonString s) {
            if (s.value().isBlank()) {
                return Optional.empty();
            }
            Optional<T> parsed = parser.apply(s.value());
            if (parsed.isPresent()) {
                return value(parsed.get(), path);
            }
        }
        return issue(path, expected, v);
    }

    private <T> Optional<Value<T>> value(T value, String path) {
        return Optional.of(new Value<>(value, new Provenance(origin, path)));
    }

    private <T> Optional<T> issue(String path, ValueKind expected, @Nullable JsonValue observed) {
        return issue(path, expected.name(), observed);
    }

    private <T> Optional<T> issue(String path, String expected, @Nullable JsonValue observed) {
        String shape = observed == null
                ? "null"
                : observed.type() == JsonValue.Type.STRING
                        ? "STRING that is not a " + expected
                        : observed.type().name();
        note(new Drift(path, Drift.Kind.TYPE_CHANGED, expected, shape));
        return Optional.empty();
    }

    private @Nullable JsonValue present(String path) {
        JsonValue v = find(record.data(), path);
        return v == null || v.type() == JsonValue.Type.NULL ? null : v;
    }

    // A number's digits written out, unless that would be huge: 1E+999999 is 9 bytes of JSON but a
    // million digits in plain form, so past 100 digits of exponent it keeps its scientific form.
    private static String plain(BigDecimal n) {
        return Math.abs((long) n.scale()) <= 100 ? n.toPlainString() : n.toString();
    }

    // Whether a number can be an epoch time at all (at most 20 integer digits, nanosecond precision
    // at most 100 decimals), checked before any arithmetic that would expand a huge exponent.
    private static boolean epochSized(BigDecimal n) {
        return n.precision() - (long) n.scale() <= 20 && n.scale() <= 100;
    }

    private static Optional<BigDecimal> decimal(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 100) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(t));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static @Nullable JsonValue find(JsonObject data, String path) {
        JsonValue direct = data.get(path);
        if (direct != null || path.indexOf('.') < 0) {
            return direct;
        }
        JsonValue current = data;
        int start = 0;
        while (start <= path.length()) {
            int dot = path.indexOf('.', start);
            String part = dot < 0 ? path.substring(start) : path.substring(start, dot);
            if (current instanceof JsonObject o) {
                current = o.get(part);
            } else if (current instanceof JsonArray a && isIndex(part) && Integer.parseInt(part) < a.size()) {
                current = a.get(Integer.parseInt(part));
            } else {
                return null;
            }
            if (current == null || dot < 0) {
                return current;
            }
            start = dot + 1;
        }
        return null;
    }

    private static boolean isIndex(String part) {
        return !part.isEmpty() && part.length() < 6 && part.chars().allMatch(Character::isDigit);
    }
}
