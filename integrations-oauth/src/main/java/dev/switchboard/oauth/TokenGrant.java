package dev.switchboard.oauth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a token endpoint granted: the parsed, provider-neutral form of a token response. The
 * secrets are never printed.
 *
 * @param accessToken the access token
 * @param refreshToken a new refresh token, when the server issued (or rotated) one
 * @param expiresIn the access token's lifetime, when the server said ({@code expires_in})
 * @param scope the granted scope, when the server said
 * @param attributes non-secret extra fields the provider keeps ({@code instance_url}, team id...)
 */
public record TokenGrant(
        String accessToken,
        @Nullable String refreshToken,
        @Nullable Duration expiresIn,
        @Nullable String scope,
        Map<String, String> attributes) {
    public TokenGrant {
        if (accessToken == null || accessToken.isEmpty()) {
            throw new IllegalArgumentException("a token grant needs an access token");
        }
        attributes = Map.copyOf(attributes);
    }

    public Optional<String> refreshTokenValue() {
        return Optional.ofNullable(refreshToken);
    }

    @Override
    public String toString() {
        return "TokenGrant[expiresIn=" + expiresIn + ", rotatedRefreshToken=" + (refreshToken != null) + ", scope="
                + scope + ", attributes=" + attributes.keySet() + "]";
    }
}
