package dev.switchboard.core.governance;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
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

    /**
     * Which records of {@code connection} {@link #filter} will keep for this principal by their ACL, for a
     * connector to push down to its source ({@link RowScope}). It must never be narrower than what
     * {@code filter} keeps; wider only costs reading rows that are then withheld. Unrestricted by default.
     */
    default RowScope rowScope(AgentContext context, String connection) {
        return RowScope.unrestricted();
    }

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

            @Override
            public RowScope rowScope(AgentContext context, String connection) {
                return RowScope.nothing();
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
     * Row-level access by each record's {@link Acl}, with the principal's own ids taken as the vendor's
     * ({@link AccountMapping#sameIds()}); see {@link #rowLevel(AccountMapping)}.
     */
    static AccessPolicy rowLevel() {
        return rowLevel(AccountMapping.sameIds());
    }

    /**
     * Row-level access by each record's {@link Acl}: every operation is allowed, and a record is returned
     * only if the principal's identity in the record's connection ({@code accounts}) {@linkplain
     * AccountIdentity#sees sees} it: public, or of that identity's tenant and visible tenant-wide, owned by
     * that user, or readable by one of that identity's groups. A record without an ACL is withheld, and so is
     * every record of a connection where the principal has no identity. A {@linkplain
     * dev.switchboard.core.Principal#system(String) system principal} (a cache, agent memory) is given every
     * record, so what it keeps can follow the source; what it later shows a user must pass this filter for
     * that user.
     */
    static AccessPolicy rowLevel(AccountMapping accounts) {
        return new RowLevelPolicy(accounts);
    }
}
