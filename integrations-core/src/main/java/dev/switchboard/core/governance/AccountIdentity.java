package dev.switchboard.core.governance;

import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Visibility;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who a principal is in the vendor account behind one connection, in the vendor's own ids: the values a
 * connector writes into each record's {@link Acl}. The row rule compares these, never the application's
 * ids, with a record's ACL.
 *
 * @param tenant the vendor account (Salesforce org id, HubSpot portal id, Slack team id, a database's tenant
 *     value) as connectors write it into {@link Acl#tenant()}
 * @param userId the principal's user id at the vendor ({@link Acl#owner()} of the records they own), or null
 *     when they have none (they then see no record that is private to an owner)
 * @param groups the vendor groups the principal belongs to, as connectors write them into {@link Acl#roles()}
 *     (Slack channels, HubSpot teams, Salesforce users and groups records are shared with; each connector's
 *     docs name its forms)
 */
public record AccountIdentity(String tenant, @Nullable String userId, Set<String> groups) {
    public AccountIdentity {
        Objects.requireNonNull(tenant, "tenant");
        groups = Set.copyOf(groups);
    }

    /**
     * Whether a record with this ACL is visible to this identity: public, or of this tenant and either visible
     * tenant-wide, owned by this user, or readable by one of these groups. A record without an ACL is not.
     */
    public boolean sees(@Nullable Acl acl) {
        return sees(acl, tenant, userId, groups);
    }

    /** The row rule itself, for callers that hold the three values without an identity. */
    static boolean sees(@Nullable Acl acl, String tenant, @Nullable String userId, Set<String> groups) {
        if (acl == null) {
            return false;
        }
        if (acl.visibility() == Visibility.PUBLIC) {
            return true;
        }
        if (!acl.tenant().equals(tenant)) {
            return false;
        }
        if (acl.visibility() == Visibility.TENANT || (userId != null && userId.equals(acl.owner()))) {
            return true;
        }
        for (String role : acl.roles()) {
            if (groups.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** Names the tenant only: user ids and groups are personal data. */
    @Override
    public String toString() {
        return "AccountIdentity[tenant=" + tenant + ", groups=" + groups.size() + "]";
    }
}
