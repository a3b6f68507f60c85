package dev.switchboard.core.model;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may see a record, as its source says. A record without an ACL is denied by row-level
 * policies: the absence of a rule never means "everyone".
 *
 * @param owner the owning user id at the source, if any
 * @param tenant the tenant (organization, portal, workspace) the record belongs to
 * @param visibility who besides the owner may see it
 * @param roles roles that may see it whatever its visibility
 */
public record Acl(@Nullable String owner, String tenant, Visibility visibility, Set<String> roles) {
    public Acl {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(visibility, "visibility");
        roles = Set.copyOf(roles);
    }

    public static Acl tenant(String tenant) {
        return new Acl(null, tenant, Visibility.TENANT, Set.of());
    }

    public static Acl owned(String owner, String tenant) {
        return new Acl(owner, tenant, Visibility.PRIVATE, Set.of());
    }

    public Acl withRoles(String... roles) {
        return new Acl(owner, tenant, visibility, Set.of(roles));
    }
}
