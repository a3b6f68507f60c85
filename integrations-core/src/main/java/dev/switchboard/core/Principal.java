package dev.switchboard.core;

import java.util.Objects;
import java.util.Set;

/**
 * The person (or service) an agent acts for.
 *
 * @param userId the user's id in the application
 * @param tenantId the tenant the user belongs to
 * @param roles application roles, used by row-level policies
 * @param scopes granted scopes (operations the agent may perform for this user)
 */
public record Principal(String userId, String tenantId, Set<String> roles, Set<String> scopes) {
    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tenantId, "tenantId");
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
    }

    public static Principal user(String userId, String tenantId) {
        return new Principal(userId, tenantId, Set.of(), Set.of());
    }

    public Principal withRoles(String... roles) {
        return new Principal(userId, tenantId, Set.of(roles), scopes);
    }

    public Principal withScopes(String... scopes) {
        return new Principal(userId, tenantId, roles, Set.of(scopes));
    }
}
