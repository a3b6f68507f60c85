package dev.switchboard.core;

import java.util.Objects;
import java.util.Set;

/**
 * The person (or service) an agent acts for.
 *
 * <p>A <b>system</b> principal ({@link #system(String)}) is a component of the application itself (a
 * cache, agent memory, an indexer) following change feeds: the built-in policies let it read and
 * subscribe and pass it every record, so what it keeps can follow the source; what it later shows a user
 * must pass the policy for that user. Never let a model's request run as a system principal.
 *
 * @param userId the user's id in the application ({@code system:<name>} for a system principal)
 * @param tenantId the tenant the user belongs to ({@code *} for a system principal)
 * @param roles application roles, used by row-level policies
 * @param scopes granted scopes (operations the agent may perform for this user)
 * @param system whether it is a component of the application rather than a user
 */
public record Principal(String userId, String tenantId, Set<String> roles, Set<String> scopes, boolean system) {
    /** The tenant of system principals. */
    public static final String ALL_TENANTS = "*";

    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tenantId, "tenantId");
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
        if (!system && (userId.startsWith("system:") || tenantId.equals(ALL_TENANTS))) {
            throw new IllegalArgumentException("user ids starting with 'system:' and the tenant '*' are reserved for"
                    + " system principals: use Principal.system(name)");
        }
    }

    /** A user principal, as principals were before system ones. */
    public Principal(String userId, String tenantId, Set<String> roles, Set<String> scopes) {
        this(userId, tenantId, roles, scopes, false);
    }

    public static Principal user(String userId, String tenantId) {
        return new Principal(userId, tenantId, Set.of(), Set.of(), false);
    }

    /** A component of the application that follows change feeds (see the class comment). */
    public static Principal system(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException(
                    "a system principal's name is 1-64 letters, digits, '.', '_' or '-': " + name);
        }
        return new Principal("system:" + name, ALL_TENANTS, Set.of(), Set.of(), true);
    }

    public Principal withRoles(String... roles) {
        return new Principal(userId, tenantId, Set.of(roles), scopes, system);
    }

    public Principal withScopes(String... scopes) {
        return new Principal(userId, tenantId, roles, Set.of(scopes), system);
    }
}
