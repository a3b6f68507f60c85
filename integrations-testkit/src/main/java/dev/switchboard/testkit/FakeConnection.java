package dev.switchboard.testkit;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.fake.VendorFake;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * A Switchboard with one connection to a vendor fake, for connector tests: the fake's access token
 * in an in-memory store, every operation allowed, every write consented (unless another gate is
 * given), audit kept in memory, and virtual time unless a clock and sleeper are given. Close it after the test.
 *
 * <pre>{@code
 * try (FakeConnection hub = FakeConnection.to(FAKE, "hubspot").setting("portalId", "62515").build()) {
 *   List<Record> tickets = hub.readAll(ReadRequest.of("tickets"));
 * }
 * }</pre>
 */
public final class FakeConnection implements AutoCloseable {
    private final Switchboard switchboard;
    private final Connection connection;
    private final TokenStore store;
    private final InMemoryAuditSink audit;
    private final MeterRegistry meters;
    private final AgentContext context;

    private FakeConnection(Builder b) {
        this.store = TokenStore.inMemory(b.clock);
        this.audit = AuditSink.inMemory();
        this.meters = b.meters;
        this.context = b.context;
        Credential credential = b.credential != null
                ? b.credential
                : Credential.builder(VendorFake.ACCESS_TOKEN)
                        .attributes(b.credentialAttributes)
                        .build();
        ConnectionConfig.Builder config = ConnectionConfig.builder(b.connectionId)
                .connector(b.connectorId)
                .baseUrl(b.baseUrl != null ? b.baseUrl : b.fake.baseUrl())
                .settings(b.settings);
        if (b.http != null) {
            config.http(b.http);
        }
        if (b.budget != null) {
            config.budget(b.budget);
        }
        config.driftPolicy(b.driftPolicy);
        b.contracts.forEach(config::contract);
        ConnectionConfig built = config.build();
        store.compareAndSet(built.credentialKey(context.principal()), 0, credential);
        Random jitter = new Random(b.seed);
        Switchboard.Builder sb = Switchboard.builder()
                .discoverConnectors(b.connector == null) // found through META-INF/services, as a user gets it
                .connection(built)
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(b.consentGate)
                .auditSink(audit)
                .meterRegistry(meters)
                .clock(b.clock)
                .sleeper(b.sleeper)
                .random(() -> jitter); // one seeded generator (thread-safe): reproducible waits
        if (b.connector != null) {
            sb.connector(b.connector);
        }
        // A test's connection quarantines by default, so it names its store: an in-memory one unless given.
        sb.quarantineStore(b.quarantine != null ? b.quarantine : QuarantineStore.inMemory());
        this.switchboard = sb.build();
        this.connection = switchboard.connection(b.connectionId);
    }

    /** A connection of connector {@code connectorId} to this fake. */
    public static Builder to(VendorFake fake, String connectorId) {
        return new Builder(fake, connectorId);
    }

    public Switchboard switchboard() {
        return switchboard;
    }

    public Connection connection() {
        return connection;
    }

    /** The store holding the connection's credential. */
    public TokenStore tokenStore() {
        return store;
    }

    public InMemoryAuditSink audit() {
        return audit;
    }

    /** Where the pipeline recorded its meters ({@code switchboard.http.requests} and the rest). */
    public MeterRegistry meters() {
        return meters;
    }

    /**
     * How many times {@code switchboard.drift} counted this drift of the connection's {@code stream}
     * with this {@code action} ({@code reported}, {@code quarantined}, {@code failed}); 0 if never.
     */
    public double driftCount(String stream, String field, Drift.Kind kind, String action) {
        Counter counter = meters.find("switchboard.drift")
                .tags(
                        "connection",
                        connection.id(),
                        "stream",
                        stream,
                        "field",
                        field,
                        "kind",
                        kind.name(),
                        "action",
                        action)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** The caller every read and action is made for. */
    public AgentContext context() {
        return context;
    }

    /** Reads a stream to its end and closes it. */
    public List<Record> readAll(ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = connection.read(context, request)) {
            stream.forEach(records::add);
        }
        return records;
    }

    /**
     * Reads at most {@code max} records into {@code into}, closes the stream, and returns its
     * checkpoint: a read stopped midway, as an agent that resumes later leaves it.
     */
    public Checkpoint readFirst(ReadRequest request, int max, List<Record> into) {
        try (RecordStream stream = connection.read(context, request)) {
            Iterator<Record> it = stream.iterator();
            for (int i = 0; i < max && it.hasNext(); i++) {
                into.add(it.next());
            }
            return stream.checkpoint();
        }
    }

