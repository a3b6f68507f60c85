package dev.switchboard.core.keys;

import java.util.Objects;

/**
 * What a data key is for: everything sealed under one scope shares its data key, and destroying the scope makes all
 * of it unreadable. Scopes form a tree by {@code /}: {@link #user(String, String)} lies within
 * {@link #tenant(String)}, and destroying a scope destroys the scopes within it.
 *
 * <p>Conventions: {@code tenant/<tenant>} and {@code tenant/<tenant>/user/<user>} (ids with {@code %} and
 * {@code /} percent-encoded), and {@code switchboard/...} for stores that seal data of no one principal. An
 * application may use any other value through {@link #of(String)}.
 *
 * @param value the scope as stored: 1 to 500 characters, no control characters, not starting or ending with
 *     {@code /}
 */
public record KeyScope(String value) {
    /** The longest scope value. */
    public static final int MAX_LENGTH = 500;

    public KeyScope {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH || value.startsWith("/") || value.endsWith("/")) {
            throw new IllegalArgumentException("a key scope has 1 to " + MAX_LENGTH
                    + " characters and does not start or end with '/': '" + value + "'");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a key scope has no control characters");
        }
    }

    /** A scope of the application's own. */
    public static KeyScope of(String value) {
        return new KeyScope(value);
    }

    /** The scope of everything of one tenant, users included: {@code tenant/<tenant>}. */
    public static KeyScope tenant(String tenantId) {
        return new KeyScope("tenant/" + encode(tenantId));
    }

    /** The scope of one user of a tenant: {@code tenant/<tenant>/user/<user>}. */
    public static KeyScope user(String tenantId, String userId) {
        return new KeyScope("tenant/" + encode(tenantId) + "/user/" + encode(userId));
    }

    /** Whether {@code other} is this scope or lies within it (so destroying this one destroys it). */
    public boolean contains(KeyScope other) {
        return other.value.equals(value) || other.value.startsWith(value + "/");
    }

    private static String encode(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a tenant or user id is not empty");
        }
        return id.replace("%", "%25").replace("/", "%2F");
    }

    @Override
    public String toString() {
        return value;
    }
}
