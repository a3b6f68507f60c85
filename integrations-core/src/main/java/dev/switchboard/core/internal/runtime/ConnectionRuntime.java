package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.error.ConsentDeniedException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.governance.AccessDecision;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.ConsentRequest;
import dev.switchboard.core.governance.Operation;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.internal.http.ConnectionHttp;
import dev.switchboard.core.internal.http.RateBudgets;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection: governance (policy, consent, audit) around a connector session and its pipeline. */
final class ConnectionRuntime implements Connection {
    private static final Logger log = LoggerFactory.getLogger(ConnectionRuntime.class);

    private final ConnectionConfig config;
    private final Connector connector;
    private final ConnectorDescriptor descriptor;
    private final RuntimeParts parts;
    private final ConnectorSession session;
    private final ConnectionHttp http;
    private final Map<String, InputValidator> validators = new HashMap<>();
    /** When each stream's contract was last found to match the source's metadata. */
    private final Map<String, Instant> metadataCheckedAt = new ConcurrentHashMap<>();

    ConnectionRuntime(
            ConnectionConfig config,
            Connector connector,
            RuntimeParts parts,
            OkHttpClient client,
            CircuitBreakerRegistry breakers,
            RateBudgets budgets) {
        this.config = config;
        this.connector = connector;
        this.descriptor = connector.descriptor();
        this.parts = parts;
        checkPinnedContracts(config, descriptor);
        HttpSettings settings = config.http().orElse(parts.httpSettings());
        this.http = new ConnectionHttp(new ConnectionHttp.Parts(
                descriptor.id(),
                config.id(),
                config.baseUrl(),
                client,
                connector.baseUrlAttribute(),
                connector.responseClassifier(),
                connector.budgetSignals(),
                budgetSizes(config, connector),
                budgets,
                breakers,
                descriptor.authKind() == AuthKind.NONE ? null : parts.credentials(),
                settings,
                parts.clock(),
                parts.sleeper(),
                parts.random(),
                parts.meters(),
                connector.honoursIdempotencyKeys(),
                connector.budgetKeys(config)));
        for (ActionDescriptor action : descriptor.actions()) {
            try {
                validators.put(action.name(), new InputValidator(action.inputSchema()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "connector '" + descriptor.id() + "' action '" + action.name() + "': " + e.getMessage(), e);
            }
        }
        this.session = connector.open(new ConnectorContext() {
            @Override
            public ConnectionConfig connection() {
                return config;
            }

            @Override
            public Clock clock() {
                return parts.clock();
            }
        });
    }

    /**
     * A contract pinned on the connection for an incremental stream must promise the primary key and
     * the cursor field, always present and never null, as a string, number, timestamp or date: a
     * read checks each record's key and cursor by that rule whatever the contract says, and a contract
     * that promises less would only hide what stops the read.
     */
    private static void checkPinnedContracts(ConnectionConfig config, ConnectorDescriptor descriptor) {
        for (StreamDescriptor stream : descriptor.streams()) {
            Schema pinned = config.contract(stream.name()).orElse(null);
            if (pinned == null || stream.cursorField() == null) {
                continue;
            }
            for (String key : List.of(stream.primaryKey(), stream.cursorField())) {
                String role = key.equals(stream.cursorField()) ? "cursor field" : "primary key";
                Schema.Field field = pinned.field(key).orElse(null);
                String wrong = field == null
                        ? "omits its " + role + " '" + key + "'"
                        : field.nullable() || !field.required()
                                ? "declares its " + role + " '" + key + "' optional or nullable"
                                : !SCALAR_KEYS.contains(field.type())
                                        ? "declares its " + role + " '" + key + "' as " + field.type()
                                        : null;
                if (wrong != null) {
                    throw new IllegalArgumentException(
                            "connection '" + config.id() + "': the contract pinned for incremental"
                                    + " stream '" + stream.name() + "' " + wrong
                                    + "; declare it always present and never null, as a string,"
                                    + " number, timestamp or date (Schema.Builder.required(\"" + key
                                    + "\", FieldType.STRING)): reads resume"
                                    + " by it and stop on any record without it");
                }
            }
        }
    }

    private static final java.util.Set<FieldType> SCALAR_KEYS = java.util.EnumSet.of(
            FieldType.STRING, FieldType.INTEGER, FieldType.NUMBER, FieldType.TIMESTAMP, FieldType.DATE);

    /** A budget configured on the connection sizes every key; else the connector's own sizes. */
    private static Function<String, @Nullable BudgetSettings> budgetSizes(
            ConnectionConfig config, Connector connector) {
        BudgetSettings configured = config.budget().orElse(null);
        if (configured != null) {
            return key -> configured;
        }
        String connectionKey = config.id();
        return key -> {
            BudgetSettings keyed = key.equals(connectionKey) ? null : connector.budgetFor(key);
            return keyed != null ? keyed : connector.defaultBudget();
        };
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public ConnectionConfig config() {
        return config;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    private StreamDescriptor stream(String name, String opName) {
        return descriptor.stream(name)
                .orElseThrow(() -> new InvalidInputException(
                        descriptor.id(),
                        opName,
                        "no stream '" + name + "'; streams: "
                                + descriptor.streams().stream()
                                        .map(StreamDescriptor::name)
                                        .toList()));
    }

    @Override
    public Schema contract(String stream) {
        return config.contract(stream)
                .orElseGet(() -> stream(stream, "contract " + stream).schema());
    }

    @Override
    public Optional<Schema> describe(AgentContext context, String streamName) {
        String opName = "describe " + streamName;
        StreamDescriptor stream = stream(streamName, opName);
        authorize(context, new Operation(config.id(), descriptor.id(), stream.name(), Effect.READ), opName);
        VendorHttp bound = http.bind(credentialKey(context), false, false); // metadata: no caller input
        return inContext(context, opName, () -> session.describe(stream, bound));
    }

    @Override
    public RecordStream read(AgentContext context, ReadRequest request) {
        String opName = "read " + request.stream();
        StreamDescriptor stream = stream(request.stream(), opName);
        Checkpoint since = request.since();
        if (since != null && !since.stream().equals(stream.name())) {
            throw new InvalidInputException(
                    descriptor.id(),
                    opName,
                    "the checkpoint belongs to stream '" + since.stream() + "', not '" + stream.name() + "'");
        }
        if (since != null && since.position().isPresent() && !stream.incremental()) {
            throw new InvalidInputException(
                    descriptor.id(),
                    opName,
                    "stream '" + stream.name() + "' is not incremental; read it without a checkpoint");
        }
        // The connector reads what the connection's contract promises (an org's own fields included);
        // the stream keeps the primary key and cursor the connector declares.
        Schema contract = contract(stream.name());
        for (String field : request.fields()) {
            if (contract.field(field).isEmpty()) {
                throw new InvalidInputException(
                        descriptor.id(),
                        opName,
                        "'" + abbreviate(field) + "' is not in the contract of"
                                + " stream '" + stream.name()
                                + "'; pin a contract that includes it (ConnectionConfig.contract), or ask"
                                + " for fields of "
                                + contract.fields().stream()
                                        .map(Schema.Field::name)
                                        .toList());
            }
        }
        Operation operation = new Operation(config.id(), descriptor.id(), stream.name(), Effect.READ);
        authorize(context, operation, opName);
        // A read carries the caller's input only in its filter.
        VendorHttp bound =
                http.bind(credentialKey(context), false, !request.filter().isEmpty());
        StreamDescriptor pinned = contract.equals(stream.schema())
                ? stream
                : new StreamDescriptor(stream.name(), contract, stream.primaryKey(), stream.cursorField());
        StreamCall call = new StreamCall(
                pinned, request, since == null ? null : since.position().orElse(null), bound);
        return new GovernedRecordStream(this, context, call);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    @Override
    public ActionResult execute(AgentContext context, String actionName, JsonObject input) {
        String opName = "action " + actionName;
        ActionDescriptor action = descriptor
                .action(actionName)
                .orElseThrow(() -> new InvalidInputException(
                        descriptor.id(),
                        opName,
                        "no action '" + actionName + "'; actions: "
                                + descriptor.actions().stream()
                                        .map(ActionDescriptor::name)
                                        .toList()));
        List<String> violations =
                java.util.Objects.requireNonNull(validators.get(actionName)).violations(input);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(
                    descriptor.id(), opName, "the input does not match the action's schema", violations, null);
        }
        Operation operation = new Operation(config.id(), descriptor.id(), actionName, action.effect());
        authorize(context, operation, opName);
        if (action.effect().needsConsent()) {
            boolean consent = parts.consentGate()
                    .consents(context, new ConsentRequest(config.id(), actionName, action.effect(), input));
            audit(
                    context,
                    AuditEvent.Kind.CONSENT,
                    consent ? AuditEvent.Outcome.ALLOWED : AuditEvent.Outcome.DENIED,
                    actionName,
                    List.of(),
                    consent ? "consent given" : "consent refused");
            if (!consent) {
                throw new ConsentDeniedException(
                        descriptor.id(),
                        opName,
                        "this " + action.effect()
                                + " action needs the user's consent, which was not given; ask the user, then call again");
            }
        }
        ActionCall call = new ActionCall(action, input, http.bind(credentialKey(context), action.retrySafe(), true));
        AuditEvent.Kind kind = action.effect() == Effect.READ ? AuditEvent.Kind.READ : AuditEvent.Kind.WRITE;
        try {
            JsonObject output = inContext(context, opName, () -> session.execute(call));
            audit(
                    context,
                    kind,
                    AuditEvent.Outcome.SUCCEEDED,
                    actionName,
                    List.of(),
                    action.effect().name());
            return new ActionResult(config.id(), actionName, output);
        } catch (SwitchboardException e) {
            audit(
                    context,
                    kind,
                    AuditEvent.Outcome.FAILED,
                    actionName,
                    List.of(),
                    e.getClass().getSimpleName());
            throw e;
        }
    }

    private void authorize(AgentContext context, Operation operation, String opName) {
        AccessDecision decision = parts.accessPolicy().authorize(context, operation);
        audit(
                context,
                AuditEvent.Kind.ACCESS,
                decision.allowed() ? AuditEvent.Outcome.ALLOWED : AuditEvent.Outcome.DENIED,
                operation.name(),
                List.of(),
                decision.reason());
        if (!decision.allowed()) {
            throw new PermissionDeniedException(
                    descriptor.id(),
                    opName,
                    "access denied for user '" + context.principal().userId() + "': " + decision.reason());
        }
    }

    private @Nullable String credentialKey(AgentContext context) {
        return descriptor.authKind() == AuthKind.NONE ? null : config.credentialKey(context.principal());
    }

    /**
     * Runs connector code with the MDC set, and turns anything a connector throws outside our error
     * family into a {@link PermanentException}, so callers see one family.
     */
    <T> T inContext(AgentContext context, String opName, Supplier<T> work) {
        return Mdc.with(
                Map.of(
                        "connector",
                        descriptor.id(),
                        "connection",
                        config.id(),
                        "operation",
                        opName,
                        "traceId",
                        context.traceId()),
                () -> {
                    try {
                        return work.get();
                    } catch (SwitchboardException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        log.warn("Connector '{}' failed in {}", descriptor.id(), opName, e);
                        throw new PermanentException(
                                descriptor.id(),
                                opName,
                                "the connector failed: " + e.getClass().getName(),
                                e);
                    }
                });
    }

    void audit(
            AgentContext context,
            AuditEvent.Kind kind,
            AuditEvent.Outcome outcome,
            String operation,
            List<String> recordIds,
            String detail) {
        parts.auditSink()
                .record(new AuditEvent(
                        parts.clock().instant(),
                        kind,
                        outcome,
                        config.id(),
                        operation,
                        context.principal().userId(),
                        context.principal().tenantId(),
                        context.traceId(),
                        recordIds,
                        detail));
    }

    /** Whether a read of {@code stream} opening {@code now} should compare its contract with the source's metadata. */
    boolean metadataDue(String stream, Instant now) {
        Instant last = metadataCheckedAt.get(stream);
        return last == null || Duration.between(last, now).compareTo(parts.driftRecheck()) >= 0;
    }

    void metadataChecked(String stream, Instant at) {
        metadataCheckedAt.put(stream, at);
    }

    ConnectorSession session() {
        return session;
    }

    RuntimeParts parts() {
        return parts;
    }

    void close() {
        try {
            session.close();
        } catch (RuntimeException e) {
            log.warn("Closing the session of connection '{}' failed", config.id(), e);
        }
        http.close();
    }
}
