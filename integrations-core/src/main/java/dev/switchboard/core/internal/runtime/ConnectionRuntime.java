package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.CallCredentials;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.error.AuditUnavailableException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.governance.AccessDecision;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.Operation;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.http.Redaction;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.internal.http.ConnectionHttp;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.spi.SwitchboardSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration of one connection: governance (policy, consent, audit) around a connector session
 * and its pipeline. A connection updated or removed at runtime retires its runtime: calls already under
 * way finish on it, and its session is closed when the last of them ends.
 */
final class ConnectionRuntime {
    private static final Logger log = LoggerFactory.getLogger(ConnectionRuntime.class);
    private static final Set<FieldType> SCALAR_KEYS =
            EnumSet.of(FieldType.STRING, FieldType.INTEGER, FieldType.NUMBER, FieldType.TIMESTAMP, FieldType.DATE);

    private final ConnectionConfig config;
    private final ConnectorDescriptor descriptor;
    private final boolean readsDependOnPrincipal;
    private final SwitchboardRuntime switchboard;
    private final SwitchboardSpec parts;
    private final ConnectorSession session;
    private final @Nullable ConnectionHttp http;
    private final Map<String, InputValidator> validators = new HashMap<>();
    /** When each stream's contract was last found to match the source's metadata. */
    private final Map<String, Instant> metadataCheckedAt = new ConcurrentHashMap<>();

    private final DriftPolicy driftPolicy;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retired;
    private volatile boolean closed;

    ConnectionRuntime(ConnectionConfig config, Connector connector, SwitchboardRuntime switchboard) {
        this.config = config;
        this.switchboard = switchboard;
        this.parts = switchboard.spec();
        this.readsDependOnPrincipal = connector.readsDependOnPrincipal();
        Map<String, Object> resources = parts.resources();
        ConnectorContext context = new ConnectorContext() {
            @Override
            public ConnectionConfig connection() {
                return config;
            }

            @Override
            public Clock clock() {
                return parts.clock();
            }

            @Override
            public MeterRegistry meters() {
                return parts.meters();
            }

            @Override
            public <T> T resource(String name, Class<T> type) {
                Object resource = resources.get(name);
                if (resource == null) {
                    throw new IllegalArgumentException("connection '" + config.id() + "' asks for resource '" + name
                            + "', which is not registered (Switchboard.builder().resource(name, object)); registered: "
                            + resources.keySet());
                }
                if (!type.isInstance(resource)) {
                    throw new IllegalArgumentException("resource '" + name + "' is a "
                            + resource.getClass().getName() + ", not the " + type.getName() + " connection '"
                            + config.id() + "' needs");
                }
                return type.cast(resource);
            }
        };
        this.descriptor = connectionDescriptor(connector, context, config);
        checkPinnedContracts(config, descriptor);
        this.driftPolicy = driftPolicy(config, parts);
        if (descriptor.authKind().needsCredential() && parts.credentials() == null) {
            throw new IllegalArgumentException(
                    "connection '" + config.id() + "' needs credentials: set a tokenStore or a credentialSource");
        }
        String baseUrl = config.baseUrl().orElse(null);
        if (baseUrl == null && descriptor.needsBaseUrl()) {
            throw new IllegalArgumentException("connection '" + config.id() + "' of connector '" + descriptor.id()
                    + "' needs a base URL: ConnectionConfig.builder(...).baseUrl(...)");
        }
        HttpSettings settings = config.http().orElse(parts.httpSettings());
        this.http = baseUrl == null
                ? null
                : new ConnectionHttp(new ConnectionHttp.Parts(
                        descriptor.id(),
                        config.id(),
                        baseUrl,
                        switchboard.client(),
                        connector.baseUrlAttribute(),
                        connector.responseClassifier(),
                        connector.budgetSignals(),
                        budgetSizes(config, connector),
                        switchboard.budgets(),
                        switchboard.breakers(),
                        descriptor.authKind().appliedByPipeline() ? parts.credentials() : null,
                        descriptor.authKind() == AuthKind.API_KEY ? connector.apiKeyHeader() : null,
                        settings,
                        parts.clock(),
                        parts.sleeper(),
                        parts.random(),
                        parts.meters(),
                        connector.honoursIdempotencyKeys(),
                        connector.budgetKeys(config),
                        config.allowsPlainHttp()));
        for (ActionDescriptor action : descriptor.actions()) {
            try {
                validators.put(action.name(), new InputValidator(action.inputSchema()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "connector '" + descriptor.id() + "' action '" + action.name() + "': " + e.getMessage(), e);
            }
        }
        this.session = connector.open(context);
    }

    /** The connector's descriptor for this connection, checked to keep the connector's id and auth kind. */
    private static ConnectorDescriptor connectionDescriptor(
            Connector connector, ConnectorContext context, ConnectionConfig config) {
        ConnectorDescriptor declared = connector.descriptor();
        ConnectorDescriptor forConnection = connector.descriptor(context);
        if (!forConnection.id().equals(declared.id()) || forConnection.authKind() != declared.authKind()) {
            throw new IllegalStateException("connector '" + declared.id() + "' described connection '" + config.id()
                    + "' as connector '" + forConnection.id() + "' with auth " + forConnection.authKind()
                    + ": a connection's descriptor keeps the connector's id and auth kind");
        }
        return forConnection;
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
            String cursorField = stream.cursorField();
            if (pinned == null || cursorField == null) {
                continue;
            }
            for (String key : List.of(stream.primaryKey(), cursorField)) {
                String role = key.equals(cursorField) ? "cursor field" : "primary key";
                Schema.Field field = pinned.field(key).orElse(null);
                String wrong = field == null
                        ? "omits its " + role + " '" + key + "'"
                        : field.nullable() || !field.required()
                                ? "declares its " + role + " '" + key + "' optional or nullable"
                                : !SCALAR_KEYS.contains(field.type())
                                        ? "declares its " + role + " '" + key + "' as " + field.type()
                                        : null;
                if (wrong != null) {
                    throw new IllegalArgumentException("connection '" + config.id()
                            + "': the contract pinned for incremental stream '" + stream.name() + "' " + wrong
                            + "; declare it always present and never null, as a string, number, timestamp or date"
                            + " (Schema.Builder.required(\"" + key + "\", FieldType.STRING)): reads resume by it and"
                            + " stop on any record without it");
                }
            }
        }
    }

