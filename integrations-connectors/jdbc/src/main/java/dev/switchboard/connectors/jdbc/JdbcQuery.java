package dev.switchboard.connectors.jdbc;

import dev.switchboard.connectors.jdbc.internal.NamedSql;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A named, parameterized query declared in code, read as a stream of its own
 * ({@code JdbcConnector.builder().query(...)}). Its SQL is the application's, never a caller's: a caller
 * supplies only parameter values, through the read request's filter ({@code ReadRequest.where("status",
 * "open")}), and every value is bound. Reads wrap it ({@code SELECT * FROM (<sql>) q WHERE ... ORDER BY key
 * FETCH FIRST n ROWS ONLY}), so it is paged by key like a table and filtered by the connection's row filter
 * for the stream; it must not end with {@code ;}, {@code ORDER BY} or {@code LIMIT}.
 *
 * <p>Named parameters: {@code :user_id}, {@code :tenant_id} and {@code :roles} (a comma list of placeholders,
 * for {@code IN (:roles)}) are bound from the reader's principal, and {@code :scope_tenant},
 * {@code :scope_user_id} and {@code :scope_groups} from its row scope as {@link JdbcConnector#ROW_FILTER_PREFIX}
 * describes; every other {@code :name} is a parameter
 * the read request's filter must supply. The columns come from the database's description of the query.
 *
 * @param name the stream's name (letters, digits, {@code _})
 * @param sql the query
 * @param key the columns that identify a row of the result, in order
 * @param cursor the column incremental reads resume by, or null for full reads only
 * @param description what one row is, for a model choosing a tool
 */
public record JdbcQuery(
        String name, String sql, List<String> key, @Nullable String cursor, String description) {
    /** Parameters bound from the principal, in every declared query, action and row filter. */
    public static final Set<String> PRINCIPAL_PARAMETERS = Set.of("user_id", "tenant_id", "roles");

    /**
     * Parameters bound from the reader's row scope (its identity as the application's {@code AccountMapping}
     * gives it), in declared queries and row filters (not in actions).
     */
    public static final Set<String> SCOPE_PARAMETERS = Set.of("scope_tenant", "scope_user_id", "scope_groups");

    public JdbcQuery {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
        key = List.copyOf(key);
        Objects.requireNonNull(description, "description");
        if (!name.matches("[A-Za-z][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(
                    "a query's name is a letter then letters, digits or '_' (at most 63): " + name);
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("query '" + name + "' declares no key column: name the columns that"
                    + " identify a row of its result");
        }
        if (sql.strip().endsWith(";")) {
            throw new IllegalArgumentException("query '" + name + "' ends with ';': give one statement without it");
        }
        NamedSql.parse(sql); // quotes and comments are closed
    }

    /** Starts a query named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * The parameters the read request's filter supplies: the named parameters not bound from the principal or
     * its row scope.
     */
    public Set<String> parameters() {
        Set<String> out = new LinkedHashSet<>();
        for (String n : NamedSql.parse(sql).names()) {
            if (!PRINCIPAL_PARAMETERS.contains(n) && !SCOPE_PARAMETERS.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Builds a {@link JdbcQuery}; fails fast on a missing SQL or key. */
    public static final class Builder {
        private final String name;
        private @Nullable String sql;
        private final List<String> key = new ArrayList<>();
        private @Nullable String cursor;
        private String description = "";

        private Builder(String name) {
            this.name = name;
        }

        public Builder sql(String sql) {
            this.sql = Objects.requireNonNull(sql, "sql");
            return this;
        }

        /** The key columns of the result, in order. */
        public Builder key(String... columns) {
            key.addAll(List.of(columns));
            return this;
        }

        public Builder cursor(String column) {
            this.cursor = Objects.requireNonNull(column, "column");
            return this;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        public JdbcQuery build() {
            if (sql == null) {
                throw new IllegalArgumentException("query '" + name + "' has no SQL: call sql(...)");
            }
            return new JdbcQuery(name, sql, key, cursor, description);
        }
    }
}
