package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.model.FieldType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds SOQL without pasting input into it. Identifiers (object and field names) must be in the
 * set the query was opened with (the stream's declared fields, which come from describe) and must
 * look like Salesforce API names; values only enter as escaped string literals or as boolean, number,
 * date and datetime literals re-formatted from a parsed value. Immutable; each method returns a new query.
 */
public final class Soql {
    /** API names: a letter, then letters, digits and single underscores; custom suffixes such as {@code __c}. */
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?:[A-Za-z][A-Za-z0-9]*__)?[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__[a-z]{1,3})?");

    private static final int MAX_IDENTIFIER = 80;

    private final String object;
    private final Set<String> allowed;
    private final List<String> select;
    private final List<String> conditions;
    private final List<String> orderBy;
    private final int limit;

    private Soql(
            String object,
            Set<String> allowed,
            List<String> select,
            List<String> conditions,
            List<String> orderBy,
            int limit) {
        this.object = object;
        this.allowed = allowed;
        this.select = select;
        this.conditions = conditions;
        this.orderBy = orderBy;
        this.limit = limit;
    }

    /**
     * A query on {@code object} whose field names must come from {@code fields}.
     *
     * @throws IllegalArgumentException when a name is not a valid API name
     */
    public static Soql from(String object, Set<String> fields) {
        checkIdentifier(object);
        Set<String> allowed = new LinkedHashSet<>();
        for (String f : fields) {
            allowed.add(checkIdentifier(f));
        }
        return new Soql(object, Set.copyOf(allowed), List.of(), List.of(), List.of(), 0);
    }

    /** Selects these fields, in order, without duplicates. */
    public Soql select(List<String> fields) {
        List<String> s = new ArrayList<>();
        for (String f : fields) {
            String name = field(f);
            if (!s.contains(name)) {
                s.add(name);
            }
        }
        return new Soql(object, allowed, List.copyOf(s), conditions, orderBy, limit);
    }

    /** Adds {@code field = 'value'} (ANDed with the other conditions), a quoted text literal. */
    public Soql whereEquals(String field, String value) {
        return and(field(field) + " = " + quote(value));
    }

    /**
     * Adds {@code field = literal} (ANDed with the other conditions), the value written as SOQL wants it
     * for the field's type: text quoted and escaped, a boolean as {@code true}/{@code false}, a number in
     * plain decimal, a date as {@code YYYY-MM-DD} and a datetime in UTC with milliseconds, all unquoted
     * (SOQL refuses a quoted boolean, number or date, and an unquoted text).
     *
     * @throws IllegalArgumentException when the value is not of that type
     */
    public Soql whereEquals(String field, FieldType type, String value) {
        return and(field(field) + " = " + literal(type, value));
    }

    /**
     * Adds {@code field IN ('a', 'b', ...)} (ANDed with the other conditions), each value a quoted and escaped
     * text literal.
     *
     * @throws IllegalArgumentException when {@code values} is empty (SOQL has no empty IN list)
     */
    public Soql whereIn(String field, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an IN condition needs at least one value");
        }
        List<String> quoted = new ArrayList<>(values.size());
        for (String v : values) {
            quoted.add(quote(v));
        }
        return and(field(field) + " IN (" + String.join(", ", quoted) + ")");
    }

    /**
     * Adds {@code cursorField >= at}: every record stamped at or after {@code at}, for a read that re-reads
     * a look-back window before where it resumes.
     */
    public Soql atOrAfter(String cursorField, Instant at) {
        return and(field(cursorField) + " >= " + SalesforceTime.soqlLiteral(at));
    }

    /** The literal SOQL needs for {@code value} in a field of {@code type}. */
    static String literal(FieldType type, String value) {
        return switch (type) {
            case BOOLEAN -> {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException(
                            "'" + abbreviate(value) + "' is not a boolean: use true or false");
                }
                yield value.toLowerCase(Locale.ROOT);
            }
            case INTEGER, NUMBER -> {
                try {
                    BigDecimal n = new BigDecimal(value.strip());
                    if (type == FieldType.INTEGER && n.stripTrailingZeros().scale() > 0) {
                        throw new IllegalArgumentException("'" + abbreviate(value) + "' is not a whole number");
                    }
                    yield n.toPlainString();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + abbreviate(value) + "' is not a number");
                }
            }
            case DATE -> {
                try {
                    yield LocalDate.parse(value).toString();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("'" + abbreviate(value) + "' is not a date (YYYY-MM-DD)");
                }
            }
            case TIMESTAMP -> SalesforceTime.soqlLiteral(SalesforceTime.parse(value));
            default -> quote(value);
        };
    }

    /**
     * Adds the resume condition of an incremental read: records strictly after ({@code cursor},
     * {@code id}) in (cursor, id) order, so equal cursor values are neither lost nor read twice.
     */
    public Soql after(String cursorField, Instant cursor, String idField, String id) {
        String c = field(cursorField);
        String i = field(idField);
        String at = SalesforceTime.soqlLiteral(cursor);
        return and("(" + c + " > " + at + " OR (" + c + " = " + at + " AND " + i + " > " + quote(id) + "))");
    }

    /** Orders ascending by these fields. */
    public Soql orderBy(String... fields) {
        List<String> o = new ArrayList<>();
        for (String f : fields) {
            o.add(field(f) + " ASC");
        }
        return new Soql(object, allowed, select, conditions, List.copyOf(o), limit);
    }

    public Soql limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        return new Soql(object, allowed, select, conditions, orderBy, limit);
    }

    private Soql and(String condition) {
        List<String> c = new ArrayList<>(conditions);
        c.add(condition);
        return new Soql(object, allowed, select, List.copyOf(c), orderBy, limit);
    }

    /** The query text. */
    public String text() {
        if (select.isEmpty()) {
            throw new IllegalStateException("a SOQL query needs at least one field");
        }
        StringBuilder sb = new StringBuilder("SELECT ")
                .append(String.join(", ", select))
                .append(" FROM ")
                .append(object);
        if (!conditions.isEmpty()) {
            sb.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        if (!orderBy.isEmpty()) {
            sb.append(" ORDER BY ").append(String.join(", ", orderBy));
        }
        if (limit > 0) {
            sb.append(" LIMIT ").append(limit);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    private String field(String name) {
        Objects.requireNonNull(name, "field");
        if (!allowed.contains(name)) {
            throw new IllegalArgumentException("'" + abbreviate(name) + "' is not a field of " + object);
        }
        return name;
    }

    /** Whether {@code name} has the shape of a Salesforce API name. */
    public static boolean isIdentifier(String name) {
        return name.length() <= MAX_IDENTIFIER && IDENTIFIER.matcher(name).matches();
    }

    private static String checkIdentifier(String name) {
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("'" + abbreviate(name) + "' is not a valid Salesforce API name");
        }
        return name;
    }

    /**
     * A SOQL string literal: quoted, with the escapes SOQL defines (backslash, both quotes, and the
     * control characters {@code \n \r \t \b \f}). Other control characters are refused: SOQL has no
     * escape for them.
     */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (ch < 0x20) {
                        throw new IllegalArgumentException(
                                "a SOQL value cannot contain control character U+" + String.format("%04X", (int) ch));
                    }
                    sb.append(ch);
                }
            }
        }
        return sb.append('\'').toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
