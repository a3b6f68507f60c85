package dev.switchboard.core.connector;

/**
 * How a connector's calls are authenticated, and who applies the connection's credential. For the
 * kinds the pipeline applies ({@link #BEARER}, {@link #API_KEY}) every request sent through
 * {@link dev.switchboard.core.http.VendorHttp} carries it, and a rejected credential is refreshed and the request
 * replayed once. For the kinds the connector applies ({@link #PASSWORD}, {@link #SIGNED}) core sends nothing
 * itself: the connector takes the credential from its call ({@code StreamCall.credentials()}).
 */
public enum AuthKind {
    /** No credential (public APIs, fakes, an embedded database the application opened). */
    NONE,
    /** An OAuth 2.0 access token (or a token used the same way), sent as {@code Authorization: Bearer ...}. */
    BEARER,
    /**
     * A static API key, sent in the header {@link Connector#apiKeyHeader()} names ({@code X-API-Key},
     * {@code Authorization}...), as the credential's secret.
     */
    API_KEY,
    /** A user name and password the connector applies itself (a database login): nothing is sent by core. */
    PASSWORD,
    /** A signing secret the connector applies to each request itself (an HMAC or a signature header). */
    SIGNED;

    /** Whether core's HTTP pipeline attaches the credential to each request (and replays after a refresh). */
    public boolean appliedByPipeline() {
        return this == BEARER || this == API_KEY;
    }

    /** Whether the connection needs a credential at all. */
    public boolean needsCredential() {
        return this != NONE;
    }
}
