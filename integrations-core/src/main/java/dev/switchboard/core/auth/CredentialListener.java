package dev.switchboard.core.auth;

/**
 * Hears about credential lifecycle events from {@link RefreshingCredentialSource}. Called on the
 * thread that ran the refresh; implementations are thread-safe, quick, and never throw. Events carry
 * keys and versions only, never secrets.
 */
public interface CredentialListener {
    /** A listener that ignores everything. */
    CredentialListener NONE = new CredentialListener() {};

    /** A refreshed credential was stored as {@code version}. */
    default void refreshed(String key, long version) {}

    /**
     * The grant behind {@code key} is gone (revoked, expired, {@code invalid_grant}): the connection
     * needs the user to authorize again. Raised once per failed version; callers get a
     * {@link dev.switchboard.core.error.ReauthorizationRequiredException} at once until a new
     * credential is stored.
     */
    default void reauthorizationRequired(String key, long version, String reason) {}
}
