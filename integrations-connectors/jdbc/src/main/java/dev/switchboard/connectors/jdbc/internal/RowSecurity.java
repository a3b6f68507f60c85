package dev.switchboard.connectors.jdbc.internal;

import dev.switchboard.core.Principal;
import dev.switchboard.core.governance.AccountIdentity;
import dev.switchboard.core.governance.RowScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The principal inside the database: its attributes bound into SQL ({@code :user_id}, {@code :tenant_id},
 * {@code :roles}) and, for PostgreSQL's own row-level security, set with {@code set_config(name, value, true)}
 * (SET LOCAL: it ends with the transaction, so a pooled connection carries nothing to its next user).
 */
final class RowSecurity {
    /** The principal attributes SQL and settings can use. */
    static final Set<String> ATTRIBUTES = Set.of("user_id", "tenant_id", "roles");

    /**
     * The attributes of the reader's row scope ({@code StreamCall.rowScope()}): its identity in the database
     * as the application's {@code AccountMapping} gives it. A read's row filter and declared queries can use
     * them; with no identity (an unrestricted scope, or one that keeps nothing) each binds one NULL, which
     * matches nothing.
     */
    static final Set<String> SCOPE_ATTRIBUTES = Set.of("scope_tenant", "scope_user_id", "scope_groups");

    /** What a read's SQL can use: {@link #ATTRIBUTES} and {@link #SCOPE_ATTRIBUTES}. */
    static final Set<String> READ_ATTRIBUTES =
            Set.of("user_id", "tenant_id", "roles", "scope_tenant", "scope_user_id", "scope_groups");

    private final Map<String, String> postgresSettings;

    RowSecurity(Map<String, String> postgresSettings) {
        this.postgresSettings = Map.copyOf(postgresSettings);
    }

    boolean hasSettings() {
        return !postgresSettings.isEmpty();
    }

    /** Sets the PostgreSQL settings for {@code principal} in the connection's current transaction. */
    void apply(Connection connection, Principal principal) throws SQLException {
        if (postgresSettings.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> e : postgresSettings.entrySet()) {
            if (!values.isEmpty()) {
                sql.append(", ");
            }
            sql.append("set_config(?, ?, true)");
            values.add(e.getKey());
            values.add(text(principal, e.getValue()));
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                ps.setString(i + 1, values.get(i));
            }
            ps.executeQuery().close();
        }
    }

    /** A principal attribute as one text value (roles comma-joined, sorted). */
    static String text(Principal principal, String attribute) {
        return switch (attribute) {
            case "user_id" -> principal.userId();
            case "tenant_id" -> principal.tenantId();
            case "roles" -> String.join(",", principal.roles().stream().sorted().toList());
            default -> throw new IllegalArgumentException("unknown principal attribute " + attribute);
        };
    }

    /** How many placeholders read parameter {@code name} takes: one per group for {@code scope_groups}. */
    static int count(Principal principal, RowScope scope, String name) {
        if (name.equals("scope_groups")) {
            AccountIdentity identity = scope.identity();
            return identity == null ? 1 : Math.max(1, identity.groups().size());
        }
        return count(principal, name);
    }

    /**
     * Adds the values of read parameter {@code name}: a scope attribute from the scope's identity (NULL when
     * there is none, or it has no user id; one per group, sorted, for {@code scope_groups}), else the
     * principal's as {@link #bind(Binds, Principal, String)}.
     */
    static void bind(Binds binds, Principal principal, RowScope scope, String name) {
        if (!SCOPE_ATTRIBUTES.contains(name)) {
            bind(binds, principal, name);
            return;
        }
        AccountIdentity identity = scope.identity();
        List<String> values = new ArrayList<>();
        if (identity != null) {
            switch (name) {
                case "scope_tenant" -> values.add(identity.tenant());
                case "scope_user_id" -> {
                    String user = identity.userId();
                    if (user != null) {
                        values.add(user);
                    }
                }
                default -> values.addAll(identity.groups().stream().sorted().toList());
            }
        }
        if (values.isEmpty()) {
            binds.add((ps, i) -> ps.setNull(i, Types.VARCHAR));
        }
        for (String v : values) {
            binds.add((ps, i) -> ps.setString(i, v));
        }
    }

    /** How many placeholders {@code name} takes in SQL for {@code principal}: one per role for {@code roles}. */
    static int count(Principal principal, String name) {
        return name.equals("roles") ? Math.max(1, principal.roles().size()) : 1;
    }

    /**
     * Adds the values of principal parameter {@code name} to {@code binds}: one per role for {@code roles} (one
     * NULL when there is none, which matches nothing), else one.
     */
    static void bind(Binds binds, Principal principal, String name) {
        if (name.equals("roles")) {
            List<String> roles = principal.roles().stream().sorted().toList();
            if (roles.isEmpty()) {
                binds.add((ps, i) -> ps.setNull(i, Types.VARCHAR));
            }
            for (String role : roles) {
                binds.add((ps, i) -> ps.setString(i, role));
            }
            return;
        }
        String value = text(principal, name);
        binds.add((ps, i) -> ps.setString(i, value));
    }
}
