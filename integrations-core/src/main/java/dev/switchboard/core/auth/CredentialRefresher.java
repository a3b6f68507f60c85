package dev.switchboard.core.auth;

/**
 * Obtains a replacement for a credential (an OAuth refresh-token grant, for instance). It only
 * fetches: storing, single flight and version checks are the {@link RefreshingCredentialSource}'s
 * job, so no implementation can race another.
 */
@FunctionalInterface
public interface CredentialRefresher {
    /**
     * @param key the grant's key
     * @param current the credential to replace, as stored
     * @return the new credential (its version is set by the caller)
     * @throws dev.switchboard.core.error.ReauthorizationRequiredException when the grant is gone
     * @throws dev.switchboard.core.error.TransientException when the endpoint failed and may recover
     */
    Credential refresh(String key, Credential current);
}
