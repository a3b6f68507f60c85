package dev.switchboard.connectors.slack;

import java.util.List;
import java.util.Map;

/**
 * Slack's OAuth 2.0 facts, for wiring the connector to an OAuth provider (integrations-oauth). Slack
 * apps install through "OAuth v2": the bot token ({@code xoxb-}) is what this connector uses.
 *
 * <p>Quirks: the token response of {@code oauth.v2.access} says {@code "token_type": "bot"} (not
 * {@code Bearer}) and carries the workspace as {@code team.id}, which belongs in the connection's
 * {@link SlackSettings#TEAM_ID} setting; it answers errors as HTTP 200 with {@code "ok": false}.
 * Tokens do not expire unless the app opted into token rotation, in which case {@code expires_in}
 * (12 hours) and a {@code refresh_token} come back and the refresh uses the same endpoint with
 * {@code grant_type=refresh_token}. Scopes are comma-separated in the authorize URL.
 */
public final class SlackOAuth {
    private SlackOAuth() {}

    /** Where the user approves the installation. */
    public static final String AUTHORIZATION_ENDPOINT = "https://slack.com/oauth/v2/authorize";
    /** Code exchange and (with token rotation) refresh. */
    public static final String TOKEN_ENDPOINT = "https://slack.com/api/oauth.v2.access";
    /** Revokes the token the request is authenticated with. */
    public static final String REVOCATION_ENDPOINT = "https://slack.com/api/auth.revoke";
    /** Separator of scopes in the authorize URL's {@code scope} parameter. */
    public static final String SCOPE_SEPARATOR = ",";

    /** Bot scopes each stream and action needs. */
    public static final Map<String, List<String>> SCOPES_BY_OPERATION = Map.of(
            "conversations", List.of("channels:read", "groups:read"),
            "messages", List.of("channels:read", "groups:read", "channels:history", "groups:history"),
            "users", List.of("users:read"),
            "post_message", List.of("chat:write"),
            "reply_in_thread", List.of("chat:write", "channels:history", "groups:history"));

    /** Every bot scope the connector can use, to request at installation. */
    public static final List<String> ALL_SCOPES =
            List.of("channels:read", "groups:read", "channels:history", "groups:history", "users:read", "chat:write");
}
