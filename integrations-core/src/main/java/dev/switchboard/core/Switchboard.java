package dev.switchboard.core;

import dev.switchboard.core.audit.AuditBuffer;
import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.auth.RefreshingCredentialSource;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.cache.ReadCache;
import dev.switchboard.core.change.ChangeListener;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.PositionStore;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.drift.QuarantineView;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.Consents;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.http.RateBudgetStore;
import dev.switchboard.core.spi.SwitchboardFactory;
import dev.switchboard.core.spi.SwitchboardSpec;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.core.webhook.ReplayGuard;
import dev.switchboard.core.webhook.WebhookHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: configured connections over registered connectors, sharing one HTTP client, one
 * token store, one access policy, one audit sink and one meter registry. Thread-safe. Close it to
 * release the HTTP client it created.
 *
 * <pre>{@code
 * Switchboard sb = Switchboard.builder()
 *     .connection(ConnectionConfig.builder("tickets").connector("helpdesk").baseUrl(url).build())
 *     .tokenStore(store)
 *     .accessPolicy(AccessPolicy.rowLevel())
 *     .build();
 * try (RecordStream tickets = sb.connection("tickets").read(ctx, ReadRequest.of("tickets"))) {
 *   tickets.forEach(agent::observe);
 * }
 * }</pre>
 */
public interface Switchboard extends AutoCloseable {
    /**
     * The connection with this id: a handle that always acts on the connection as currently configured
     * (see {@link #updateConnection}); once the connection is removed, its calls are refused.
     *
     * @throws dev.switchboard.core.error.InvalidInputException if no connection has it
     */
    Connection connection(String id);

    /** The configured connection ids. */
    Set<String> connectionIds();

    /**
     * Adds a connection to the running Switchboard (a tenant onboarded), checked like one given to the
     * builder. Thread-safe.
     *
     * @throws IllegalArgumentException if the id is taken or the configuration is invalid (nothing changes)
     */
    void addConnection(ConnectionConfig config);

    /**
     * Replaces the configuration of a connection. Calls that start afterwards use the new one; reads and
     * actions already under way finish on the configuration they started with, whose session is closed
     * when the last of them ends. Thread-safe.
     *
     * @throws IllegalArgumentException if no connection has the id, or the configuration is invalid
     *     (nothing changes)
     */
    void updateConnection(ConnectionConfig config);

    /**
     * Removes a connection: later calls on it are refused with
     * {@link dev.switchboard.core.error.InvalidInputException}; reads already under way finish, then its
     * session is closed, and its change feeds stop. Returns whether it existed. Thread-safe.
     */
    boolean removeConnection(String id);

    /**
     * Follows the changes of a connection's streams (see {@link ChangeRequest}): records changed or
     * deleted at the source as core polls incremental streams (with the connection's own credential, or the
     * principal the request names on a {@code PER_PRINCIPAL} connection), as the connector pushes them, as
     * webhooks report them, and as actions run through this Switchboard report their affected records.
     * Authorized like a read of each stream (operation kind {@code SUBSCRIBE}) and audited. Upserts pass the
     * access policy's row filter for {@code context}'s principal; deletes are authorized per stream, not
     * filtered per record, so a delete without ACL facts still reaches a cache that must forget it.
     *
     * <p>Delivery is at least once and in order per record. For a positioned source (a polled stream, a
     * database log) the subscriber's position is stored in the {@link PositionStore} after the listener
     * returns: after a crash, only unacknowledged events repeat. A pushed stream's reader (a database's
     * change data capture) is opened before this method returns, so a change committed after it returned is
     * delivered; if it cannot open yet, {@link Subscription#lastFailure()} says why and the feed tries again.
     * Webhook and write events have no position:
     * they are delivered at once, on the thread that received them, and mark their stream so its next poll
     * runs early; a listener that throws on one is logged and counted, and the early poll brings the record
     * again.
     *
     * @throws dev.switchboard.core.error.PermissionDeniedException if the policy denies a stream, or a user
     *     names another principal's grant to poll with ({@code pollAs}: only a system principal may)
     * @throws dev.switchboard.core.error.InvalidInputException for an unknown connection or stream, a
     *     stream no feed can follow, or a {@code PER_PRINCIPAL} connection without {@code pollAs}
     */
    Subscription subscribe(AgentContext context, ChangeRequest request, ChangeListener listener);

