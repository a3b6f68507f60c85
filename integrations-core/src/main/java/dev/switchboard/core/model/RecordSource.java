package dev.switchboard.core.model;

import java.util.Objects;

/**
 * Where a record came from.
 *
 * @param connector the connector id, e.g. {@code hubspot}
 * @param connection the configured connection id, e.g. {@code hubspot-acme}
 * @param object the vendor's object type, e.g. {@code contacts} or {@code Case}
 */
public record RecordSource(String connector, String connection, String object) {
    public RecordSource {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(object, "object");
    }
}