    /**
     * The connection's policy, else QUARANTINE where a quarantine store was configured and REPORT where none was:
     * no default moves a checkpoint past records kept nowhere durable, and asking for QUARANTINE without a store
     * fails the build.
     */
    private static DriftPolicy driftPolicy(ConnectionConfig config, SwitchboardSpec parts) {
        DriftPolicy configured = config.driftPolicy().orElse(null);
        if (configured == DriftPolicy.QUARANTINE && !parts.quarantineConfigured()) {
            throw new IllegalArgumentException(
                    "connection '" + config.id() + "' quarantines records that break their"
                            + " contract, but no quarantine store is configured: its reads would move their checkpoint past"
                            + " records a restart loses. Configure Switchboard.builder().quarantineStore(JdbcQuarantineStore...),"
                            + " or QuarantineStore.inMemory() if losing them on a restart is acceptable, or use DriftPolicy.REPORT");
        }
        DriftPolicy policy = configured != null
                ? configured
                : parts.quarantineConfigured() ? DriftPolicy.QUARANTINE : DriftPolicy.REPORT;
        if (policy == DriftPolicy.QUARANTINE && !parts.quarantine().durable()) {
            log.warn(
                    "Connection '{}' quarantines records in a store that does not outlive the process ({}):"
                            + " a restart loses them",
                    config.id(),
                    parts.quarantine());
        }
        return policy;
    }

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

    // ---- lifecycle ---------------------------------------------------------------------------------

    /** Starts a call on this runtime; false once it is retired (the caller resolves the connection again). */
    boolean enter() {
        inFlight.incrementAndGet();
        if (retired) {
            exit();
            return false;
        }
        return true;
    }

