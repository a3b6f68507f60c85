package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The subset of SOQL {@link FakeSalesforce} understands, enough for what connectors send:
 * {@code SELECT f, ... FROM Object [WHERE cond] [ORDER BY f [ASC|DESC], ...] [LIMIT n]}, where a
 * condition combines {@code field op literal} comparisons ({@code = != <> < <= > >=}) and
 * {@code field IN (literal, ...)} with
 * {@code AND}, {@code OR} and parentheses, and literals are quoted strings with SOQL's backslash
 * escapes, unquoted datetimes ({@code 2026-05-01T08:00:00.000Z}), dates ({@code 2026-05-01}), numbers,
 * {@code true}, {@code false} and {@code null}. Anything else is a {@link Malformed} query, as
 * Salesforce would answer {@code MALFORMED_QUERY}. Each comparison is kept ({@link Query#comparisons()})
 * so the fake can check its literal against the field's type, as Salesforce does before running a query.
 */
final class FakeSalesforceSoql {
    /** The query does not parse. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** One ORDER BY term. */
    record Order(String field, boolean ascending) {}

    /**
     * One {@code field op literal} comparison; {@code literal} is a String, Instant, LocalDate,
     * BigDecimal, Boolean, or null.
     */
    record Comparison(String field, @Nullable Object literal) {}

    /** A parsed query. {@link #fields()} lists every field named anywhere, for validation. */
    record Query(
            List<String> select,
            String object,
            Predicate<JsonObject> where,
            List<Order> orderBy,
            int limit,
            Set<String> fields,
            List<Comparison> comparisons) {
        Comparator<JsonObject> comparator() {
            Comparator<JsonObject> c = (a, b) -> 0;
            for (Order o : orderBy) {
                Comparator<JsonObject> byField = (a, b) -> compareValues(a.get(o.field()), b.get(o.field()));
                c = c.thenComparing(o.ascending() ? byField : byField.reversed());
            }
            return c;
        }
    }

    private final List<String> tokens;
    private final Set<String> named = new LinkedHashSet<>();
    private final List<Comparison> comparisons = new ArrayList<>();
    private int pos;

    private FakeSalesforceSoql(List<String> tokens) {
        this.tokens = tokens;
    }

    /** Fields whose conditions a buggy org ignores (every row passes them): see FakeSalesforce#ignoreConditionsOn. */
    private Set<String> ignored = Set.of();

    static Query parse(String soql) {
        return parse(soql, Set.of());
    }

    /** Parses {@code soql}; a condition on one of {@code ignored} holds for every row, as a vendor bug would. */
    static Query parse(String soql, Set<String> ignored) {
        FakeSalesforceSoql parser = new FakeSalesforceSoql(tokenize(soql));
        parser.ignored = Set.copyOf(ignored);
        return parser.query();
    }

    private Query query() {
        keyword("SELECT");
        List<String> select = new ArrayList<>();
        select.add(field());
        while (peekIs(",")) {
            pos++;
            select.add(field());
        }
        keyword("FROM");
        String object = identifier();
        Predicate<JsonObject> where = r -> true;
        if (peekKeyword("WHERE")) {
            pos++;
            where = orExpr();
        }
        List<Order> orderBy = new ArrayList<>();
        if (peekKeyword("ORDER")) {
            pos++;
            keyword("BY");
            do {
                if (peekIs(",")) {
                    pos++;
                }
                String f = field();
                boolean asc = true;
                if (peekKeyword("ASC")) {
                    pos++;
                } else if (peekKeyword("DESC")) {
                    pos++;
                    asc = false;
                }
                orderBy.add(new Order(f, asc));
            } while (peekIs(","));
        }
        int limit = 0;
        if (peekKeyword("LIMIT")) {
            pos++;
            try {
                limit = Integer.parseInt(next());
            } catch (NumberFormatException e) {
                throw new Malformed("LIMIT needs a number");
            }
        }
        if (pos != tokens.size()) {
            throw new Malformed("unexpected token: " + tokens.get(pos));
        }
        return new Query(
                List.copyOf(select),
                object,
                where,
                List.copyOf(orderBy),
                limit,
                Set.copyOf(named),
                List.copyOf(comparisons));
    }

    private Predicate<JsonObject> orExpr() {
        Predicate<JsonObject> left = andExpr();
        while (peekKeyword("OR")) {
            pos++;
            Predicate<JsonObject> l = left;
            Predicate<JsonObject> r = andExpr();
            left = row -> l.test(row) || r.test(row);
        }
        return left;
    }

    private Predicate<JsonObject> andExpr() {
        Predicate<JsonObject> left = term();
        while (peekKeyword("AND")) {
            pos++;
            Predicate<JsonObject> l = left;
            Predicate<JsonObject> r = term();
            left = row -> l.test(row) && r.test(row);
        }
        return left;
    }

    private Predicate<JsonObject> term() {
        if (peekIs("(")) {
            pos++;
            Predicate<JsonObject> inner = orExpr();
            expect(")");
            return inner;
        }
        String field = field();
        if (peekKeyword("IN")) {
            // field IN ('a', 'b'): any of the literals
            pos++;
            expect("(");
            List<@Nullable Object> values = new ArrayList<>();
            do {
                if (peekIs(",")) {
                    pos++;
                }
                Object value = literal(next());
                comparisons.add(new Comparison(field, value));
                values.add(value);
            } while (peekIs(","));
            expect(")");
            Predicate<JsonObject> in = row -> values.stream().anyMatch(v -> compareLiteral(row.get(field), v) == 0);
            return ignored.contains(field) ? row -> true : in;
        }
        String op = next();
        Object literal = literal(next());
        comparisons.add(new Comparison(field, literal));
        Predicate<JsonObject> compared = compare(field, op, literal);
        return ignored.contains(field) ? row -> true : compared;
    }

    private static Predicate<JsonObject> compare(String field, String op, @Nullable Object literal) {
        return switch (op) {
            case "=" -> row -> compareLiteral(row.get(field), literal) == 0;
            case "!=", "<>" -> row -> compareLiteral(row.get(field), literal) != 0;
            case "<" -> row -> literal != null && compareLiteral(row.get(field), literal) < 0;
            case "<=" -> row -> literal != null && compareLiteral(row.get(field), literal) <= 0;
            case ">" -> row -> literal != null && compareLiteral(row.get(field), literal) > 0;
            case ">=" -> row -> literal != null && compareLiteral(row.get(field), literal) >= 0;
            default -> throw new Malformed("unknown operator " + op);
        };
    }

    /** A literal token as a Java value: String, Instant, LocalDate, BigDecimal, Boolean, or null. */
    private static @Nullable Object literal(String token) {
        if (token.startsWith("'")) {
            return unescape(token);
        }
        String lower = token.toLowerCase(Locale.ROOT);
        if (lower.equals("null")) {
            return null;
        }
        if (lower.equals("true") || lower.equals("false")) {
            return Boolean.valueOf(lower);
        }
        if (token.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
            Instant at = parseDateTime(token);
            if (at == null) {
                throw new Malformed("bad datetime literal " + token);
            }
            return at;
        }
        if (token.matches("\\d{4}-\\d{2}-\\d{2}")) {
            try {
                return LocalDate.parse(token);
            } catch (DateTimeParseException e) {
                throw new Malformed("bad date literal " + token);
            }
        }
        try {
            return new BigDecimal(token);
        } catch (NumberFormatException e) {
            throw new Malformed("unexpected literal " + token);
        }
    }

    private static int compareLiteral(@Nullable JsonValue value, @Nullable Object literal) {
        boolean valueNull = value == null || value instanceof JsonNull;
        if (literal == null || valueNull) {
            return literal == null && valueNull ? 0 : (valueNull ? -1 : 1);
        }
        if (literal instanceof Instant at) {
            Instant v = value instanceof JsonString s ? parseDateTime(s.value()) : null;
            return v == null ? -1 : v.compareTo(at);
        }
        if (literal instanceof LocalDate day) {
            LocalDate v = null;
            if (value instanceof JsonString s) {
                try {
                    v = LocalDate.parse(s.value());
                } catch (DateTimeParseException e) {
                    v = null;
                }
            }
            return v == null ? -1 : v.compareTo(day);
        }
        if (literal instanceof BigDecimal n) {
            return value instanceof JsonNumber v ? v.value().compareTo(n) : -1;
        }
        if (literal instanceof Boolean b) {
            return value instanceof JsonBoolean v && v.value() == b ? 0 : -1;
        }
        return value instanceof JsonString s ? s.value().compareTo((String) literal) : -1;
    }

    static int compareValues(@Nullable JsonValue a, @Nullable JsonValue b) {
        boolean an = a == null || a instanceof JsonNull;
        boolean bn = b == null || b instanceof JsonNull;
        if (an || bn || a == null || b == null) { // the null checks repeat an and bn, for NullAway
            return an && bn ? 0 : (an ? -1 : 1); // nulls first, as Salesforce sorts ascending by default
        }
        if (a instanceof JsonNumber x && b instanceof JsonNumber y) {
            return x.value().compareTo(y.value());
        }
        if (a instanceof JsonString x && b instanceof JsonString y) {
            Instant ix = parseDateTime(x.value());
            Instant iy = parseDateTime(y.value());
            if (ix != null && iy != null) {
                return ix.compareTo(iy);
            }
            return x.value().compareTo(y.value());
        }
        return a.toJson().compareTo(b.toJson());
    }

    /** Salesforce's datetime forms: offset {@code Z}, {@code +hh:mm} or {@code +hhmm}. */
    static @Nullable Instant parseDateTime(String text) {
        String t = text.matches(".*[+-]\\d{4}$")
                ? text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2)
                : text;
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String unescape(String quoted) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = quoted.charAt(++i);
            sb.append(
                    switch (e) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case '\\', '\'', '"', '_', '%' -> e;
                        default -> throw new Malformed("invalid escape sequence \\" + e);
                    });
        }
        return sb.toString();
    }

    private String field() {
        String f = identifier();
        named.add(f);
        return f;
    }

    private String identifier() {
        String t = next();
        if (!t.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new Malformed("expected a name but found " + t);
        }
        return t;
    }

    private void keyword(String keyword) {
        String t = next();
        if (!t.equalsIgnoreCase(keyword)) {
            throw new Malformed("expected " + keyword + " but found " + t);
        }
    }

    private void expect(String token) {
        String t = next();
        if (!t.equals(token)) {
            throw new Malformed("expected " + token + " but found " + t);
        }
    }

    private boolean peekKeyword(String keyword) {
        return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(keyword);
    }

    private boolean peekIs(String token) {
        return pos < tokens.size() && tokens.get(pos).equals(token);
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw new Malformed("unexpected end of query");
        }
        return tokens.get(pos++);
    }

    private static List<String> tokenize(String soql) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < soql.length()) {
            char c = soql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                int j = i + 1;
                while (j < soql.length() && soql.charAt(j) != '\'') {
                    j += soql.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= soql.length()) {
                    throw new Malformed("unterminated string literal");
                }
                tokens.add(soql.substring(i, j + 1));
                i = j + 1;
            } else if (c == ',' || c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '=' || c == '<' || c == '>' || c == '!') {
                int j = i + 1;
                if (j < soql.length() && (soql.charAt(j) == '=' || (c == '<' && soql.charAt(j) == '>'))) {
                    j++;
                }
                String op = soql.substring(i, j);
                if (op.equals("!")) {
                    throw new Malformed("unexpected !");
                }
                tokens.add(op);
                i = j;
            } else {
                int j = i;
                while (j < soql.length()
                        && !Character.isWhitespace(soql.charAt(j))
                        && ",()=<>!'".indexOf(soql.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(soql.substring(i, j));
                i = j;
            }
        }
        return tokens;
    }
}
