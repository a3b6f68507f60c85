package dev.switchboard.core.governance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads a policy file into a {@link PermissionPolicy.Builder}. JSON and YAML are read by Jackson's streaming
 * parsers into core's own JSON model (no mutable tree leaves this class), with duplicate keys refused. The
 * file is checked here, in the file's own terms, so that each mistake names the file, the rule and the field
 * and says what to write instead; the builder then checks the rule again as it would one declared in code.
 */
final class PolicyFileReader {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Set<String> TOP = Set.of("rowLevel", "rules");
    private static final Set<String> RULE = Set.of("name", "grant", "fields", "argument");
    private static final Set<String> WHO = Set.of("roles", "tenants", "exceptRoles", "anyUser", "connections");
    private static final Set<String> GRANT = with(WHO, "streams", "actions", "effects");
    private static final Set<String> FIELDS = with(WHO, "streams", "hide", "forbid");
    private static final Set<String> ARGUMENT = with(WHO, "actions", "path", "range", "oneOf", "visibleIn");
    private static final Set<String> RANGE = Set.of("min", "max");

    private final Path file;

    private PolicyFileReader(Path file) {
        this.file = file;
    }

    static void read(Path file, PermissionPolicy.Builder into) {
        new PolicyFileReader(file).readInto(into);
    }

    private void readInto(PermissionPolicy.Builder into) {
        if (!(parse() instanceof JsonObject top)) {
            throw fail(
                    null,
                    null,
                    "must be an object with the key rules (and optionally rowLevel), for example"
                            + " rules: [{name: support-reads, grant: {...}}]");
        }
        checkKeys(top, null, "", TOP);
        JsonValue row = top.get("rowLevel");
        if (row != null) {
            if (!(row instanceof JsonBoolean b)) {
                throw fail(null, "rowLevel", "must be true or false (" + typeOf(row) + " found)");
            }
            into.rowLevel(b.value());
        }
        JsonValue rules = top.get("rules");
        if (rules == null) {
            throw fail(
                    null, "rules", "missing: list the rules, for example rules: [{name: support-reads, grant: {...}}]");
        }
        if (!(rules instanceof JsonArray list)) {
            throw fail(null, "rules", "must be a list of rules (" + typeOf(rules) + " found)");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            readRule(i, list.get(i), names, into);
        }
    }

