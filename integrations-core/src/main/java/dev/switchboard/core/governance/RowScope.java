package dev.switchboard.core.governance;

import dev.switchboard.core.model.Acl;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which records of one connection the access policy will keep for one principal by their ACL, handed to
 * connectors in {@link dev.switchboard.core.connector.StreamCall#rowScope()} so that a source able to do so
 * narrows its query (a SOQL or SQL predicate, a list of channels): push-down. It is a hint that only saves
 * work: core filters every record through the policy afterwards whatever the connector did, so a connector
 * that ignores it, or has a bug in its predicate, cannot leak a row.
 *
 * <p>Three kinds: {@link #unrestricted()} (the policy keeps records whatever their ACL: push nothing down),
 * {@link #nothing()} (the policy keeps no record: a connector may skip the read), and {@link #of} an
 * identity (the policy keeps what {@link AccountIdentity#sees} admits).
 */
public final class RowScope {
    private static final RowScope UNRESTRICTED = new RowScope(null, false);
    private static final RowScope NOTHING = new RowScope(null, true);

    private final @Nullable AccountIdentity identity;
    private final boolean nothing;

    private RowScope(@Nullable AccountIdentity identity, boolean nothing) {
        this.identity = identity;
        this.nothing = nothing;
    }

    /** The policy does not filter rows by ACL (a system principal, a policy without the row rule). */
    public static RowScope unrestricted() {
        return UNRESTRICTED;
    }

    /** The policy keeps no record of this connection for this principal. */
    public static RowScope nothing() {
        return NOTHING;
    }

    /** The policy keeps the records this identity {@linkplain AccountIdentity#sees sees}. */
    public static RowScope of(AccountIdentity identity) {
        return new RowScope(Objects.requireNonNull(identity, "identity"), false);
    }

    /** Whether the policy keeps records whatever their ACL. */
    public boolean isUnrestricted() {
        return identity == null && !nothing;
    }

    /** Whether the policy keeps no record. */
    public boolean keepsNothing() {
        return nothing;
    }

    /** The identity records are kept for, or null when the scope is unrestricted or keeps nothing. */
    public @Nullable AccountIdentity identity() {
        return identity;
    }

    /** Whether the policy's row rule would keep a record with this ACL. */
    public boolean admits(@Nullable Acl acl) {
        if (nothing) {
            return false;
        }
        return identity == null || identity.sees(acl);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowScope r && nothing == r.nothing && Objects.equals(identity, r.identity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(identity, nothing);
    }

    @Override
    public String toString() {
        return nothing
                ? "RowScope.nothing()"
                : identity == null ? "RowScope.unrestricted()" : "RowScope.of(" + identity + ")";
    }
}
