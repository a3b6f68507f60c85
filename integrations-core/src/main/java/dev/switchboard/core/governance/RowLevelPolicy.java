package dev.switchboard.core.governance;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.model.Record;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** {@link AccessPolicy#rowLevel(AccountMapping)}; also the row rule of {@link PermissionPolicy}. */
final class RowLevelPolicy implements AccessPolicy {
    private final AccountMapping accounts;

    RowLevelPolicy(AccountMapping accounts) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
    }

    @Override
    public AccessDecision authorize(AgentContext context, Operation operation) {
        return AccessDecision.allow("row-level policy filters records");
    }

    @Override
    public @Nullable Record filter(AgentContext context, Record record) {
        Principal principal = context.principal();
        if (principal.system()) {
            return record;
        }
        return visible(principal, record) ? record : null;
    }

    boolean visible(Principal principal, Record record) {
        if (accounts == SameIds.INSTANCE) { // the common case, without an identity built per record
            return AccountIdentity.sees(record.acl(), principal.tenantId(), principal.userId(), principal.roles());
        }
        AccountIdentity identity;
        try {
            identity = accounts.identity(principal, record.source().connection());
        } catch (RuntimeException e) {
            return false; // fail closed, as the mapping's contract says
        }
        return identity != null && identity.sees(record.acl());
    }

    @Override
    public RowScope rowScope(AgentContext context, String connection) {
        Principal principal = context.principal();
        if (principal.system()) {
            return RowScope.unrestricted();
        }
        AccountIdentity identity;
        try {
            identity = accounts.identity(principal, connection);
        } catch (RuntimeException e) {
            return RowScope.nothing();
        }
        return identity == null ? RowScope.nothing() : RowScope.of(identity);
    }

    @Override
    public String toString() {
        return "AccessPolicy.rowLevel(" + accounts + ")";
    }
}
