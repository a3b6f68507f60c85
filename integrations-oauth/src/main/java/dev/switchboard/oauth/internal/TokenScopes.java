package dev.switchboard.oauth.internal;

import dev.switchboard.core.keys.KeyScope;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The key scope a stored credential is sealed under: a {@code PER_PRINCIPAL} grant's key
 * ({@code connection/tenant/user}, URL-encoded, as {@code ConnectionConfig.credentialKey} makes it) is its user's
 * scope, so crypto-shredding the user makes the grant unreadable too; any other key is under
 * {@link #SHARED}.
 */
public final class TokenScopes {
    /** The scope of grants that belong to no one user (shared grants, named secrets). */
    public static final KeyScope SHARED = KeyScope.of("switchboard/tokens");

    private TokenScopes() {}

    public static KeyScope of(String tokenKey) {
        String[] parts = tokenKey.split("/", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            return SHARED;
        }
        try {
            return KeyScope.user(
                    URLDecoder.decode(parts[1], StandardCharsets.UTF_8),
                    URLDecoder.decode(parts[2], StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return SHARED; // not a key ConnectionConfig made
        }
    }
}
