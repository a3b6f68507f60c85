package dev.switchboard.core.governance;

import dev.switchboard.core.Principal;
import org.jspecify.annotations.Nullable;

/**
 * Maps an application's principals to their identities in the vendor accounts behind its connections: the
 * hook an application serving several tenants uses so that the row rule ({@link AccessPolicy#rowLevel(
 * AccountMapping)}, {@link PermissionPolicy.Builder#accounts}) compares a record's ACL, written in the
 * vendor's ids, with the right vendor user, instead of writing its own policy.
 *
 * <p>For example, tenant {@code acme} of the application reads Salesforce org {@code 00D5e000000AbCd}
 * through connection {@code salesforce-acme}, and its users' Salesforce ids are in the application's
 * directory:
 *
 * <pre>{@code
 * AccountMapping accounts = (principal, connection) -> switch (connection) {
 *     case "salesforce-acme" -> principal.tenantId().equals("acme")
 *             ? new AccountIdentity("00D5e000000AbCd", directory.salesforceId(principal.userId()), Set.of())
 *             : null; // another tenant's users have no account in acme's org: they see nothing there
 *     default -> AccountMapping.sameIds().identity(principal, connection);
 * };
 * }</pre>
 *
 * <p>Implementations are thread-safe, quick (asked for each record the row rule filters; cache lookups of
 * a directory) and return the same answer for the same arguments for the length of a read. An exception
 * withholds the record (fail closed). A mapping is never asked about a {@linkplain Principal#system(String)
 * system principal}: it sees every record.
 */
@FunctionalInterface
public interface AccountMapping {
    /**
     * The principal's identity in the account behind {@code connection}, or null when the principal has no
     * account there (every record of that connection is then withheld from them, public ones included).
     */
    @Nullable
    AccountIdentity identity(Principal principal, String connection);

    /**
     * The mapping for applications whose ids are the vendor's: the principal's tenant id, user id and roles
     * are taken as the vendor tenant, user and groups on every connection. The default of the row rule.
     */
    static AccountMapping sameIds() {
        return SameIds.INSTANCE;
    }
}

/** A named class so the row rule can recognise it and skip building an identity per record. */
final class SameIds implements AccountMapping {
    static final SameIds INSTANCE = new SameIds();

    private SameIds() {}

    @Override
    public AccountIdentity identity(Principal principal, String connection) {
        return new AccountIdentity(principal.tenantId(), principal.userId(), principal.roles());
    }

    @Override
    public String toString() {
        return "AccountMapping.sameIds()";
    }
}
