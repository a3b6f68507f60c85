package dev.switchboard.oauth;

/** How the client authenticates at the token and revocation endpoints. */
public enum ClientAuthMethod {
    /** A public client (CLI, desktop): sends its client id only; PKCE protects the code. */
    NONE,
    /** HTTP Basic with client id and secret (RFC 6749 section 2.3.1); the default for confidential clients. */
    CLIENT_SECRET_BASIC,
    /** Client id and secret in the form body (Salesforce, Slack accept this). */
    CLIENT_SECRET_POST
}
