package dev.switchboard.core.http;

/**
 * A configuration that would send requests less safely than {@link TransportSecurity} allows: a plain
 * {@code http://} URL to a host that is not loopback on a connection that does not allow plain HTTP, or an
 * application's OkHttp client that allows TLS below 1.2. Raised when the configuration is built, before
 * anything is sent; the message names the connection (or client), the host and the fix. Like every
 * configuration mistake it is an {@link IllegalArgumentException}. A URL the vendor hands over later (a
 * pagination link, a redirect) that breaks the rule fails the call instead, with a
 * {@link dev.switchboard.core.error.PermanentException} whose cause is one of these.
 */
public final class InsecureTransportException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InsecureTransportException(String message) {
        super(message);
    }
}
