package dev.switchboard.core.connector;

import dev.switchboard.core.json.JsonObject;

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

  @Override
  default void close() {}
}
