package dev.switchboard.core.governance;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AccessPolicy} made of named rules, declared in code ({@link #custom()}) or in a policy file
 * ({@link #fromFile}, JSON or YAML; see docs/governance.md). Immutable and thread-safe.
 *
 * <ul>
 *   <li><b>Grants</b> ({@link Builder#grant}) say which connections, streams and actions (name patterns,
 *       {@code *} for any run of characters) a role, a tenant or any user may use, and which action
 *       {@linkplain Effect effects}. Deny is the default: an operation no grant covers is denied, and the
 *       reason says what was missing.
 *   <li><b>Field rules</b> ({@link Builder#fields}) hide fields of a stream's records (removed by
 *       {@link #filter}) or forbid them (also removed, and a read that names one is refused).
 *   <li><b>Argument rules</b> ({@link Builder#argument}) admit an action only when a value of its input is
 *       within a range, is one of a set of values, or names a record the principal may see (through the
 *       application's {@link RecordVisibility}).
 *   <li>The <b>row rule</b> ({@link AccessPolicy#rowLevel()}, on unless {@link Builder#rowLevel(boolean)
 *       turned off}) withholds records the principal may not see by their ACL.
 * </ul>
 *
 * <p>{@link #authorize} allows an operation when a grant covers it and no field or argument rule that
 * applies refuses it; the first refusal wins and its reason names the rule. {@link #filter} applies the row
 * rule, then removes hidden and forbidden fields. Reasons name ids, rules, fields and input paths only,
 * never a record's data or an input's values, so they can go to the audit log as they are.
 *
 * <p>A {@linkplain Principal#system(String) system principal} may read, describe and follow every stream
 * and is given every record whole, as with the built-in policies (what it keeps must pass this policy again
 * before a user sees it); it may not run, preview or release anything. Rules never apply to it.
 */
public final class PermissionPolicy implements AccessPolicy {
    private final List<GrantRule> grants;
    private final List<FieldRule> fieldRules;
    private final List<ArgumentRule> argumentRules;
    private final boolean rowLevel;
    private final RowLevelPolicy rowRule;
    private final @Nullable RecordVisibility visibility;

    private PermissionPolicy(Builder b) {
        this.grants = List.copyOf(b.grants);
        this.fieldRules = List.copyOf(b.fieldRules);
        this.argumentRules = List.copyOf(b.argumentRules);
        this.rowLevel = b.rowLevel;
        this.rowRule = new RowLevelPolicy(b.accounts);
        this.visibility = b.visibility;
    }

    /** A builder with no rules (so everything denied) and the row rule on. */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * The policy a file declares ({@code .json}, {@code .yaml} or {@code .yml}). For a file whose argument
     * rules check visibility, use {@code custom().load(file).recordVisibility(...).build()}.
     *
     * @throws PolicyFileException naming the file, rule and field of the first mistake
     */
    public static PermissionPolicy fromFile(Path file) {
        return custom().load(file).build();
    }

    @Override
    public AccessDecision authorize(AgentContext context, Operation operation) {
        Principal principal = context.principal();
        if (principal.system()) {
            return switch (operation.kind()) {
                case READ, SUBSCRIBE, DESCRIBE ->
                    AccessDecision.allow("system principals read, describe and follow every stream");
                default ->
                    AccessDecision.deny(
                            "system principals may only read, describe and follow streams, not " + what(operation));
            };
        }
        boolean action = isAction(operation);
        GrantRule granted = null;
        GrantRule wrongEffect = null;
        for (GrantRule g : grants) {
            if (!g.scope.covers(principal, operation.connection())) {
                continue;
            }
            if (!NamePattern.anyMatches(action ? g.actions : g.streams, operation.name())) {
                continue;
            }
            if (!action || g.effects.contains(operation.effect())) {
                granted = g;
                break;
            }
            if (wrongEffect == null) {
                wrongEffect = g;
            }
        }
        if (granted == null) {
            String why = wrongEffect == null
                    ? "no rule grants it"
                    : "rule '" + wrongEffect.scope.name + "' grants it only for effects " + wrongEffect.effects
                            + ", not " + operation.effect();
            return AccessDecision.deny(describe(principal) + " may not " + what(operation) + ": " + why);
        }
        if (operation.kind() == Operation.Kind.READ && !operation.fields().isEmpty()) {
            for (FieldRule f : fieldRules) {
                if (!f.scope.covers(principal, operation.connection())
                        || !NamePattern.anyMatches(f.streams, operation.name())) {
                    continue;
                }
                for (String field : operation.fields()) {
                    if (f.forbidden.contains(field)) {
                        return AccessDecision.deny("rule '" + f.scope.name + "' forbids field '" + field + "' of "
                                + operation.connection() + "/" + operation.name() + " to " + describe(principal)
                                + ": read without it");
                    }
                }
            }
        }
        JsonObject input = operation.input();
        if (action && input != null) {
            for (ArgumentRule a : argumentRules) {
                if (!a.scope.covers(principal, operation.connection())
                        || !NamePattern.anyMatches(a.actions, operation.name())) {
                    continue;
                }
                String refused = a.refusal(context, operation, input, visibility);
                if (refused != null) {
                    return AccessDecision.deny(
                            "rule '" + a.scope.name + "' refuses " + what(operation) + ": " + refused);
                }
            }
        }
        return AccessDecision.allow("rule '" + granted.scope.name + "' grants " + what(operation));
    }

    @Override
    public @Nullable Record filter(AgentContext context, Record record) {
        Principal principal = context.principal();
        if (principal.system()) {
            return record;
        }
        if (rowLevel && !rowRule.visible(principal, record)) {
            return null;
        }
        JsonObject data = record.data();
        JsonObject kept = data;
        String connection = record.source().connection();
        for (FieldRule f : fieldRules) {
            if (f.scope.covers(principal, connection) && NamePattern.anyMatches(f.streams, record.stream())) {
                for (String field : f.removed) {
                    kept = kept.without(field); // the same object when absent: no copy for a field not there
                }
            }
        }
        return kept == data ? record : record.newBuilder().data(kept).build();
    }

    /** What the row rule keeps (unrestricted when it is off, or for a system principal). */
    @Override
    public RowScope rowScope(AgentContext context, String connection) {
        return rowLevel ? rowRule.rowScope(context, connection) : RowScope.unrestricted();
    }

    /** Names the rules, never a principal or a value. */
    @Override
    public String toString() {
        return "PermissionPolicy[grants=" + names(grants.stream().map(g -> g.scope))
                + ", fields=" + names(fieldRules.stream().map(f -> f.scope))
                + ", arguments=" + names(argumentRules.stream().map(a -> a.scope))
                + ", rowLevel=" + rowLevel + "]";
    }

    private static List<String> names(Stream<Scope> scopes) {
        return scopes.map(s -> s.name).toList();
    }

    private static boolean isAction(Operation operation) {
        return operation.kind() == Operation.Kind.ACTION || operation.kind() == Operation.Kind.PREVIEW;
    }

    /** What the operation does, with ids only: {@code run action helpdesk-acme/refund}. */
    static String what(Operation op) {
        String target = op.connection() + "/" + op.name();
        return switch (op.kind()) {
            case READ -> "read stream " + target;
            case SUBSCRIBE -> "follow stream " + target;
            case DESCRIBE -> "describe stream " + target;
            case QUARANTINE -> "see quarantined records of stream " + target;
            case ACTION -> "run action " + target;
            case PREVIEW -> "preview action " + target;
        };
    }

    private static String describe(Principal principal) {
        return principal.roles().isEmpty()
                ? "a principal without roles"
                : (principal.roles().size() == 1 ? "role " : "roles ")
                        + String.join(", ", new TreeSet<>(principal.roles()));
    }

    // ---- building -----------------------------------------------------------------------------------

    /** Builds a {@link PermissionPolicy}; each rule is checked as it is added, and names must be unique. */
    public static final class Builder {
        private final List<GrantRule> grants = new ArrayList<>();
        private final List<FieldRule> fieldRules = new ArrayList<>();
        private final List<ArgumentRule> argumentRules = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private boolean rowLevel = true;
        private AccountMapping accounts = AccountMapping.sameIds();
        private @Nullable RecordVisibility visibility;

        private Builder() {}

        /**
         * Grants streams and actions: {@code grant("support", g -> g.roles("support")
         * .connections("helpdesk-*").streams("tickets").actions("add_comment"))}.
         *
         * @throws IllegalArgumentException when the rule names no one, no connection, or neither streams nor
         *     actions, or its name is taken
         */
        public Builder grant(String name, Consumer<Grant> spec) {
            Grant g = new Grant(claim(name));
            spec.accept(g);
            grants.add(g.build());
            return this;
        }

        /**
         * Hides or forbids fields: {@code fields("no-email", f -> f.roles("support").connections("*")
         * .streams("tickets").hide("email"))}.
         *
         * @throws IllegalArgumentException when the rule names no connection, no stream or no field
         */
        public Builder fields(String name, Consumer<Fields> spec) {
            Fields f = new Fields(claim(name));
            spec.accept(f);
            fieldRules.add(f.build());
            return this;
        }

        /**
         * Checks a value of an action's input: {@code argument("small-refunds", a -> a.connections("*")
         * .actions("refund").path("/amount").between(BigDecimal.ZERO, BigDecimal.valueOf(100)))}.
         *
         * @throws IllegalArgumentException when the rule has no path, no action, no connection, or not
         *     exactly one check
         */
        public Builder argument(String name, Consumer<Argument> spec) {
            Argument a = new Argument(claim(name));
            spec.accept(a);
            argumentRules.add(a.build());
            return this;
        }

        /** Whether records pass {@link AccessPolicy#rowLevel()}'s ACL rule first; on by default. */
        public Builder rowLevel(boolean enabled) {
            this.rowLevel = enabled;
            return this;
        }

        /**
         * Maps principals to their identities in the vendor accounts the row rule compares ACLs with;
         * {@link AccountMapping#sameIds()} by default. Declared in code only: a policy file cannot name one.
         */
        public Builder accounts(AccountMapping accounts) {
            this.accounts = Objects.requireNonNull(accounts, "accounts");
            return this;
        }

        /** Answers the argument rules that need a record to be visible ({@link Argument#visibleIn}). */
        public Builder recordVisibility(RecordVisibility visibility) {
            this.visibility = Objects.requireNonNull(visibility, "visibility");
            return this;
        }

        /**
         * Adds the rules (and the {@code rowLevel} setting) a policy file declares.
         *
         * @throws PolicyFileException naming the file, rule and field of the first mistake
         */
        public Builder load(Path file) {
            PolicyFileReader.read(file, this);
            return this;
        }

        public PermissionPolicy build() {
            if (visibility == null) {
                for (ArgumentRule a : argumentRules) {
                    if (a.visibleIn != null) {
                        throw new IllegalStateException("rule '" + a.scope.name + "' lets the action run only on a "
                                + a.visibleIn + " record the principal may see, but no RecordVisibility answers"
                                + " that: set recordVisibility(...) on the builder");
                    }
                }
            }
            return new PermissionPolicy(this);
        }

        private String claim(String name) {
            Objects.requireNonNull(name, "name");
            if (!RULE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "a rule's name is 1-64 letters, digits, '.', '_' or '-': '" + abbreviate(name) + "'");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(
                        "rule '" + name + "' is declared twice: give each rule its own name");
            }
            return name;
        }
    }

    static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /**
     * Who a rule applies to and on which connections. With no roles and no tenants it applies to every user;
     * {@code roles} narrows it to principals with one of them, {@code tenants} to those tenants, and
     * {@code exceptRoles} leaves out principals with one of those.
     */
    public abstract static sealed class Rule<S extends Rule<S>> permits Grant, Fields, Argument {
        final String name;
        final Set<String> roles = new LinkedHashSet<>();
        final Set<String> tenants = new LinkedHashSet<>();
        final Set<String> exceptRoles = new LinkedHashSet<>();
        final List<NamePattern> connections = new ArrayList<>();
        boolean anyUser;

        Rule(String name) {
            this.name = name;
        }

        abstract S self();

        /** Applies to principals with one of these roles. */
        public S roles(String... roles) {
            this.roles.addAll(names("role", roles));
            return self();
        }

        /** Applies to every user (not to system principals); for a grant, says so explicitly. */
        public S anyUser() {
            this.anyUser = true;
            return self();
        }

        /** Applies only to principals of these tenants. */
        public S tenants(String... tenants) {
            this.tenants.addAll(names("tenant", tenants));
            return self();
        }

        /** Does not apply to principals with one of these roles (e.g. hide a field from all but managers). */
        public S exceptRoles(String... roles) {
            this.exceptRoles.addAll(names("role", roles));
            return self();
        }

        /** The connections (id patterns, {@code *} for any) the rule is about. */
        public S connections(String... patterns) {
            for (String p : patterns) {
                connections.add(NamePattern.of("connection", p));
            }
            return self();
        }

        Scope scope() {
            if (connections.isEmpty()) {
                throw new IllegalArgumentException("rule '" + name + "' names no connection: add connections(\"*\")"
                        + " for all, or the connection ids it is about");
            }
            return new Scope(
                    name, Set.copyOf(roles), Set.copyOf(tenants), Set.copyOf(exceptRoles), List.copyOf(connections));
        }

        private List<String> names(String what, String... values) {
            for (String v : values) {
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException("rule '" + name + "': a " + what + " cannot be blank");
                }
            }
            return Arrays.asList(values);
        }
    }

    /** A grant: the streams and actions a rule's principals may use. See {@link Builder#grant}. */
    public static final class Grant extends Rule<Grant> {
        private final List<NamePattern> streams = new ArrayList<>();
        private final List<NamePattern> actions = new ArrayList<>();
        private final Set<Effect> effects = EnumSet.noneOf(Effect.class);

        Grant(String name) {
            super(name);
        }

        @Override
        Grant self() {
            return this;
        }

        /** Streams (name patterns) that may be read, described, followed and their quarantine seen. */
        public Grant streams(String... patterns) {
            for (String p : patterns) {
                streams.add(NamePattern.of("stream", p));
            }
            return this;
        }

        /** Actions (name patterns) that may be run and previewed, if their effect is granted too. */
        public Grant actions(String... patterns) {
            for (String p : patterns) {
                actions.add(NamePattern.of("action", p));
            }
            return this;
        }

        /**
         * The action effects granted; {@code READ} and {@code WRITE} when not given, so a {@code DESTRUCTIVE}
         * action needs a grant that names its effect.
         */
        public Grant effects(Effect... effects) {
            this.effects.addAll(Arrays.asList(effects));
            return this;
        }

        GrantRule build() {
            if (roles.isEmpty() && tenants.isEmpty() && !anyUser) {
                throw new IllegalArgumentException(
                        "grant '" + name + "' names no one: add roles(...), tenants(...)" + " or anyUser()");
            }
            if (streams.isEmpty() && actions.isEmpty()) {
                throw new IllegalArgumentException(
                        "grant '" + name + "' grants nothing: add streams(...) or actions(...)");
            }
            Set<Effect> granted = effects.isEmpty() ? EnumSet.of(Effect.READ, Effect.WRITE) : effects;
            return new GrantRule(
                    scope(),
                    List.copyOf(streams),
                    List.copyOf(actions),
                    Collections.unmodifiableSet(EnumSet.copyOf(granted)));
        }
    }

    /** A field rule: fields of a stream's records hidden from, or forbidden to, its principals. */
    public static final class Fields extends Rule<Fields> {
        private final List<NamePattern> streams = new ArrayList<>();
        private final Set<String> hidden = new LinkedHashSet<>();
        private final Set<String> forbidden = new LinkedHashSet<>();

        Fields(String name) {
            super(name);
        }

        @Override
        Fields self() {
            return this;
        }

        /** The streams (name patterns) whose records the rule is about. */
        public Fields streams(String... patterns) {
            for (String p : patterns) {
                streams.add(NamePattern.of("stream", p));
            }
            return this;
        }

        /** Top-level fields removed from the records; a read may still name them (it gets them removed). */
        public Fields hide(String... fields) {
            hidden.addAll(fieldNames(fields));
            return this;
        }

        /** Top-level fields removed from the records, and a read that names one is refused. */
        public Fields forbid(String... fields) {
            forbidden.addAll(fieldNames(fields));
            return this;
        }

        private List<String> fieldNames(String... fields) {
            for (String f : fields) {
                if (f == null || f.isEmpty()) {
                    throw new IllegalArgumentException("rule '" + name + "': a field name cannot be empty");
                }
            }
            return Arrays.asList(fields);
        }

        FieldRule build() {
            if (streams.isEmpty()) {
                throw new IllegalArgumentException("rule '" + name + "' names no stream: add streams(...)");
            }
            if (hidden.isEmpty() && forbidden.isEmpty()) {
                throw new IllegalArgumentException("rule '" + name + "' names no field: add hide(...) or forbid(...)");
            }
            Set<String> removed = new LinkedHashSet<>(hidden);
            removed.addAll(forbidden);
            return new FieldRule(scope(), List.copyOf(streams), List.copyOf(removed), Set.copyOf(forbidden));
        }
    }

    /**
     * An argument rule: one check of one value of an action's input, named by a JSON pointer
     * ({@code /amount}, {@code /lines/0/sku}). A missing value (or JSON null) is refused.
     */
    public static final class Argument extends Rule<Argument> {
        private final List<NamePattern> actions = new ArrayList<>();
        private @Nullable JsonPointer path;
        private @Nullable BigDecimal min;
        private @Nullable BigDecimal max;
        private boolean ranged;
        private final Set<JsonValue> values = new LinkedHashSet<>();
        private @Nullable String visibleIn;

        Argument(String name) {
            super(name);
        }

        @Override
        Argument self() {
            return this;
        }

        /** The actions (name patterns) whose input the rule checks (runs and previews alike). */
        public Argument actions(String... patterns) {
            for (String p : patterns) {
                actions.add(NamePattern.of("action", p));
            }
            return this;
        }

        /** The value checked, as a JSON pointer into the input, e.g. {@code /amount}. */
        public Argument path(String pointer) {
            this.path = JsonPointer.parse(pointer);
            return this;
        }

        /** The value must be a number from {@code min} to {@code max}, both included. */
        public Argument between(BigDecimal min, BigDecimal max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException("rule '" + name + "': the range's min " + min.toPlainString()
                        + " is above its max " + max.toPlainString());
            }
            return range(min, max);
        }

        /** The value must be a number of at least {@code min}. */
        public Argument atLeast(BigDecimal min) {
            return range(Objects.requireNonNull(min, "min"), null);
        }

        /** The value must be a number of at most {@code max}. */
        public Argument atMost(BigDecimal max) {
            return range(null, Objects.requireNonNull(max, "max"));
        }

        private Argument range(@Nullable BigDecimal min, @Nullable BigDecimal max) {
            this.min = min;
            this.max = max;
            this.ranged = true;
            return this;
        }

        /** The value must be one of these strings. */
        public Argument oneOf(String... values) {
            for (String v : values) {
                this.values.add(new JsonString(v));
            }
            return this;
        }

        /** The value must equal one of these JSON values (numbers compare by value: 1.0 equals 1). */
        public Argument oneOf(JsonValue... values) {
            this.values.addAll(Arrays.asList(values));
            return this;
        }

        /**
         * The value is the id of a record of {@code stream} (on the action's connection) that the principal
         * must be able to see, as the builder's {@link RecordVisibility} says.
         */
        public Argument visibleIn(String stream) {
            this.visibleIn = NamePattern.of("stream", stream).text();
            return this;
        }

        ArgumentRule build() {
            if (actions.isEmpty()) {
                throw new IllegalArgumentException("rule '" + name + "' names no action: add actions(...)");
            }
            if (path == null) {
                throw new IllegalArgumentException("rule '" + name + "' has no path: add path(\"/field\")");
            }
            int checks = (ranged ? 1 : 0) + (values.isEmpty() ? 0 : 1) + (visibleIn == null ? 0 : 1);
            if (checks != 1) {
                throw new IllegalArgumentException("rule '" + name + "' must make exactly one check: between/atLeast/"
                        + "atMost, oneOf or visibleIn (found " + checks + "); split it into several rules");
            }
            return new ArgumentRule(
                    scope(), List.copyOf(actions), path, ranged, min, max, Set.copyOf(values), visibleIn);
        }
    }

    // ---- the immutable rules ------------------------------------------------------------------------

    /** Who a rule applies to, and on which connections. */
    record Scope(
            String name,
            Set<String> roles,
            Set<String> tenants,
            Set<String> exceptRoles,
            List<NamePattern> connections) {
        boolean covers(Principal principal, String connection) {
            if (principal.system()) {
                return false;
            }
            if (!tenants.isEmpty() && !tenants.contains(principal.tenantId())) {
                return false;
            }
            for (String role : principal.roles()) {
                if (exceptRoles.contains(role)) {
                    return false;
                }
            }
            if (!roles.isEmpty() && principal.roles().stream().noneMatch(roles::contains)) {
                return false;
            }
            return NamePattern.anyMatches(connections, connection);
        }
    }

    /** {@code effects} is an unmodifiable view of an EnumSet: a reason lists them in the enum's order. */
    record GrantRule(Scope scope, List<NamePattern> streams, List<NamePattern> actions, Set<Effect> effects) {}

    record FieldRule(Scope scope, List<NamePattern> streams, List<String> removed, Set<String> forbidden) {}

    record ArgumentRule(
            Scope scope,
            List<NamePattern> actions,
            JsonPointer path,
            boolean ranged,
            @Nullable BigDecimal min,
            @Nullable BigDecimal max,
            Set<JsonValue> values,
            @Nullable String visibleIn) {

        /** Why the input is refused, without its value; null when it passes. */
        @Nullable
        String refusal(
                AgentContext context, Operation operation, JsonObject input, @Nullable RecordVisibility visibility) {
            JsonValue value = path.resolve(input);
            if (value == null || value == JsonNull.INSTANCE) {
                return "input " + path + " is missing";
            }
            if (ranged) {
                if (!(value instanceof JsonNumber number)) {
                    return "input " + path + " is not a number";
                }
                if ((min != null && number.value().compareTo(min) < 0)
                        || (max != null && number.value().compareTo(max) > 0)) {
                    return "input " + path + " is outside the allowed range " + range();
                }
                return null;
            }
            if (!values.isEmpty()) {
                return values.contains(value) ? null : "input " + path + " is not one of the allowed values";
            }
            String stream = Objects.requireNonNull(visibleIn);
            String id = value instanceof JsonString s
                    ? s.value()
                    : value instanceof JsonNumber n ? n.value().toPlainString() : null;
            if (id == null) {
                return "input " + path + " is not a record id";
            }
            boolean visible;
            try {
                visible = visibility != null && visibility.visible(context, operation.connection(), stream, id);
            } catch (RuntimeException e) {
                // Fail closed; the exception's message could quote the record, so only its type is named.
                return "the visibility of the " + stream + " record named by input " + path + " could not be checked ("
                        + e.getClass().getSimpleName() + ")";
            }
            return visible
                    ? null
                    : "the " + stream + " record named by input " + path + " is not visible to this principal";
        }

        private String range() {
            return "[" + (min == null ? "" : min.toPlainString()) + ", " + (max == null ? "" : max.toPlainString())
                    + "]";
        }
    }

    /** A name pattern: letters, digits, '.', '_', '-', and {@code *} for any run of characters. */
    record NamePattern(String text, Pattern regex) {
        private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._*-]{1,128}");

        static NamePattern of(String what, String text) {
            Objects.requireNonNull(text, what);
            if (!VALID.matcher(text).matches()) {
                throw new IllegalArgumentException("a " + what + " pattern is letters, digits, '.', '_', '-' and '*'"
                        + " (any run of characters): '" + abbreviate(text) + "'");
            }
            String regex =
                    Arrays.stream(text.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
            return new NamePattern(text, Pattern.compile(regex));
        }

        static boolean anyMatches(List<NamePattern> patterns, String name) {
            for (NamePattern p : patterns) {
                if (p.regex.matcher(name).matches()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** An RFC 6901 JSON pointer into an action's input; never the empty pointer (the whole input). */
    record JsonPointer(String text, List<String> tokens) {
        static JsonPointer parse(String text) {
            Objects.requireNonNull(text, "path");
            if (!text.startsWith("/") || text.length() == 1) {
                throw new IllegalArgumentException("a path is a JSON pointer to a value of the input, such as"
                        + " /amount or /lines/0/sku: '" + abbreviate(text) + "'");
            }
            List<String> tokens = new ArrayList<>();
            for (String raw : text.substring(1).split("/", -1)) {
                if (raw.matches(".*~(?![01]).*")) {
                    throw new IllegalArgumentException(
                            "in a path, '~' is written ~0 and '/' within a name ~1: '" + abbreviate(text) + "'");
                }
                tokens.add(raw.replace("~1", "/").replace("~0", "~"));
            }
            return new JsonPointer(text, List.copyOf(tokens));
        }

        @Nullable
        JsonValue resolve(JsonValue root) {
            JsonValue at = root;
            for (String token : tokens) {
                if (at instanceof JsonObject object) {
                    at = object.get(token);
                } else if (at instanceof JsonArray array && token.matches("0|[1-9][0-9]{0,8}")) {
                    int i = Integer.parseInt(token);
                    at = i < array.size() ? array.get(i) : null;
                } else {
                    return null;
                }
                if (at == null) {
                    return null;
                }
            }
            return at;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