    /** Ends a call; the last call on a retired runtime closes its session. */
    void exit() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            close();
        }
    }

    /** No new call starts here; the session closes once the calls under way end. */
    void retire() {
        retired = true;
        if (inFlight.get() == 0) {
            close();
        }
    }

    boolean retired() {
        return retired;
    }

    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            session.close();
        } catch (RuntimeException e) {
            log.warn("Closing the session of connection '{}' failed", config.id(), e);
        }
        ConnectionHttp pipeline = http;
        if (pipeline != null) {
            pipeline.close();
        }
    }

    // ---- the operations ----------------------------------------------------------------------------

    String id() {
        return config.id();
    }

    ConnectionConfig config() {
        return config;
    }

    /** The drift policy reads apply: the connection's, or the default the Switchboard's quarantine store implies. */
    DriftPolicy driftPolicy() {
        return driftPolicy;
    }

    ConnectorDescriptor descriptor() {
        return descriptor;
    }

    StreamDescriptor stream(String name, String opName) {
        return descriptor.stream(name)
                .orElseThrow(() -> new InvalidInputException(
                        descriptor.id(),
                        opName,
                        "no stream '" + name + "'; streams: "
                                + descriptor.streams().stream()
                                        .map(StreamDescriptor::name)
                                        .toList()));
    }

    Schema contract(String stream) {
        return config.contract(stream)
                .orElseGet(() -> stream(stream, "contract " + stream).schema());
    }

    /** The stream as reads see it: the connection's contract as its schema. */
    StreamDescriptor pinned(StreamDescriptor stream) {
        Schema contract = contract(stream.name());
        return contract == stream.schema() || contract.equals(stream.schema()) ? stream : stream.withSchema(contract);
    }

    Optional<Schema> describe(AgentContext context, String streamName) {
        String opName = "describe " + streamName;
        StreamDescriptor stream = stream(streamName, opName);
        authorize(context, operation(stream.name(), Effect.READ, Operation.Kind.DESCRIBE, List.of(), null), opName);
        VendorHttp bound = http(credentialKey(context.principal()), false, false); // metadata: no caller input
        return inContext(context, opName, () -> session.describe(stream, bound));
    }

    /**
     * Opens a governed read; the caller {@link #enter() entered} this runtime, and closing the stream exits
     * it. {@code feed} marks a change feed's poll: its tombstones are authorized per stream (the
     * subscription), not filtered per record, and {@code credentialsOf} (when not null) names the principal
     * whose grant polls a {@code PER_PRINCIPAL} connection.
     */
    RecordStream read(
            AgentContext context,
            ReadRequest request,
            boolean feed,
            dev.switchboard.core.@Nullable Principal credentialsOf) {
        String opName = "read " + request.stream();
        StreamDescriptor stream = stream(request.stream(), opName);
        String filterDigest = Checkpoint.filterDigest(request.filter());
        Checkpoint since = request.since();
        if (since != null && !since.stream().equals(stream.name())) {
            throw new InvalidInputException(
                    descriptor.id(),
                    opName,
                    "the checkpoint belongs to stream '" + since.stream() + "', not '" + stream.name() + "'");
        }
        if (since != null && !since.positions().isEmpty() && !stream.incremental()) {
            throw new InvalidInputException(
                    descriptor.id(),
                    opName,
                    "stream '" + stream.name() + "' is not incremental; read it without a checkpoint");
        }
        if (since != null
                && since.filterDigest().isPresent()
                && !since.filterDigest().get().equals(filterDigest)) {
            throw new InvalidInputException(
                    descriptor.id(),
                    opName,
                    "the checkpoint was taken by a read with another filter, so its positions say nothing about the"
                            + " records this filter selects; resume with the filter it was taken with "
                            + "(the same ReadRequest.where(...) values), or read this filter from the start");
        }
        // The connector reads what the connection's contract promises (an org's own fields included);
        // the stream keeps the primary key and cursor the connector declares.
        Schema contract = contract(stream.name());
        for (String field : request.fields()) {
            if (contract.field(field).isEmpty()) {
                throw new InvalidInputException(
                        descriptor.id(),
                        opName,
                        "'" + abbreviate(field) + "' is not in the contract of stream '" + stream.name()
                                + "'; pin a contract that includes it (ConnectionConfig.contract), or ask for fields of "
                                + contract.fields().stream()
                                        .map(Schema.Field::name)
                                        .toList());
            }
        }
        authorize(
                context,
                operation(
                        stream.name(),
                        Effect.READ,
                        feed ? Operation.Kind.SUBSCRIBE : Operation.Kind.READ,
                        request.fields(),
                        null),
                opName);
        String credentialKey = credentialKey(credentialsOf != null ? credentialsOf : context.principal());
        Checkpoint start =
                since == null ? Checkpoint.start(stream.name(), filterDigest) : since.withFilterDigest(filterDigest);
        StreamCall call = new StreamCall(
                pinned(stream),
                request,
                start.positions(),
                http(credentialKey, false, !request.filter().isEmpty()), // a read's caller input is its filter
                credentials(credentialKey),
                context,
                parts.accessPolicy().rowScope(context, config.id()));
        return new GovernedRecordStream(this, context, call, start, credentialKey, feed);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    ActionResult execute(AgentContext context, String actionName, JsonObject input) {
        String opName = "action " + actionName;
        ActionDescriptor action = action(actionName, opName);
        validate(action, input, opName);
        String inputDigest = Json.canonicalDigest(input);
        authorize(context, operation(actionName, action.effect(), Operation.Kind.ACTION, List.of(), input), opName);
        if (action.effect().needsConsent()) {
            switchboard.consentFlow().check(this, context, action, input, inputDigest, opName);
        }
        AuditEvent.Kind kind = action.effect() == Effect.READ ? AuditEvent.Kind.READ : AuditEvent.Kind.WRITE;
        if (kind == AuditEvent.Kind.WRITE && parts.auditFailClosed()) {
            // Fail closed: the write is refused unless the log holds its intent before anything is sent.
            boolean written = switchboard
                    .auditor()
                    .record(event(context, AuditEvent.Kind.WRITE, AuditEvent.Outcome.ALLOWED, actionName)
                            .effect(action.effect())
                            .inputDigest(inputDigest)
                            .detail("about to send")
                            .build());
            if (!written) {
                throw new AuditUnavailableException(
                        descriptor.id(),
                        opName,
                        "the audit log could not record this write and the Switchboard is built fail-closed, so"
                                + " nothing was sent; fix the audit sink, then call again");
            }
        }
        String credentialKey = credentialKey(context.principal());
        ActionCall call = new ActionCall(
                action, input, http(credentialKey, action.retrySafe(), true), credentials(credentialKey), context);
        ActionOutput output;
        try {
            output = inContext(context, opName, () -> session.execute(call));
        } catch (SwitchboardException e) {
            switchboard
                    .auditor()
                    .record(event(context, kind, AuditEvent.Outcome.FAILED, actionName)
                            .effect(action.effect())
                            .inputDigest(inputDigest)
                            .detail(e.getClass().getSimpleName())
                            .build());
            throw e;
        }
        List<RecordRef> affected = checkAffected(output.affected(), opName);
        List<String> ids = new ArrayList<>(Math.min(affected.size(), AuditEvent.MAX_RECORD_IDS));
        for (RecordRef ref : affected) {
            if (ids.size() < AuditEvent.MAX_RECORD_IDS) {
                ids.add(ref.stream() + "/" + ref.id());
            }
        }
        switchboard
                .auditor()
                .record(event(context, kind, AuditEvent.Outcome.SUCCEEDED, actionName)
                        .effect(action.effect())
                        .inputDigest(inputDigest)
                        .records(ids, affected.size())
                        .detail(action.effect().name()
                                + (affected.isEmpty() ? "" : ", " + affected.size() + " affected"))
                        .build());
        Instant now = parts.clock().instant();
        for (RecordRef ref : affected) {
            switchboard
                    .changes()
                    .publish(
                            ChangeEvent.of(
                                    config.id(),
                                    ref.stream(),
                                    ref.id(),
                                    ref.deleted() ? ChangeEvent.Op.DELETE : ChangeEvent.Op.UPSERT,
                                    ref.version(),
                                    now,
                                    ChangeEvent.Origin.WRITE),
                            context.principal());
        }
        return new ActionResult(config.id(), actionName, output.output(), affected);
    }

    /** Affected records must name streams of this connector: a cache keyed by stream forgets nothing otherwise. */
    private List<RecordRef> checkAffected(List<RecordRef> affected, String opName) {
        for (RecordRef ref : affected) {
            if (descriptor.stream(ref.stream()).isEmpty()) {
                log.warn(
                        "Connector '{}' reported {} affected by {}, but has no stream '{}'",
                        descriptor.id(),
                        ref,
                        opName,
                        ref.stream());
            }
        }
        return affected;
    }

    ActionPreview preview(AgentContext context, String actionName, JsonObject input) {
        String opName = "preview " + actionName;
        ActionDescriptor action = action(actionName, opName);
        validate(action, input, opName);
        authorize(context, operation(actionName, action.effect(), Operation.Kind.PREVIEW, List.of(), input), opName);
        String credentialKey = credentialKey(context.principal());
        ActionCall call =
                new ActionCall(action, input, http(credentialKey, true, true), credentials(credentialKey), context);
        ActionPreview preview = inContext(context, opName, () -> {
            try {
                return session.dryRun(call);
            } catch (UnsupportedOperationException e) {
                throw new PermanentException(
                        descriptor.id(),
                        opName,
                        "connector '" + descriptor.id() + "' cannot preview action '" + actionName
                                + "'; nothing was sent. Describe the action's input to the user instead");
            }
        });
        if (!preview.summary().isBlank()) {
            return preview.withSummary(bounded(preview.summary()));
        }
        String summary = summary(action, input);
        return summary == null ? preview : preview.withSummary(summary);
    }

    /** The longest summary a prompt carries; a connector's longer one is cut. */
    static final int MAX_SUMMARY = 500;

    /**
     * The connector's one-sentence summary of this call ({@link ConnectorSession#summarize}), or null when
     * it gives none. A connector's failure here costs the prompt its summary, never the call: the generic
     * prompt stands in.
     */
    @Nullable
    String summary(ActionDescriptor action, JsonObject input) {
        Optional<String> summary;
        try {
            summary = session.summarize(action, input);
        } catch (RuntimeException e) {
            // Only the exception's class: its message could carry the input.
            log.warn(
                    "Connector '{}' failed to summarize action '{}' ({}); its consent prompt shows the input instead",
                    descriptor.id(),
                    action.name(),
                    e.getClass().getName());
            return null;
        }
        return summary.filter(s -> !s.isBlank()).map(ConnectionRuntime::bounded).orElse(null);
    }

    /** A summary as a person sees it: secrets a connector let through masked, cut to {@link #MAX_SUMMARY}. */
    private static String bounded(String summary) {
        String masked = Redaction.message(summary.strip());
        return masked.length() <= MAX_SUMMARY ? masked : masked.substring(0, MAX_SUMMARY) + "...";
    }

    ActionDescriptor action(String actionName, String opName) {
        return descriptor
                .action(actionName)
                .orElseThrow(() -> new InvalidInputException(
                        descriptor.id(),
                        opName,
                        "no action '" + actionName + "'; actions: "
                                + descriptor.actions().stream()
                                        .map(ActionDescriptor::name)
                                        .toList()));
    }

    private void validate(ActionDescriptor action, JsonObject input, String opName) {
        List<String> violations =
                Objects.requireNonNull(validators.get(action.name())).violations(input);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(
                    descriptor.id(), opName, "the input does not match the action's schema", violations, null);
        }
    }

    /** An operation on this connection, for the access policy. */
    Operation operation(
            String name, Effect effect, Operation.Kind kind, List<String> fields, @Nullable JsonObject input) {
        return new Operation(config.id(), descriptor.id(), name, effect, kind, fields, input);
    }

    void authorize(AgentContext context, Operation operation, String opName) {
        AccessDecision decision = parts.accessPolicy().authorize(context, operation);
        switchboard
                .auditor()
                .record(event(
                                context,
                                AuditEvent.Kind.ACCESS,
                                decision.allowed() ? AuditEvent.Outcome.ALLOWED : AuditEvent.Outcome.DENIED,
                                operation.name())
                        .effect(operation.effect())
                        .inputDigest(operation.input() == null ? null : Json.canonicalDigest(operation.input()))
                        .detail(operation.kind() + ": " + decision.reason())
                        .build());
        if (!decision.allowed()) {
            throw new PermissionDeniedException(
                    descriptor.id(),
                    opName,
                    "access denied for user '" + context.principal().userId() + "': " + decision.reason());
        }
    }

    /** The credential key of a principal's calls: empty for a connector that needs no credential. */
    /**
     * The identity a read's cached pages are keyed by: its credential key, and for a connector whose reads
     * depend on the principal ({@link Connector#readsDependOnPrincipal()}) the principal as well.
     */
    String cacheIdentity(String credentialKey, dev.switchboard.core.Principal principal) {
        if (!readsDependOnPrincipal) {
            return credentialKey;
        }
        return credentialKey + "\u0000"
                + Json.canonicalDigest(JsonObject.builder()
                        .put("user", principal.userId())
                        .put("tenant", principal.tenantId())
                        .put(
                                "roles",
                                Json.strings(principal.roles().stream().sorted().toList()))
                        .put(
                                "scopes",
                                Json.strings(
                                        principal.scopes().stream().sorted().toList()))
                        .put("system", principal.system())
                        .build());
    }

    String credentialKey(dev.switchboard.core.Principal principal) {
        return descriptor.authKind().needsCredential() ? config.credentialKey(principal) : "";
    }

    /** The pipeline bound to one call, or one that refuses for a connection without a base URL. */
    VendorHttp http(String credentialKey, boolean retrySafe, boolean callerInput) {
        ConnectionHttp pipeline = http;
        if (pipeline == null) {
            return new VendorHttp() {
                @Override
                public VendorResponse execute(VendorRequest request) {
                    throw new PermanentException(
                            descriptor.id(),
                            request.operation(),
                            "connection '" + config.id() + "' has no base URL: connector '" + descriptor.id()
                                    + "' declared that it sends no HTTP requests");
                }

                @Override
                public String baseUrl() {
                    return "";
                }
            };
        }
        return pipeline.bind(
                descriptor.authKind().appliedByPipeline() && !credentialKey.isEmpty() ? credentialKey : null,
                retrySafe,
                callerInput);
    }

    /** The credential of a call, for connectors that apply it themselves. */
    CallCredentials credentials(String credentialKey) {
        CredentialSource source = parts.credentials();
        String connector = descriptor.id();
        return new CallCredentials() {
            @Override
            public Credential current() {
                return require().current(credentialKey);
            }

            @Override
            public Credential refreshAfterRejection(Credential rejected) {
                return require().refreshAfterRejection(credentialKey, rejected.version());
            }

            private CredentialSource require() {
                if (source == null || credentialKey.isEmpty()) {
                    throw new ReauthorizationRequiredException(
                            connector,
                            "credential",
                            "connector '" + connector
                                    + "' declared that it needs no credential, so none is configured");
                }
                return source;
            }
        };
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

    /** An audit event of this connection for {@code context}. */
    AuditEvent.Builder event(AgentContext context, AuditEvent.Kind kind, AuditEvent.Outcome outcome, String operation) {
        return AuditEvent.builder(parts.clock().instant(), kind, outcome)
                .connection(config.id())
                .operation(operation)
                .principal(context.principal().tenantId(), context.principal().userId())
                .session(context.sessionId(), context.traceId());
    }

    /** Records an event of this connection (counted and logged if the sink fails). */
    void audit(
            AgentContext context,
            AuditEvent.Kind kind,
            AuditEvent.Outcome outcome,
            String operation,
            List<String> recordIds,
            String detail) {
        switchboard
                .auditor()
                .record(event(context, kind, outcome, operation)
                        .records(recordIds, recordIds.size())
                        .detail(detail)
                        .build());
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

    SwitchboardSpec parts() {
        return parts;
    }

    SwitchboardRuntime switchboard() {
        return switchboard;
    }
}