    private void readRule(int index, JsonValue value, Set<String> names, PermissionPolicy.Builder into) {
        String at = "rules[" + index + "]";
        if (!(value instanceof JsonObject rule)) {
            throw fail(
                    at,
                    null,
                    "must be an object with a name and one of grant, fields or argument (" + typeOf(value) + " found)");
        }
        JsonValue nameValue = rule.get("name");
        if (nameValue == null) {
            throw fail(at, "name", "missing: give every rule a name, for example name: support-reads");
        }
        if (!(nameValue instanceof JsonString text)) {
            throw fail(at, "name", "must be a string (" + typeOf(nameValue) + " found)");
        }
        String name = text.value();
        if (!PermissionPolicy.RULE_NAME.matcher(name).matches()) {
            throw fail(at, "name", "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String label = "rule '" + name + "' (" + at + ")";
        if (!names.add(name)) {
            throw fail(label, "name", "is the name of an earlier rule: give each rule its own name");
        }
        checkKeys(rule, label, "", RULE);
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("grant", "fields", "argument")) {
            if (rule.has(kind)) {
                kinds.add(kind);
            }
        }
        if (kinds.size() != 1) {
            throw fail(
                    label,
                    kinds.isEmpty() ? null : String.join(", ", kinds),
                    kinds.isEmpty()
                            ? "says nothing: add one of grant, fields or argument"
                            : "has " + String.join(" and ", kinds) + ": one rule makes one kind of decision; split it");
        }
        String kind = kinds.get(0);
        JsonValue bodyValue = rule.get(kind);
        if (!(bodyValue instanceof JsonObject body)) {
            throw fail(label, kind, "must be an object (" + typeOf(bodyValue) + " found)");
        }
        RuleReader r = new RuleReader(label, kind, body);
        try {
            switch (kind) {
                case "grant" -> r.grant(name, into);
                case "fields" -> r.fields(name, into);
                default -> r.argument(name, into);
            }
        } catch (PolicyFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // A check the file reader does not repeat: the builder's message names the rule already.
            throw new PolicyFileException(file, label, kind, String.valueOf(e.getMessage()), e);
        }
    }

    /** One rule's body: {@code grant}, {@code fields} or {@code argument}. */
    private final class RuleReader {
        private final String label;
        private final String kind;
        private final JsonObject body;

        RuleReader(String label, String kind, JsonObject body) {
            this.label = label;
            this.kind = kind;
            this.body = body;
        }

        void grant(String name, PermissionPolicy.Builder into) {
            checkKeys(body, label, kind + ".", GRANT);
            Who who = who();
            if (who.roles.isEmpty() && who.tenants.isEmpty() && !who.anyUser) {
                throw fail(label, kind, "names no one: add roles: [...], tenants: [...] or anyUser: true");
            }
            List<String> streams = patterns("streams", "stream");
            List<String> actions = patterns("actions", "action");
            if (streams.isEmpty() && actions.isEmpty()) {
                throw fail(label, kind, "grants nothing: add streams: [...] or actions: [...]");
            }
            List<Effect> effects = new ArrayList<>();
            List<String> effectNames = strings("effects");
            for (int i = 0; i < effectNames.size(); i++) {
                effects.add(effect(effectNames.get(i), "effects[" + i + "]"));
            }
            into.grant(name, g -> {
                who.apply(g);
                g.streams(streams.toArray(String[]::new))
                        .actions(actions.toArray(String[]::new))
                        .effects(effects.toArray(Effect[]::new));
            });
        }

        void fields(String name, PermissionPolicy.Builder into) {
            checkKeys(body, label, kind + ".", FIELDS);
            Who who = who();
            List<String> streams = patterns("streams", "stream");
            if (streams.isEmpty()) {
                throw fail(label, kind + ".streams", "missing: list the streams (patterns) whose fields it is about");
            }
            List<String> hide = nonEmptyNames("hide");
            List<String> forbid = nonEmptyNames("forbid");
            if (hide.isEmpty() && forbid.isEmpty()) {
                throw fail(label, kind, "names no field: add hide: [field, ...] or forbid: [field, ...]");
            }
            into.fields(name, f -> {
                who.apply(f);
                f.streams(streams.toArray(String[]::new))
                        .hide(hide.toArray(String[]::new))
                        .forbid(forbid.toArray(String[]::new));
            });
        }

        void argument(String name, PermissionPolicy.Builder into) {
            checkKeys(body, label, kind + ".", ARGUMENT);
            Who who = who();
            List<String> actions = patterns("actions", "action");
            if (actions.isEmpty()) {
                throw fail(label, kind + ".actions", "missing: list the actions (patterns) whose input it checks");
            }
            JsonValue pathValue = body.get("path");
            if (pathValue == null) {
                throw fail(label, kind + ".path", "missing: name the value checked, for example path: /amount");
            }
            String path = string(pathValue, "path", "a JSON pointer such as /amount");
            try {
                PermissionPolicy.JsonPointer.parse(path);
            } catch (IllegalArgumentException e) {
                throw fail(label, kind + ".path", String.valueOf(e.getMessage()));
            }
            List<String> checks = new ArrayList<>();
            for (String check : List.of("range", "oneOf", "visibleIn")) {
                if (body.has(check)) {
                    checks.add(check);
                }
            }
            if (checks.size() != 1) {
                throw fail(
                        label,
                        kind,
                        checks.isEmpty()
                                ? "checks nothing: add one of range: {min: .., max: ..}, oneOf: [...] or visibleIn: <stream>"
                                : "has " + String.join(" and ", checks) + ": one rule makes one check; split it");
            }
            ArgumentCheck check = switch (checks.get(0)) {
                case "range" -> range();
                case "oneOf" -> oneOf();
                default -> visibleIn();
            };
            into.argument(name, a -> {
                who.apply(a);
                a.actions(actions.toArray(String[]::new)).path(path);
                check.accept(a);
            });
        }

        private ArgumentCheck range() {
            String field = kind + ".range";
            if (!(body.get("range") instanceof JsonObject range)) {
                throw fail(
                        label,
                        field,
                        "must be an object with min and/or max, for example range: {min: 0, max: 100}" + " ("
                                + typeOf(body.get("range")) + " found)");
            }
            checkKeys(range, label, field + ".", RANGE);
            BigDecimal min = number(range, "min");
            BigDecimal max = number(range, "max");
            if (min == null && max == null) {
                throw fail(label, field, "is empty: give min, max or both, for example range: {min: 0, max: 100}");
            }
            if (min != null && max != null && min.compareTo(max) > 0) {
                throw fail(
                        label,
                        field,
                        "min " + min.toPlainString() + " is above max " + max.toPlainString()
                                + ": write the smaller bound as min");
            }
            return a -> {
                if (min != null && max != null) {
                    a.between(min, max);
                } else if (min != null) {
                    a.atLeast(min);
                } else {
                    a.atMost(Objects.requireNonNull(max));
                }
            };
        }

        private @Nullable BigDecimal number(JsonObject range, String key) {
            JsonValue v = range.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonNumber n)) {
                throw fail(
                        label,
                        kind + ".range." + key,
                        "must be a number, for example " + key + ": 100 (" + typeOf(v) + " found)");
            }
            return n.value();
        }

