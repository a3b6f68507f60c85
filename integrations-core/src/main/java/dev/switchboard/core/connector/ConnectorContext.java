package dev.switchboard.core.connector;

import dev.switchboard.core.ConnectionConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;

/**
 * What a connector session may use: its connection's settings, the injected clock, and the resources
 * the application handed to the Switchboard by name ({@code Switchboard.builder().resource("support-db",
 * dataSource)}): a connector that needs no HTTP names its resource in a setting and takes it here.
 */
public interface ConnectorContext {
    ConnectionConfig connection();

    Clock clock();

    /**
     * The Switchboard's meter registry, for a connector's own gauges (a replication slot's lag): tag them
     * with the connection's id.
     */
    default MeterRegistry meters() {
        return Metrics.globalRegistry;
    }

    /**
     * The resource registered under {@code name}, as {@code type}. The application owns it: never close
     * it.
     *
     * @throws IllegalArgumentException when no resource has that name, or it is not a {@code type}; the
     *     message names the resources registered
     */
    default <T> T resource(String name, Class<T> type) {
        throw new IllegalArgumentException("no resource '" + name + "' is available in this context");
    }
}
