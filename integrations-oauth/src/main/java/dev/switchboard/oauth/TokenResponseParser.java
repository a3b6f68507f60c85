package dev.switchboard.oauth;

import dev.switchboard.oauth.internal.TokenParsers;
import java.util.Set;

/**
 * Turns a token endpoint's answer into a {@link TokenGrant}, or throws the typed error it means:
 * {@link dev.switchboard.core.error.ReauthorizationRequiredException} for a grant that is gone
 * ({@code invalid_grant}), {@link dev.switchboard.core.error.TransientException} for what may pass,
 * {@link dev.switchboard.core.error.PermanentException} for configuration errors. Called for every
 * status below 500 except 429 (those are transient before any parsing). Error messages must never
 * contain the body's secrets.
 */
@FunctionalInterface
public interface TokenResponseParser {
    TokenGrant parse(TokenHttpResponse response);

    /**
     * RFC 6749 responses parsed by Nimbus ({@code TokenResponse.parse}); the named extra fields are
     * kept as credential attributes (Salesforce's {@code instance_url}, for instance).
     */
    static TokenResponseParser standard(Set<String> keptAttributes) {
        return TokenParsers.nimbus(keptAttributes);
    }

    /**
     * Slack's {@code oauth.v2.access}: HTTP 200 with {@code ok:false} for errors, {@code token_type: bot}
     * (which Nimbus rejects); keeps {@code team_id}, {@code bot_user_id} and {@code app_id} as attributes.
     */
    static TokenResponseParser slack() {
        return TokenParsers.slack();
    }
}
