package dev.switchboard.core.connector;

import dev.switchboard.core.auth.Credential;

/**
 * The connection's credential for one call, for connectors that apply it themselves
 * ({@link AuthKind#PASSWORD}, {@link AuthKind#SIGNED}: a database login, a request signature). HTTP
 * connectors whose pipeline applies the credential ({@link AuthKind#BEARER}, {@link AuthKind#API_KEY})
 * never need it. Never log what it returns.
 */
public interface CallCredentials {
    /**
     * The credential to use now (the principal's grant on a {@code PER_PRINCIPAL} connection).
     *
     * @throws dev.switchboard.core.error.ReauthorizationRequiredException when none is stored, or the
     *     connector needs none ({@link AuthKind#NONE})
     */
    Credential current();

    /**
     * After the source rejected {@code rejected}: a replacement, refreshed once however many callers
     * report the same version.
     *
     * @throws dev.switchboard.core.error.ReauthorizationRequiredException when it cannot be replaced
     */
    Credential refreshAfterRejection(Credential rejected);
}
