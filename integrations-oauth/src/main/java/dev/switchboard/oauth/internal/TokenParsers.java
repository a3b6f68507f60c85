package dev.switchboard.oauth.internal;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonFormatException;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.oauth.TokenGrant;
import dev.switchboard.oauth.TokenHttpResponse;
import dev.switchboard.oauth.TokenResponseParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The built-in token-response parsers and the shared mapping of OAuth error codes to our errors. */
public final class TokenParsers {
    private static final String C = "oauth";
    private static final String OP = "token-endpoint";

    private TokenParsers() {}

    public static TokenResponseParser nimbus(Set<String> keptAttributes) {
        Set<String> kept = Set.copyOf(keptAttributes);
        return response -> {
            rejectNonJson(response);
            HTTPResponse http = new HTTPResponse(response.status());
            if (response.contentType() != null) {
                try {
                    http.setContentType(response.contentType());
                } catch (ParseException e) {
                    http.setHeader("Content-Type", "application/json");
                }
            }
            http.setBody(response.body());
            TokenResponse parsed;
            try {
                parsed = TokenResponse.parse(http);
            } catch (ParseException e) {
                throw malformed(response);
            }
            if (!parsed.indicatesSuccess()) {
                ErrorObject error = ((TokenErrorResponse) parsed).getErrorObject();
                throw fromErrorCode(
                        error == null || error.getCode() == null ? "unknown" : error.getCode(), response.status());
            }
            AccessTokenResponse ok = parsed.toSuccessResponse();
            long lifetime = ok.getTokens().getAccessToken().getLifetime();
            RefreshToken rt = ok.getTokens().getRefreshToken();
            Map<String, String> attributes = new LinkedHashMap<>();
            for (Map.Entry<String, Object> p : ok.getCustomParameters().entrySet()) {
                if (kept.contains(p.getKey()) && p.getValue() != null) {
                    attributes.put(p.getKey(), String.valueOf(p.getValue()));
                }
            }
            var scope = ok.getTokens().getAccessToken().getScope();
            return new TokenGrant(
                    ok.getTokens().getAccessToken().getValue(),
                    rt == null ? null : rt.getValue(),
                    lifetime > 0 ? Duration.ofSeconds(lifetime) : null,
                    scope == null ? null : scope.toString(),
                    attributes);
        };
    }

    public static TokenResponseParser slack() {
        return response -> {
            rejectNonJson(response);
            JsonObject body;
            try {
                body = Json.parseObject(response.body().getBytes(StandardCharsets.UTF_8));
            } catch (JsonFormatException e) {
                throw malformed(response);
            }
            if (!Boolean.TRUE.equals(body.bool("ok"))) {
                String error = body.string("error");
                throw fromErrorCode(error == null ? "unknown" : error, response.status());
            }
            String access = body.string("access_token");
            if (access == null || access.isEmpty()) {
                throw new PermanentException(
                        C,
                        OP,
                        "Slack answered ok:true without an access_token (is this a user-token-only"
                                + " install? ask for bot scopes or read authed_user)");
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            JsonObject team = body.object("team");
            if (team != null && team.string("id") != null) {
                attributes.put("team_id", team.string("id"));
            }
            for (String name : new String[] {"bot_user_id", "app_id", "token_type"}) {
                JsonValue v = body.get(name);
                if (v instanceof JsonString s) {
                    attributes.put(name, s.value());
                }
            }
            BigDecimal expires = body.number("expires_in");
            return new TokenGrant(
                    access,
                    body.string("refresh_token"),
                    expires == null ? null : Duration.ofSeconds(expires.longValue()),
                    body.string("scope"),
                    attributes);
        };
    }

    private static void rejectNonJson(TokenHttpResponse response) {
        String type =
                response.contentType() == null ? "" : response.contentType().toLowerCase(Locale.ROOT);
        String start = response.body().stripLeading();
        if (type.contains("html") || start.startsWith("<")) {
            throw new PermanentException(
                    C,
                    OP,
                    "the token endpoint answered HTTP " + response.status()
                            + " with an HTML page instead of a token response: check the token endpoint URL (a login page, proxy or"
                            + " maintenance page answered). Stored credentials are unchanged");
        }
    }

    private static SwitchboardException malformed(TokenHttpResponse response) {
        return new TransientException(
                C,
                OP,
                "the token endpoint answered HTTP " + response.status()
                        + " with a body that is not a complete token response ("
                        + response.body().length()
                        + " characters, truncated or malformed JSON). Stored credentials are unchanged; try again",
                null);
    }

    /** RFC 6749 section 5.2 error codes (and Slack's) to our error family. */
    public static SwitchboardException fromErrorCode(String code, int status) {
        return switch (code) {
            case "invalid_grant",
                    "invalid_refresh_token",
                    "token_revoked",
                    "token_expired",
                    "invalid_code",
                    "code_already_used",
                    "bad_redirect_uri_with_code",
                    "account_inactive",
                    "refresh_token_revoked" ->
                new ReauthorizationRequiredException(
                        C,
                        OP,
                        "the token endpoint rejected the grant (" + code
                                + "): it was revoked, expired or already used; ask the user to authorize this connection again");
            case "temporarily_unavailable", "server_error", "ratelimited", "slow_down" ->
                new TransientException(
                        C, OP, "the token endpoint is unavailable (" + code + "); try again later", null);
            case "invalid_client", "unauthorized_client", "invalid_client_id", "bad_client_secret" ->
                new PermanentException(
                        C,
                        OP,
                        "the token endpoint rejected the client (" + code
                                + "): check the client id, client secret and authentication method configured for this provider");
            default ->
                new PermanentException(
                        C,
                        OP,
                        "the token endpoint refused the request (HTTP " + status + ", " + code
                                + "): check the provider settings (scopes, redirect URI, grant type)");
        };
    }
}