    /** The handler to mount in the application's HTTP server for vendors' webhook deliveries. */
    WebhookHandler webhooks();

    /** The application's side of consent: approving and denying what calls were refused for. */
    Consents consent();

    /** The quarantined records {@code context}'s principal may see, authorized, filtered and audited. */
    QuarantineView quarantine(AgentContext context);

    /** Where metrics are recorded. */
    MeterRegistry meterRegistry();

    /**
     * The bucket keys of the rate budgets that exist (sorted): each used by a request, or declared by a
     * connection's connector at {@link Builder#build()} ({@code Connector.budgetKeys}).
     */
    Set<String> rateBudgetKeys();

    /**
     * Lifts every pause of one rate budget (a vendor's wait, a spent quota) and refills it, so the next
     * call goes out at once: for when the application knows the vendor raised its limit. Without it, a
     * spent quota holds until its announced reset, tested by one request every
     * {@code HttpSettings.quotaProbeInterval()}.
     *
     * @param bucketKey a key of {@link #rateBudgetKeys()}, e.g. a connection id or
     *     {@code hubspot:{portal}:10s}
     * @throws dev.switchboard.core.error.InvalidInputException naming the known keys when none is
     *     {@code bucketKey}
     */
    void resetRateBudget(String bucketKey);

    /** Stops change feeds, closes sessions, and releases the HTTP client it created. */
    @Override
    void close();

