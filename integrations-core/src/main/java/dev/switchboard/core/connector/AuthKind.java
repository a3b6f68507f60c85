package dev.switchboard.core.connector;

/** How a connector authenticates its requests. */
public enum AuthKind {
    /** No credential (public APIs, fakes). */
    NONE,
    /** A bearer token from the {@code CredentialSource} (OAuth 2.0 access token or API key). */
    BEARER
}