        private ArgumentCheck oneOf() {
            String field = kind + ".oneOf";
            if (!(body.get("oneOf") instanceof JsonArray values) || values.isEmpty()) {
                throw fail(label, field, "must be a non-empty list of values, for example oneOf: [basic, pro]");
            }
            for (int i = 0; i < values.size(); i++) {
                JsonValue v = values.get(i);
                if (!(v instanceof JsonString || v instanceof JsonNumber || v instanceof JsonBoolean)) {
                    throw fail(
                            label,
                            field + "[" + i + "]",
                            "must be a string, number or boolean (" + typeOf(v) + " found)");
                }
            }
            JsonValue[] array = values.elements().toArray(JsonValue[]::new);
            return a -> a.oneOf(array);
        }

        private ArgumentCheck visibleIn() {
            String stream = string(body.get("visibleIn"), "visibleIn", "a stream name, for example visibleIn: tickets");
            if (stream.isEmpty() || stream.contains("*")) {
                throw fail(
                        label,
                        kind + ".visibleIn",
                        "must name one stream, without '*', for example" + " visibleIn: tickets");
            }
            return a -> a.visibleIn(stream);
        }

        private Who who() {
            JsonValue anyUser = body.get("anyUser");
            if (anyUser != null && !(anyUser instanceof JsonBoolean)) {
                throw fail(label, kind + ".anyUser", "must be true or false (" + typeOf(anyUser) + " found)");
            }
            List<String> connections = patterns("connections", "connection");
            if (connections.isEmpty()) {
                throw fail(
                        label,
                        kind + ".connections",
                        "missing: list the connection ids (patterns) it is about,"
                                + " or connections: [\"*\"] for all");
            }
            return new Who(
                    nonEmptyNames("roles"),
                    nonEmptyNames("tenants"),
                    nonEmptyNames("exceptRoles"),
                    anyUser == JsonBoolean.TRUE,
                    connections);
        }

        private Effect effect(String name, String key) {
            try {
                return Effect.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw fail(
                        label,
                        kind + "." + key,
                        "unknown effect '" + PermissionPolicy.abbreviate(name) + "': write READ, WRITE or DESTRUCTIVE");
            }
        }

        private List<String> patterns(String key, String what) {
            List<String> values = strings(key);
            for (int i = 0; i < values.size(); i++) {
                try {
                    PermissionPolicy.NamePattern.of(what, values.get(i));
                } catch (IllegalArgumentException e) {
                    throw fail(label, kind + "." + key + "[" + i + "]", String.valueOf(e.getMessage()));
                }
            }
            return values;
        }