    @Override
    public void close() {
        switchboard.close();
    }

    /** Builds a {@link FakeConnection}. */
    public static final class Builder {
        private final VendorFake fake;
        private final String connectorId;
        private String connectionId = "fake-connection";
        private @Nullable String baseUrl;
        private @Nullable Connector connector;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Map<String, String> credentialAttributes = Map.of();
        private @Nullable Credential credential;
        private @Nullable HttpSettings http;
        private @Nullable BudgetSettings budget;
        private Clock clock;
        private Sleeper sleeper;
        private MeterRegistry meters = new SimpleMeterRegistry();
        private AgentContext context = AgentContext.of(dev.switchboard.core.Principal.user("test-user", "test-tenant"));
        private long seed = 1;
        private DriftPolicy driftPolicy = DriftPolicy.QUARANTINE;
        private final Map<String, Schema> contracts = new LinkedHashMap<>();
        private @Nullable QuarantineStore quarantine;
        private ConsentGate consentGate = ConsentGate.approveAll();

        private Builder(VendorFake fake, String connectorId) {
            this.fake = Objects.requireNonNull(fake, "fake");
            this.connectorId = Objects.requireNonNull(connectorId, "connectorId");
            ManualClock virtual = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
            this.clock = virtual;
            this.sleeper = virtual.sleeper();
        }

        public Builder connectionId(String connectionId) {
            this.connectionId = connectionId;
            return this;
        }

        /**
         * The connection's configured base URL, instead of the fake's (e.g. one that goes nowhere, to
         * prove requests follow the credential's base-URL attribute).
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Registers this connector instead of finding it with ServiceLoader. */
        public Builder connector(Connector connector) {
            this.connector = connector;
            return this;
        }

        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        public Builder settings(Map<String, String> settings) {
            this.settings.putAll(settings);
            return this;
        }

        /** Attributes of the stored credential, e.g. Salesforce's {@code instance_url}. */
        public Builder credentialAttributes(Map<String, String> attributes) {
            this.credentialAttributes = Map.copyOf(attributes);
            return this;
        }

        /** The stored credential, instead of {@link VendorFake#ACCESS_TOKEN}. */
        public Builder credential(Credential credential) {
            this.credential = credential;
            return this;
        }

        public Builder http(HttpSettings http) {
            this.http = http;
            return this;
        }

        public Builder budget(BudgetSettings budget) {
            this.budget = budget;
            return this;
        }

        /** A manual clock: its own sleeper advances it, so waits cost no real time. */
        public Builder clock(ManualClock clock) {
            return clock(clock, clock.sleeper());
        }

        /** Real or virtual time, e.g. {@code Clock.systemUTC()} with {@code Sleeper.system()}. */
        public Builder clock(Clock clock, Sleeper sleeper) {
            this.clock = Objects.requireNonNull(clock);
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        public Builder meters(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters);
            return this;
        }

        public Builder context(AgentContext context) {
            this.context = Objects.requireNonNull(context);
            return this;
        }

        /**
         * What reads do with records that break their contract (the connection's default,
         * {@link DriftPolicy#QUARANTINE}, unless set); a {@link dev.switchboard.testkit.contract.ContractCheck}
         * needs {@link DriftPolicy#REPORT}.
         */
        public Builder driftPolicy(DriftPolicy driftPolicy) {
            this.driftPolicy = Objects.requireNonNull(driftPolicy, "driftPolicy");
            return this;
        }

        /** Pins {@code contract} for {@code stream} on the connection, in place of the connector's declared schema. */
        public Builder contract(String stream, Schema contract) {
            contracts.put(Objects.requireNonNull(stream, "stream"), Objects.requireNonNull(contract, "contract"));
            return this;
        }

        /** Where reads keep quarantined records (default: a fresh in-memory store per connection). */
        public Builder quarantineStore(QuarantineStore quarantine) {
            this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
            return this;
        }

        /**
         * Who consents to writes ({@link ConsentGate#approveAll()} unless set): {@link ConsentGate#askUser()}
         * to see the prompt a person would get, in {@code ConsentRequiredException.prompt()}.
         */
        public Builder consentGate(ConsentGate consentGate) {
            this.consentGate = Objects.requireNonNull(consentGate, "consentGate");
            return this;
        }

        /** Seed of the backoff jitter. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public FakeConnection build() {
            return new FakeConnection(this);
        }
    }
}
