package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.time.Sleeper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/** What the builder collected, handed to the runtime in one piece. */
public record RuntimeParts(
        Map<String, Connector> connectors,
        List<ConnectionConfig> connections,
        @Nullable CredentialSource credentials,
        AccessPolicy accessPolicy,
        AuditSink auditSink,
        ConsentGate consentGate,
        MeterRegistry meters,
        HttpSettings httpSettings,
        @Nullable OkHttpClient httpClient,
        Clock clock,
        Sleeper sleeper,
        Supplier<RandomGenerator> random,
        QuarantineStore quarantine,
        Duration driftRecheck) {}