        private List<String> nonEmptyNames(String key) {
            List<String> values = strings(key);
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i).isBlank()) {
                    throw fail(label, kind + "." + key + "[" + i + "]", "is blank: remove it or write a name");
                }
            }
            return values;
        }

        /** A list of strings; absent is empty, and a single string is refused (the mistake it usually hides). */
        private List<String> strings(String key) {
            JsonValue v = body.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof JsonArray array)) {
                throw fail(
                        label,
                        kind + "." + key,
                        "must be a list of strings, for example " + key + ": [\"" + example(key) + "\"] (" + typeOf(v)
                                + " found)");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof JsonString s)) {
                    throw fail(
                            label,
                            kind + "." + key + "[" + i + "]",
                            "must be a string (" + typeOf(array.get(i)) + " found)");
                }
                out.add(s.value());
            }
            return out;
        }

        private String string(@Nullable JsonValue v, String key, String example) {
            if (!(v instanceof JsonString s)) {
                throw fail(label, kind + "." + key, "must be a string: " + example + " (" + typeOf(v) + " found)");
            }
            return s.value();
        }
    }

    /** Applies a step of an argument rule once the whole body has been checked. */
    private interface ArgumentCheck extends java.util.function.Consumer<PermissionPolicy.Argument> {}

    private record Who(
            List<String> roles,
            List<String> tenants,
            List<String> exceptRoles,
            boolean anyUser,
            List<String> connections) {
        void apply(PermissionPolicy.Rule<?> rule) {
            rule.roles(roles.toArray(String[]::new))
                    .tenants(tenants.toArray(String[]::new))
                    .exceptRoles(exceptRoles.toArray(String[]::new))
                    .connections(connections.toArray(String[]::new));
            if (anyUser) {
                rule.anyUser();
            }
        }
    }

    private static String example(String key) {
        return switch (key) {
            case "roles", "exceptRoles" -> "support";
            case "tenants" -> "acme";
            case "connections" -> "helpdesk-*";
            case "streams" -> "tickets";
            case "actions" -> "add_comment";
            case "effects" -> "WRITE";
            default -> "email";
        };
    }

    // ---- checks shared by every level ----------------------------------------------------------------

    private void checkKeys(JsonObject object, @Nullable String rule, String prefix, Set<String> allowed) {
        for (String key : object.names()) {
            if (!allowed.contains(key)) {
                String shown = PermissionPolicy.abbreviate(key);
                String near = nearest(key, allowed);
                throw fail(
                        rule,
                        prefix + shown,
                        "unknown key"
                                + (near == null ? "" : " (did you mean '" + near + "'?)")
                                + ": write one of " + new TreeSet<>(allowed));
            }
        }
    }

    /** The allowed key a typo most likely meant: equal but for case, or at most two edits away. */
    private static @Nullable String nearest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : new TreeSet<>(allowed)) {
            int d = candidate.equalsIgnoreCase(key) ? 0 : distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2 || a.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private PolicyFileException fail(@Nullable String rule, @Nullable String field, String problem) {
        return new PolicyFileException(file, rule, field, problem);
    }

    private static String typeOf(@Nullable JsonValue v) {
        return v == null ? "nothing" : v.type().name().toLowerCase(Locale.ROOT);
    }

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> all = new HashSet<>(base);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }

    // ---- parsing -------------------------------------------------------------------------------------

    private JsonValue parse() {
        Path fileName = file.getFileName();
        String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json");
        if (!json && !name.endsWith(".yaml") && !name.endsWith(".yml")) {
            throw fail(null, null, "the file name must end in .json, .yaml or .yml, which says how to read it");
        }
        String format = json ? "JSON" : "YAML";
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyFileException(
                    file, null, null, "cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
        try (JsonParser parser = (json ? JSON : YAML).createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw fail(null, null, "is empty: write an object with the key rules");
            }
            JsonValue root = value(parser, first);
            if (parser.nextToken() != null) {
                throw fail(null, null, "holds more than one " + format + " document: keep one");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new PolicyFileException(
                    file,
                    null,
                    null,
                    "is not valid " + format
                            + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                            + ": " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new PolicyFileException(
                    file, null, null, "cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static JsonValue value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Map<String, JsonValue> fields = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    fields.put(key, value(parser, parser.nextToken()));
                }
                return JsonObject.of(fields);
            }
            case START_ARRAY -> {
                List<JsonValue> elements = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    elements.add(value(parser, next));
                }
                return JsonArray.of(elements);
            }
            case VALUE_STRING -> {
                return new JsonString(parser.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new JsonNumber(parser.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return JsonBoolean.TRUE;
            }
            case VALUE_FALSE -> {
                return JsonBoolean.FALSE;
            }
            case VALUE_NULL -> {
                return JsonNull.INSTANCE;
            }
            default -> throw new JsonProcessingException("unexpected " + token, parser.currentLocation()) {};
        }
    }
}