    static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link Switchboard}. Fails fast: an unknown connector id, a duplicate connection id or a
     * missing token store for a connector that needs credentials is an error at {@link #build()}.
     * Defaults: connectors found by {@link ServiceLoader}; deny-all access policy; consent refused;
     * audit to the SLF4J logger {@code dev.switchboard.audit}; a private meter registry; quarantine in
     * memory; source metadata rechecked at most hourly; the system clock, sleeper and random source;
     * no read cache; positions, webhook replays and consent requests in memory; webhooks accepted within
     * five minutes of their signed time; a failing audit sink logged and counted, never blocking a call;
     * rate budgets in this process.
     */
    final class Builder {
        private final Map<String, Connector> connectors = new LinkedHashMap<>();
        private final List<ConnectionConfig> connections = new ArrayList<>();
        private boolean discover = true;
        private @Nullable TokenStore tokenStore;
        private @Nullable CredentialSource credentialSource;
        private AccessPolicy accessPolicy = AccessPolicy.denyAll();
        private AuditSink auditSink = AuditSink.logging();
        private ConsentGate consentGate = ConsentGate.denyAll();
        private @Nullable MeterRegistry meterRegistry;
        private HttpSettings httpSettings = HttpSettings.defaults();
        private @Nullable OkHttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
        private @Nullable QuarantineStore quarantine;
        private Duration driftRecheck = Duration.ofHours(1);
        private final Map<String, Object> resources = new LinkedHashMap<>();
        private ReadCache readCache = ReadCache.none();
        private PositionStore positionStore = PositionStore.inMemory();
        private @Nullable ReplayGuard replayGuard;
        private ConsentLedger consentLedger = ConsentLedger.inMemory();
        private Duration consentTtl = ConsentLedger.DEFAULT_TTL;
        private Duration webhookTolerance = Duration.ofMinutes(5);
        private boolean auditFailClosed;
        private @Nullable AuditBuffer auditBuffer;
        private RateBudgetStore rateBudgetStore = RateBudgetStore.inMemory();

        private Builder() {}

        /**
         * Hands a resource the application owns (a {@code DataSource}, a client of its own) to connectors by
         * name; a connection names the one it uses in its settings. Switchboard never closes it.
         */
        public Builder resource(String name, Object resource) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("resource names are letters, digits, '.', '_' and '-': " + name);
            }
            if (resources.putIfAbsent(name, Objects.requireNonNull(resource, "resource")) != null) {
                throw new IllegalArgumentException("resource '" + name + "' is registered twice");
            }
            return this;
        }

        /** The read cache every read consults ({@link ReadCache#none()} by default). */
        public Builder readCache(ReadCache readCache) {
            this.readCache = Objects.requireNonNull(readCache, "readCache");
            return this;
        }

        /**
         * Where change feeds store their subscribers' positions; in memory by default (a restart starts
         * every feed from the beginning).
         */
        public Builder positionStore(PositionStore positionStore) {
            this.positionStore = Objects.requireNonNull(positionStore, "positionStore");
            return this;
        }

        /**
         * Where accepted webhook deliveries are remembered to refuse replays; in memory by default (share a
         * JDBC one between instances).
         */
        public Builder replayGuard(ReplayGuard replayGuard) {
            this.replayGuard = Objects.requireNonNull(replayGuard, "replayGuard");
            return this;
        }

        /** How far a webhook's signed time may be from now (five minutes by default). */
        public Builder webhookTolerance(Duration tolerance) {
            if (tolerance.isNegative() || tolerance.isZero()) {
                throw new IllegalArgumentException("the webhook tolerance must be positive: " + tolerance);
            }
            this.webhookTolerance = tolerance;
            return this;
        }

        /** Where consent requests and decisions are kept; in memory by default (share a JDBC one between instances). */
        public Builder consentLedger(ConsentLedger consentLedger) {
            this.consentLedger = Objects.requireNonNull(consentLedger, "consentLedger");
            return this;
        }

        /** How long a consent request waits for a decision, and an approval for its call (30 minutes by default). */
        public Builder consentTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("the consent ttl must be positive: " + ttl);
            }
            this.consentTtl = ttl;
            return this;
        }

        /**
         * Whether a write whose audit entry cannot be written is refused before it is sent (true), or sent
         * with the failure counted and logged (false, the default). Either way no failure is silent.
         */
        public Builder auditFailClosed(boolean failClosed) {
            this.auditFailClosed = failClosed;
            return this;
        }

        /**
         * Hands audit events to the sink through a bounded buffer drained by one thread of the Switchboard's, so a
         * slow sink (a remote database) does not slow each call: a caller blocks for room at most
         * {@code maxBlock}, and an event that finds none is counted ({@code switchboard.audit.dropped}) and logged,
         * never lost silently. {@link Switchboard#close()} records what is still buffered. Cannot be combined with
         * {@link #auditFailClosed(boolean) fail-closed}, which records each write's entry before it is sent.
         */
        public Builder auditBuffered(int capacity, Duration maxBlock) {
            this.auditBuffer = new AuditBuffer(capacity, maxBlock);
            return this;
        }

        /** Registers a connector explicitly (it wins over one with the same id found by discovery). */
        public Builder connector(Connector connector) {
            connectors.put(connector.descriptor().id(), connector);
            return this;
        }

        /** Whether to find connectors with {@link ServiceLoader}; on by default. */
        public Builder discoverConnectors(boolean discover) {
            this.discover = discover;
            return this;
        }

        public Builder connection(ConnectionConfig connection) {
            connections.add(Objects.requireNonNull(connection));
            return this;
        }

        public Builder connections(List<ConnectionConfig> connections) {
            connections.forEach(this::connection);
            return this;
        }

        /** Where credentials live; without a credential source, rejected credentials cannot be refreshed. */
        public Builder tokenStore(TokenStore tokenStore) {
            this.tokenStore = tokenStore;
            return this;
        }

        /** How credentials are obtained and refreshed (the OAuth module's token manager, for instance). */
        public Builder credentialSource(CredentialSource credentialSource) {
            this.credentialSource = credentialSource;
            return this;
        }

        public Builder accessPolicy(AccessPolicy accessPolicy) {
            this.accessPolicy = Objects.requireNonNull(accessPolicy);
            return this;
        }

        public Builder auditSink(AuditSink auditSink) {
            this.auditSink = Objects.requireNonNull(auditSink);
            return this;
        }

        public Builder consentGate(ConsentGate consentGate) {
            this.consentGate = Objects.requireNonNull(consentGate);
            return this;
        }

        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /** HTTP settings for connections that set none of their own. */
        public Builder httpSettings(HttpSettings httpSettings) {
            this.httpSettings = Objects.requireNonNull(httpSettings);
            return this;
        }

        /**
         * Where the rate budgets' tokens live: {@link RateBudgetStore#inMemory()} (the default) for one
         * instance, {@link RateBudgetStore#postgres} for instances that share a vendor's limit.
         */
        public Builder rateBudgetStore(RateBudgetStore store) {
            this.rateBudgetStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * An OkHttp client to share with the application; each connection derives its own with
         * {@code newBuilder()}. Switchboard will not shut it down. Its connection specs are kept, but
         * {@link #build()} refuses one that allows TLS below 1.2 with an
         * {@link dev.switchboard.core.http.InsecureTransportException}; without one, Switchboard's client uses
         * {@link dev.switchboard.core.http.TransportSecurity#connectionSpecs()}.
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        /**
         * Where backoff jitter is drawn from: each wait calls {@code random.get()} on the waiting
         * thread and draws once. The default, {@code ThreadLocalRandom::current}, gives each thread its
         * own generator; tests pass a seeded one ({@code () -> seeded}, which must then be thread-safe,
         * as {@link java.util.Random} is). Never a {@code ThreadLocalRandom} captured on one thread.
         */
        public Builder random(Supplier<RandomGenerator> random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /**
         * Where reads keep the records they quarantine. Configuring one makes {@link DriftPolicy#QUARANTINE} the
         * policy of connections that set none. Without one, connections that set none get
         * {@link DriftPolicy#REPORT}, and {@link #build()} refuses a connection that asks for QUARANTINE: its
         * reads would move their checkpoint past records kept nowhere a restart cannot lose them. Use a durable
         * store ({@code JdbcQuarantineStore}), or configure {@link QuarantineStore#inMemory()} explicitly if losing
         * them on a restart is acceptable.
         */
        public Builder quarantineStore(QuarantineStore quarantine) {
            this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
            return this;
        }

        /**
         * How often a read compares a stream's contract with the source's metadata (Salesforce describe,
         * HubSpot properties), per stream and connection, on the injected clock: at most once per
         * interval (one hour by default; each costs the vendor a request). {@link Duration#ZERO} checks on
         * every read.
         */
        public Builder driftRecheckInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("the drift recheck interval cannot be negative: " + interval
                        + "; use Duration.ZERO to check on every read");
            }
            this.driftRecheck = interval;
            return this;
        }

        public Switchboard build() {
            if (auditFailClosed && auditBuffer != null) {
                throw new IllegalStateException(
                        "a Switchboard audits either fail-closed (each write's entry recorded"
                                + " before it is sent) or buffered, not both: drop auditFailClosed(true) or auditBuffered(...)");
            }
            Map<String, Connector> all = new LinkedHashMap<>();
            if (discover) {
                for (Connector c : ServiceLoader.load(Connector.class)) {
                    all.put(c.descriptor().id(), c);
                }
            }
            all.putAll(connectors);
            MeterRegistry meters = meterRegistry != null ? meterRegistry : new SimpleMeterRegistry();
            CredentialSource credentials = credentialSource;
            if (credentials == null && tokenStore != null) {
                credentials = RefreshingCredentialSource.withoutRefresh(tokenStore);
            }
            return SwitchboardFactory.load()
                    .create(new SwitchboardSpec(
                            all,
                            List.copyOf(connections),
                            credentials,
                            accessPolicy,
                            auditSink,
                            auditFailClosed,
                            auditBuffer,
                            consentGate,
                            consentLedger,
                            consentTtl,
                            meters,
                            httpSettings,
                            httpClient,
                            clock,
                            sleeper,
                            random,
                            quarantine != null ? quarantine : QuarantineStore.inMemory(),
                            quarantine != null,
                            driftRecheck,
                            Map.copyOf(resources),
                            readCache,
                            positionStore,
                            replayGuard != null ? replayGuard : ReplayGuard.inMemory(clock),
                            webhookTolerance,
                            rateBudgetStore));
        }
    }
}
