package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.internal.http.RateBudgets;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Switchboard} built by its builder. */
public final class SwitchboardRuntime implements Switchboard {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardRuntime.class);

    private final Map<String, ConnectionRuntime> connections;
    private final MeterRegistry meters;
    private final QuarantineStore quarantine;
    private final OkHttpClient client;
    private final boolean ownsClient;

    private SwitchboardRuntime(
            Map<String, ConnectionRuntime> connections,
            MeterRegistry meters,
            QuarantineStore quarantine,
            OkHttpClient client,
            boolean ownsClient) {
        this.connections = connections;
        this.meters = meters;
        this.quarantine = quarantine;
        this.client = client;
        this.ownsClient = ownsClient;
    }

    /** Validates the configuration and opens a session per connection; sends no request. */
    public static SwitchboardRuntime create(RuntimeParts parts) {
        OkHttpClient given = parts.httpClient();
        boolean ownsClient = given == null;
        OkHttpClient client = given == null ? new OkHttpClient() : given;
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(parts.meters());
        RateBudgets budgets = new RateBudgets(parts.clock(), parts.sleeper());
        Map<String, ConnectionRuntime> connections = new LinkedHashMap<>();
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
            connections.put(config.id(), new ConnectionRuntime(config, connector, parts, client, breakers, budgets));
        }
        log.debug("Switchboard started with connections {}", connections.keySet());
        return new SwitchboardRuntime(connections, parts.meters(), parts.quarantine(), client, ownsClient);
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
    public void close() {
        connections.values().forEach(ConnectionRuntime::close);
        if (ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
