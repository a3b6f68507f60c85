package dev.switchboard.core.webhook;

import dev.switchboard.core.error.WebhookRejectedException;

/**
 * Receives webhook deliveries for the Switchboard's connections ({@code Switchboard.webhooks()}). Core
 * runs no HTTP server: mount this in the application's own, one route for all connections, and pass
 * each delivery as received. Thread-safe.
 *
 * <p>Per delivery: the connection's connector verifies the signature over the raw body
 * ({@code ConnectorSession.webhook}); core refuses a delivery whose signed timestamp is older (or
 * further in the future) than the tolerance, and one whose delivery id the {@link ReplayGuard} has seen
 * (shared between instances when it is the JDBC one); then the change events it carries are delivered to
 * the subscribers of the connection, caches forget the records it names, and polled streams it names
 * are polled early.
 */
@FunctionalInterface
public interface WebhookHandler {
    /**
     * Handles one delivery.
     *
     * @return what to answer (a challenge's body, or 200 with the events delivered)
     * @throws WebhookRejectedException for an unknown connection, a connector without webhooks, a bad
     *     signature, a stale timestamp, a replay or a malformed body; {@link WebhookRejectedException#status()}
     *     is the status to answer with
     */
    WebhookResponse handle(WebhookRequest request);
}
