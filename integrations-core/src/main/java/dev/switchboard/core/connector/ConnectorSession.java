package dev.switchboard.core.connector;

import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Schema;
import java.util.Optional;

/**
 * A connector opened for one connection. Thread-safe: one session serves every caller of its
 * connection. Vendor calls go through the {@link dev.switchboard.core.http.VendorHttp} each call
 * carries, never through an HTTP client of the connector's own.
 */
public interface ConnectorSession extends AutoCloseable {
    /** Opens a reader for one stream; no request is sent before the first page is asked for. */
    StreamReader openStream(StreamCall call);

    /**
     * Runs an action and returns its result as JSON. Throws a
     * {@link dev.switchboard.core.error.SwitchboardException} on failure.
     */
    JsonObject execute(ActionCall call);

    /**
     * The stream's schema as the source's metadata describes it now (Salesforce describe, HubSpot
     * properties), for comparison with the pinned contract; empty when the source has no such
     * metadata. Sends its requests through {@code http}. Core decides how often to ask.
     */
    default Optional<Schema> describe(StreamDescriptor stream, VendorHttp http) {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
