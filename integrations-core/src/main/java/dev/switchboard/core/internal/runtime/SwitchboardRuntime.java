package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.CredentialListener;
import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.change.ChangeListener;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.drift.QuarantineView;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.Consents;
import dev.switchboard.core.internal.http.RateBudgets;
import dev.switchboard.core.internal.http.SharedPipeline;
import dev.switchboard.core.spi.SwitchboardSpec;
import dev.switchboard.core.webhook.WebhookHandler;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Switchboard} a builder builds: the connections (each a {@link ConnectionRuntime} behind a
 * {@link ConnectionHandle}, replaceable at runtime), the change feeds, consent, and what they share: one
 * HTTP client, circuit breakers and rate budgets per vendor bucket, the audit sink.
 */
public final class SwitchboardRuntime implements Switchboard {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardRuntime.class);

    private final SwitchboardSpec spec;
    private final SharedPipeline shared;
    private final Auditor auditor;
    private final ConsentFlow consent;
    private final ChangeHub changes;
    private final CredentialListener authAudit;
    private final ConcurrentHashMap<String, ConnectionRuntime> connections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConnectionHandle> handles = new ConcurrentHashMap<>();
    private final Object configLock = new Object();
    private volatile boolean closed;

    private SwitchboardRuntime(SwitchboardSpec spec) {
        this.spec = spec;
        this.shared = new SharedPipeline(
                spec.httpClient(), spec.meters(), spec.clock(), spec.sleeper(), spec.rateBudgetStore());
        this.auditor = new Auditor(spec.auditSink(), spec.meters(), spec.auditBuffer());
        this.consent = new ConsentFlow(this);
        this.changes = new ChangeHub(this);
        this.authAudit = new AuthAudit();
    }

    /**
     * Validates the configuration and opens a session per connection; sends no request. A build that fails
     * part way closes what it opened (sessions, the HTTP client it created, meter bindings) before it throws.
     */
    public static SwitchboardRuntime create(SwitchboardSpec spec) {
        SwitchboardRuntime runtime = new SwitchboardRuntime(spec);
        try {
            Map<String, ConnectionRuntime> opened = new LinkedHashMap<>();
            try {
                for (ConnectionConfig config : spec.connections()) {
                    if (opened.containsKey(config.id())) {
                        throw new IllegalArgumentException("connection id '" + config.id() + "' is configured twice");
                    }
                    opened.put(config.id(), runtime.open(config));
                }
            } catch (RuntimeException | Error e) {
                opened.values().forEach(ConnectionRuntime::close);
                throw e;
            }
            runtime.connections.putAll(opened);
            CredentialSource credentials = spec.credentials();
            if (credentials != null) {
                credentials.addListener(runtime.authAudit);
            }
        } catch (RuntimeException | Error e) {
            runtime.shared.abandon();
            throw e;
        }
        log.debug("Switchboard started with connections {}", runtime.connections.keySet());
        return runtime;
    }

    private ConnectionRuntime open(ConnectionConfig config) {
        Connector connector = spec.connectors().get(config.connectorId());
        if (connector == null) {
            throw new IllegalArgumentException("connection '" + config.id() + "' names connector '"
                    + config.connectorId() + "', which is neither registered nor on the class path; known: "
                    + spec.connectors().keySet());
        }
        return new ConnectionRuntime(config, connector, this);
    }

    // ---- connections -------------------------------------------------------------------------------

    @Override
    public Connection connection(String id) {
        if (!connections.containsKey(id)) {
            throw unknown(id);
        }
        return handles.computeIfAbsent(id, k -> new ConnectionHandle(this, k));
    }

    /** The runtime serving new calls of this connection, or null when it was removed. */
    @Nullable
    ConnectionRuntime current(String id) {
        return connections.get(id);
    }

    InvalidInputException unknown(String id) {
        return new InvalidInputException(
                "switchboard",
                "connection",
                "no connection '" + id + "' is configured (it may have been removed); configured: "
                        + new TreeSet<>(connections.keySet()));
    }

    @Override
    public Set<String> connectionIds() {
        return Set.copyOf(connections.keySet());
    }

    @Override
    public void addConnection(ConnectionConfig config) {
        synchronized (configLock) {
            checkOpen();
            if (connections.containsKey(config.id())) {
                throw new IllegalArgumentException("connection id '" + config.id() + "' is configured already; use"
                        + " updateConnection to change it");
            }
            connections.put(config.id(), open(config));
        }
        log.info("Added connection '{}'", config.id());
    }

    @Override
    public void updateConnection(ConnectionConfig config) {
        ConnectionRuntime old;
        synchronized (configLock) {
            checkOpen();
            if (!connections.containsKey(config.id())) {
                throw new IllegalArgumentException(
                        "no connection '" + config.id() + "' to update; use addConnection to add it");
            }
            ConnectionRuntime replacement = open(config);
            old = connections.put(config.id(), replacement);
        }
        if (old != null) {
            old.retire();
        }
        log.info("Updated connection '{}'", config.id());
    }

    @Override
    public boolean removeConnection(String id) {
        ConnectionRuntime old;
        synchronized (configLock) {
            old = connections.remove(id);
        }
        if (old == null) {
            return false;
        }
        old.retire();
        changes.connectionRemoved(id);
        log.info("Removed connection '{}'", id);
        return true;
    }

    // ---- feeds, consent, quarantine ----------------------------------------------------------------

    @Override
    public Subscription subscribe(AgentContext context, ChangeRequest request, ChangeListener listener) {
        checkOpen();
        return changes.subscribe(context, request, listener);
    }

    @Override
    public WebhookHandler webhooks() {
        return changes.webhooks();
    }

    @Override
    public Consents consent() {
        return consent;
    }

    ConsentFlow consentFlow() {
        return consent;
    }

    @Override
    public QuarantineView quarantine(AgentContext context) {
        return new GovernedQuarantine(this, context);
    }

    @Override
    public MeterRegistry meterRegistry() {
        return spec.meters();
    }

    // ---- shared parts ------------------------------------------------------------------------------

    SwitchboardSpec spec() {
        return spec;
    }

    OkHttpClient client() {
        return shared.client();
    }

    CircuitBreakerRegistry breakers() {
        return shared.breakers();
    }

    RateBudgets budgets() {
        return shared.budgets();
    }

    @Override
    public Set<String> rateBudgetKeys() {
        return shared.budgetKeys();
    }

    @Override
    public void resetRateBudget(String bucketKey) {
        shared.resetBudget(bucketKey);
    }

    Auditor auditor() {
        return auditor;
    }

    ChangeHub changes() {
        return changes;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Switchboard is closed");
        }
    }

    @Override
    public void close() {
        List<ConnectionRuntime> open;
        synchronized (configLock) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(connections.values());
            connections.clear();
        }
        changes.close();
        open.forEach(ConnectionRuntime::close);
        CredentialSource credentials = spec.credentials();
        if (credentials != null) {
            credentials.removeListener(authAudit);
        }
        auditor.close(); // records what is still buffered
        shared.close();
    }

    /** Audits credential events of the shared credential source to this Switchboard's own sink. */
    private final class AuthAudit implements CredentialListener {
        @Override
        public void refreshed(String key, long version) {
            auditor.record(event(key, AuditEvent.Outcome.SUCCEEDED, "refreshed to version " + version));
        }

        @Override
        public void reauthorizationRequired(String key, long version, String reason) {
            auditor.record(
                    event(key, AuditEvent.Outcome.FAILED, "version " + version + " needs reauthorization: " + reason));
        }

        /** Keys are {@code connection} or {@code connection/tenant/user}, URL-encoded; a secret's is {@code connection#name}. */
        private AuditEvent event(String key, AuditEvent.Outcome outcome, String detail) {
            String[] parts = key.split("/", 3);
            String connection = parts[0].contains("#") ? parts[0].substring(0, parts[0].indexOf('#')) : parts[0];
            AuditEvent.Builder b = AuditEvent.builder(spec.clock().instant(), AuditEvent.Kind.AUTH, outcome)
                    .connection(connection)
                    .operation("credential")
                    .detail(detail);
            if (parts.length == 3) {
                b.principal(decode(parts[1]), decode(parts[2]));
            }
            return b.build();
        }

        private String decode(String part) {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        }
    }
}
