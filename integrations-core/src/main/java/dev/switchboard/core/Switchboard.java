package dev.switchboard.core;

import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.auth.RefreshingCredentialSource;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.internal.runtime.RuntimeParts;
import dev.switchboard.core.internal.runtime.SwitchboardRuntime;
import dev.switchboard.core.time.Sleeper;
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
     * The connection with this id.
     *
     * @throws dev.switchboard.core.error.InvalidInputException if no connection has it
     */
    Connection connection(String id);

    /** The configured connection ids. */
    Set<String> connectionIds();

    /** Where metrics are recorded. */
    MeterRegistry meterRegistry();

    /** Where reads keep the records they quarantine for breaking their stream's contract. */
    QuarantineStore quarantine();

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
     * memory; source metadata rechecked at most hourly; the system clock, sleeper and random source.
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
        private QuarantineStore quarantine = QuarantineStore.inMemory();
        private Duration driftRecheck = Duration.ofHours(1);

        private Builder() {}

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
         * An OkHttp client to share with the application; each connection derives its own with
         * {@code newBuilder()}. Switchboard will not shut it down.
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

        /** Where reads keep the records they quarantine; {@link QuarantineStore#inMemory()} by default. */
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
            return SwitchboardRuntime.create(new RuntimeParts(
                    all,
                    List.copyOf(connections),
                    credentials,
                    accessPolicy,
                    auditSink,
                    consentGate,
                    meters,
                    httpSettings,
                    httpClient,
                    clock,
                    sleeper,
                    random,
                    quarantine,
                    driftRecheck));
        }
    }
}
