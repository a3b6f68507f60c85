package dev.switchboard.connectors.jdbc;

import dev.switchboard.connectors.jdbc.internal.NamedSql;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A statement declared in code and run as an action ({@code JdbcConnector.builder().action(...)}): an
 * {@code INSERT}, {@code UPDATE}, {@code DELETE} or {@code CALL} with named parameters, each one a declared
 * input ({@link JdbcParameter}) or, for {@code :user_id}, {@code :tenant_id} and {@code :roles}, the acting
 * principal's. Core validates the input against {@link #inputSchema()} and asks for consent by the
 * {@link #effect()} before the statement runs; it runs once, in one transaction, and a failure rolls it back.
 *
 * <p>The rows it touched are reported as the action's {@code affected} records of {@link #stream()}: with
 * {@link #returning()} the statement returns them ({@code ... RETURNING *} on PostgreSQL) and each returned
 * row's key columns give its id; otherwise {@link #keyInputs()} names the inputs that hold the touched row's
 * key, in the stream's key order. A statement starting with {@code DELETE} reports its rows as deleted.
 *
 * @param name the action's name (letters, digits, {@code _})
 * @param description what it does, for a model choosing a tool
 * @param sql the statement
 * @param parameters the inputs, in order
 * @param effect {@link Effect#WRITE} or {@link Effect#DESTRUCTIVE} (both need consent); {@link Effect#READ} for a
 *     statement that changes nothing
 * @param retrySafe whether running it twice has the effect of once; when false, a commit whose answer was
 *     lost fails with outcome unknown instead of a retry
 * @param stream the stream whose records it touches, or null when it reports none
 * @param keyInputs the inputs that hold the touched row's key, in the stream's key order; empty with
 *     {@code returning} or without a stream
 * @param returning whether the statement returns the rows it touched
 */
public record JdbcAction(
        String name,
        String description,
        String sql,
        List<JdbcParameter> parameters,
        Effect effect,
        boolean retrySafe,
        @Nullable String stream,
        List<String> keyInputs,
        boolean returning) {
    public JdbcAction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sql, "sql");
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(effect, "effect");
        keyInputs = List.copyOf(keyInputs);
        if (!name.matches("[A-Za-z][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("an action's name is a letter then letters, digits or '_': " + name);
        }
        Map<String, JdbcParameter> byName = new LinkedHashMap<>();
        for (JdbcParameter p : parameters) {
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("action '" + name + "' declares input '" + p.name() + "' twice");
            }
        }
        for (String used : NamedSql.parse(sql).names()) {
            if (!byName.containsKey(used) && !JdbcQuery.PRINCIPAL_PARAMETERS.contains(used)) {
                throw new IllegalArgumentException("action '" + name + "' uses :" + used
                        + " which is neither a declared input nor one of " + JdbcQuery.PRINCIPAL_PARAMETERS);
            }
        }
        for (String k : keyInputs) {
            if (!byName.containsKey(k)) {
                throw new IllegalArgumentException("action '" + name + "': key input '" + k + "' is not declared");
            }
        }
        if (stream == null && (returning || !keyInputs.isEmpty())) {
            throw new IllegalArgumentException(
                    "action '" + name + "' names key inputs or returning rows but no" + " stream: call stream(...)");
        }
        if (returning && !keyInputs.isEmpty()) {
            throw new IllegalArgumentException("action '" + name + "': give key inputs or returning rows, not both");
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Whether the statement deletes the rows it touches (it starts with {@code DELETE}). */
    public boolean deletes() {
        return sql.strip().toUpperCase(Locale.ROOT).startsWith("DELETE");
    }

    /**
     * The JSON Schema (2020-12) of the input: an object with one property per parameter, the required ones
     * listed, nothing else allowed.
     */
    public JsonObject inputSchema() {
        JsonObject.Builder props = JsonObject.builder();
        List<JsonValue> required = new ArrayList<>();
        for (JdbcParameter p : parameters) {
            String type;
            @Nullable String format = null;
            switch (p.type()) {
                case INTEGER -> type = "integer";
                case NUMBER -> type = "number";
                case BOOLEAN -> type = "boolean";
                case TIMESTAMP -> {
                    type = "string";
                    format = "date-time";
                }
                case DATE -> {
                    type = "string";
                    format = "date";
                }
                case UUID -> {
                    type = "string";
                    format = "uuid";
                }
                default -> type = "string";
            }
            JsonObject.Builder prop = JsonObject.builder();
            if (p.required()) {
                prop.put("type", type);
            } else {
                prop.put("type", JsonArray.of(new JsonString(type), new JsonString("null")));
            }
            if (format != null) {
                prop.put("format", format);
            }
            if (!p.description().isEmpty()) {
                prop.put("description", p.description());
            }
            props.put(p.name(), prop.build());
            if (p.required()) {
                required.add(new JsonString(p.name()));
            }
        }
        return JsonObject.builder()
                .put("type", "object")
                .put("properties", props.build())
                .put("required", JsonArray.of(required))
                .put("additionalProperties", JsonBoolean.FALSE)
                .build();
    }

    /** Builds a {@link JdbcAction}; fails fast on a missing SQL or an undeclared parameter. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private @Nullable String sql;
        private final List<JdbcParameter> parameters = new ArrayList<>();
        private Effect effect = Effect.WRITE;
        private boolean retrySafe;
        private @Nullable String stream;
        private final List<String> keyInputs = new ArrayList<>();
        private boolean returning;

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        public Builder sql(String sql) {
            this.sql = Objects.requireNonNull(sql, "sql");
            return this;
        }

        public Builder parameter(JdbcParameter parameter) {
            parameters.add(Objects.requireNonNull(parameter, "parameter"));
            return this;
        }

        /** {@link Effect#WRITE} by default. */
        public Builder effect(Effect effect) {
            this.effect = Objects.requireNonNull(effect, "effect");
            return this;
        }

        /** False by default. */
        public Builder retrySafe(boolean retrySafe) {
            this.retrySafe = retrySafe;
            return this;
        }

        /** The stream whose rows it touches, identified by these inputs (in the stream's key order). */
        public Builder affects(String stream, String... keyInputs) {
            this.stream = Objects.requireNonNull(stream, "stream");
            this.keyInputs.addAll(List.of(keyInputs));
            return this;
        }

        /** The stream whose rows it touches, identified by the rows the statement returns. */
        public Builder affectsReturned(String stream) {
            this.stream = Objects.requireNonNull(stream, "stream");
            this.returning = true;
            return this;
        }

        public JdbcAction build() {
            if (sql == null) {
                throw new IllegalArgumentException("action '" + name + "' has no SQL: call sql(...)");
            }
            return new JdbcAction(name, description, sql, parameters, effect, retrySafe, stream, keyInputs, returning);
        }
    }
}
