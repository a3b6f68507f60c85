package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.internal.http.SharedPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Switchboard} built by its builder. */
public final class SwitchboardRuntime implements Switchboard {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardRuntime.class);

    private final Map<String, ConnectionRuntime> connections;
    private final MeterRegistry meters;
    private final QuarantineStore quarantine;
    private final SharedPipeline shared;

    private SwitchboardRuntime(
            Map<String, ConnectionRuntime> connections,
            MeterRegistry meters,
            QuarantineStore quarantine,
            SharedPipeline shared) {
        this.connections = connections;
        this.meters = meters;
        this.quarantine = quarantine;
        this.shared = shared;
    }

    /**
     * Validates the configuration and opens a session per connection; sends no request. When a
     * connection fails (an unknown connector, a bad configuration, a connector whose {@code open}
     * throws), what was opened is closed before the exception goes on: the sessions opened so far, the
     * client this created, the circuit breakers' meters.
     */
    public static SwitchboardRuntime create(RuntimeParts parts) {
        SharedPipeline shared = new SharedPipeline(parts.httpClient(), parts.meters(), parts.clock(), parts.sleeper());
        Map<String, ConnectionRuntime> connections = new LinkedHashMap<>();
        try {
            addConnections(parts, shared, connections);
        } catch (RuntimeException | Error e) {
            connections.values().forEach(ConnectionRuntime::close);
            shared.abandon();
            throw e;
        }
        log.debug("Switchboard started with connections {}", connections.keySet());
        return new SwitchboardRuntime(connections, parts.meters(), parts.quarantine(), shared);
    }

    private static void addConnections(
            RuntimeParts parts, SharedPipeline shared, Map<String, ConnectionRuntime> connections) {
        for (ConnectionConfig config : parts.connections()) {
            Connector connector = parts.connectors().get(config.connectorId());
            if (connector == null) {
                throw new IllegalArgumentException("connection '" + config.id() + "' names connector '"
                        + config.connectorId() + "', which is neither registered nor on the class path; known: "
                        + parts.connectors().keySet());
            }
            if (connector.descriptor().authKind() != AuthKind.NONE && parts.credentials() == null) {
                throw new IllegalArgumentException(
                        "connection '" + config.id() + "' needs credentials: set a tokenStore or a credentialSource");
            }
            if (connections.containsKey(config.id())) {
                throw new IllegalArgumentException("connection id '" + config.id() + "' is configured twice");
            }
            connections.put(
                    config.id(),
                    new ConnectionRuntime(
                            config, connector, parts, shared.client(), shared.breakers(), shared.budgets()));
        }
    }

    @Override
    public Connection connection(String id) {
        ConnectionRuntime c = connections.get(id);
        if (c == null) {
            throw new InvalidInputException(
                    "switchboard",
                    "connection",
                    "no connection '" + id + "' is configured; configured: " + connections.keySet());
        }
        return c;
    }

    @Override
    public Set<String> connectionIds() {
        return Set.copyOf(connections.keySet());
    }

    @Override
    public MeterRegistry meterRegistry() {
        return meters;
    }

    @Override
    public QuarantineStore quarantine() {
        return quarantine;
    }

    @Override
    public Set<String> rateBudgetKeys() {
        return shared.budgetKeys();
    }

    @Override
    public void resetRateBudget(String bucketKey) {
        shared.resetBudget(bucketKey);
    }

    @Override
    public void close() {
        connections.values().forEach(ConnectionRuntime::close);
        shared.close();
    }
}
