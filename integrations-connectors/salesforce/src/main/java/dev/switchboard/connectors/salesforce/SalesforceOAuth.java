package dev.switchboard.connectors.salesforce;

import java.util.List;
import java.util.Map;

/**
 * Salesforce's OAuth 2.0 facts, for wiring the connector to an OAuth provider (web server flow with
 * PKCE). Quirks: the token response carries {@code instance_url} (store it as the credential
 * attribute {@link SalesforceConnector#INSTANCE_URL}: every request goes there) and {@code id}
 * (whose path holds the org id and user id), but no {@code expires_in}: an access token is refreshed
 * when a request is rejected with 401 {@code INVALID_SESSION_ID}. A refresh token is only issued
 * with the {@code refresh_token} scope and does not rotate by default. Sandboxes use
 * {@link #SANDBOX_HOST}; My Domain orgs may use their own host.
 */
public final class SalesforceOAuth {
    public static final String LOGIN_HOST = "https://login.salesforce.com";
    public static final String SANDBOX_HOST = "https://test.salesforce.com";
    public static final String AUTHORIZATION_PATH = "/services/oauth2/authorize";
    public static final String TOKEN_PATH = "/services/oauth2/token";
    public static final String REVOCATION_PATH = "/services/oauth2/revoke";
    public static final String AUTHORIZATION_ENDPOINT = LOGIN_HOST + AUTHORIZATION_PATH;
    public static final String TOKEN_ENDPOINT = LOGIN_HOST + TOKEN_PATH;
    public static final String REVOCATION_ENDPOINT = LOGIN_HOST + REVOCATION_PATH;

    /** REST API access: every stream and action needs it. */
    public static final String SCOPE_API = "api";
    /** A refresh token, so the connection outlives the access token. */
    public static final String SCOPE_REFRESH_TOKEN = "refresh_token";

    /** The scopes to request. Salesforce's scopes are coarse: object access comes from the user's profile. */
    public static final List<String> SCOPES = List.of(SCOPE_API, SCOPE_REFRESH_TOKEN);

    /** The scopes each stream and action needs, by name. */
    public static final Map<String, List<String>> SCOPES_BY_OPERATION = Map.of(
            "Account",
            List.of(SCOPE_API),
            "Contact",
            List.of(SCOPE_API),
            "Case",
            List.of(SCOPE_API),
            "Opportunity",
            List.of(SCOPE_API),
            "User",
            List.of(SCOPE_API),
            "Task",
            List.of(SCOPE_API),
            "update_case_status",
            List.of(SCOPE_API),
            "create_task",
            List.of(SCOPE_API),
            "add_case_comment",
            List.of(SCOPE_API));

    /** Token response fields to keep as credential attributes. */
    public static final String TOKEN_INSTANCE_URL = "instance_url";

    public static final String TOKEN_IDENTITY_URL = "id";

    private SalesforceOAuth() {}
}
