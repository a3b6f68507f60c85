package dev.switchboard.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * An authorization request sent to the user's browser and not yet answered: the URL to open, and
 * the {@code state} and PKCE {@code code_verifier} that the callback is checked against. A web app
 * keeps it in the user's server-side session between the redirect and the callback (see
 * {@link #restore}); it is single use, and {@link OAuthClient#exchange} refuses it once it is older than
 * the client's {@link OAuthClient.Builder#authorizationLifetime} (counted from {@link #createdAt}).
 * {@link #toString()} prints neither state nor verifier.
 */
public final class PendingAuthorization {
    private final URI authorizationUrl;
    private final URI redirectUri;
    private final String state;
    private final String codeVerifier;
    private final Instant createdAt;

    PendingAuthorization(URI authorizationUrl, URI redirectUri, String state, String codeVerifier, Instant createdAt) {
        this.authorizationUrl = Objects.requireNonNull(authorizationUrl);
        this.redirectUri = Objects.requireNonNull(redirectUri);
        this.state = Objects.requireNonNull(state);
        this.codeVerifier = Objects.requireNonNull(codeVerifier);
        this.createdAt = Objects.requireNonNull(createdAt);
    }

    /** Rebuilds a pending authorization a web app kept in its session. */
    public static PendingAuthorization restore(
            URI authorizationUrl, URI redirectUri, String state, String codeVerifier, Instant createdAt) {
        return new PendingAuthorization(authorizationUrl, redirectUri, state, codeVerifier, createdAt);
    }

    /** Where to send the user's browser. */
    public URI authorizationUrl() {
        return authorizationUrl;
    }

    /** The redirect URI sent in the request; the callback's scheme, host and path must match it. */
    public URI redirectUri() {
        return redirectUri;
    }

    /** The anti-forgery {@code state}; keep it server-side with the verifier. */
    public String state() {
        return state;
    }

    /** The PKCE code verifier: a secret, keep it server-side and never log it. */
    public String codeVerifier() {
        return codeVerifier;
    }

    /** When the request was created, by the creating client's clock. */
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        return "PendingAuthorization[redirectUri=" + redirectUri + ", createdAt=" + createdAt + "]";
    }
}
