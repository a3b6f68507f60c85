package dev.switchboard.core.connector;

import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.model.Schema;
import java.util.Optional;

/**
 * A connector opened for one connection. Thread-safe: one session serves every caller of its
 * connection. HTTP connectors send every vendor call through the {@link VendorHttp} each call carries,
 * never through an HTTP client of their own; a connector that needs no HTTP (a database) uses the
 * resources its {@link ConnectorContext} hands over.
 */
public interface ConnectorSession extends AutoCloseable {
    /** Opens a reader for one stream; no request is sent before the first page is asked for. */
    StreamReader openStream(StreamCall call);

    /**
     * Runs an action and returns its result with the records it touched. Throws a
     * {@link dev.switchboard.core.error.SwitchboardException} on failure.
     */
    ActionOutput execute(ActionCall call);

    /**
     * The stream's schema as the source's metadata describes it now (Salesforce describe, HubSpot
     * properties), for comparison with the pinned contract; empty when the source has no such
     * metadata. Sends its requests through {@code http}. Core decides how often to ask.
     */
    default Optional<Schema> describe(StreamDescriptor stream, VendorHttp http) {
        return Optional.empty();
    }

    /**
     * Follows a stream the connector pushes changes of ({@link StreamDescriptor#pushesChanges()}).
     * Unsupported by default.
     *
     * @throws UnsupportedOperationException when the connector pushes no changes
     */
    default ChangeReader changes(ChangeCall call) {
        throw new UnsupportedOperationException("this connector pushes no changes; core polls its incremental streams");
    }

    /**
     * Verifies a webhook delivery (its signature, over the raw body, with the connection's secret) and
     * says what it carries. Unsupported by default.
     *
     * @throws dev.switchboard.core.error.WebhookRejectedException for a bad signature or a malformed body
     * @throws UnsupportedOperationException when the connector takes no webhooks
     */
    default WebhookOutcome webhook(WebhookCall call) {
        throw new UnsupportedOperationException("this connector takes no webhooks");
    }

    /**
     * What an action would do, without doing it (nothing is written at the source). Unsupported by
     * default.
     *
     * @throws UnsupportedOperationException when the connector cannot preview this action
     */
    default ActionPreview dryRun(ActionCall call) {
        throw new UnsupportedOperationException("this connector cannot preview actions");
    }

    @Override
    default void close() {}
}
