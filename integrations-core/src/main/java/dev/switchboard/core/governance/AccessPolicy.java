package dev.switchboard.core.governance;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Visibility;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a principal may do and see. Deny is the default: a Switchboard built without a
 * policy denies everything. Implementations are thread-safe and side-effect free.
 */
public interface AccessPolicy {
    /** Whether the principal may run the operation; asked before any request is sent. */
    AccessDecision authorize(AgentContext context, Operation operation);

    /**
     * The record as this principal may see it (possibly with fields removed), or null to withhold it.
     * Asked for every record after mapping, cached ones included.
     */
    @Nullable
    Record filter(AgentContext context, Record record);

    /** Denies every operation and withholds every record. */
    static AccessPolicy denyAll() {
        return new AccessPolicy() {
            @Override
            public AccessDecision authorize(AgentContext context, Operation operation) {
                return AccessDecision.deny(
                        "no access policy is configured (deny by default): set Switchboard.builder().accessPolicy(...)");
            }

            @Override
            public @Nullable Record filter(AgentContext context, Record record) {
                return null;
            }
        };
    }

    /** Allows everything. For demos and tests only: it gives every principal every record. */
    static AccessPolicy allowAll() {
        return new AccessPolicy() {
            @Override
            public AccessDecision authorize(AgentContext context, Operation operation) {
                return AccessDecision.allow("allow-all policy");
            }

            @Override
            public Record filter(AgentContext context, Record record) {
                return record;
            }
        };
    }

    /**
     * Row-level access by each record's {@link Acl}: every operation is allowed, and a record is
     * returned only if it has an ACL of the principal's tenant and is visible to the principal (public,
     * tenant-wide, owned by the user, or readable by one of the user's roles). A record without an
     * ACL is withheld. A {@linkplain dev.switchboard.core.Principal#system(String) system principal} (a
     * cache, agent memory) is given every record, so what it keeps can follow the source; what it later
     * shows a user must pass this filter for that user.
     */
    static AccessPolicy rowLevel() {
        return new AccessPolicy() {
            @Override
            public AccessDecision authorize(AgentContext context, Operation operation) {
                return AccessDecision.allow("row-level policy filters records");
            }

            @Override
            public @Nullable Record filter(AgentContext context, Record record) {
                if (context.principal().system()) {
                    return record;
                }
                Acl acl = record.acl();
                if (acl == null) {
                    return null;
                }
                if (acl.visibility() == Visibility.PUBLIC) {
                    return record;
                }
                if (!acl.tenant().equals(context.principal().tenantId())) {
                    return null;
                }
                boolean visible = acl.visibility() == Visibility.TENANT
                        || context.principal().userId().equals(acl.owner())
                        || acl.roles().stream().anyMatch(context.principal().roles()::contains);
                return visible ? record : null;
            }
        };
    }
}
