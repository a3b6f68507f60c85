package dev.switchboard.core.auth;

/**
 * Where the pipeline gets the credential for a request. Keys name a grant: the connection id in
 * {@code SHARED} token mode, the connection and principal in {@code PER_PRINCIPAL} mode.
 */
public interface CredentialSource {
    /**
     * The credential to send now.
     *
     * @throws dev.switchboard.core.error.ReauthorizationRequiredException when there is none, or the
     *     grant is known to be revoked
     */
    Credential current(String key);

    /**
     * Called when the vendor rejected the credential of {@code rejectedVersion}. Refreshes only if
     * that version is still the current one, so a burst of rejections causes one refresh; otherwise
     * returns the newer credential already stored.
     *
     * @throws dev.switchboard.core.error.ReauthorizationRequiredException when no refresh is possible
     */
    Credential refreshAfterRejection(String key, long rejectedVersion);

    /**
     * Registers a listener for credential events (a refresh stored, a grant that needs reauthorization);
     * the Switchboard registers one that audits them to its own sink. Sources that raise no events ignore it.
     */
    default void addListener(CredentialListener listener) {}

    /** Unregisters a listener added with {@link #addListener}. */
    default void removeListener(CredentialListener listener) {}
}
