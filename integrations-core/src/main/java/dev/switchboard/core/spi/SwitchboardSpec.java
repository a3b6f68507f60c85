package dev.switchboard.core.spi;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.audit.AuditBuffer;
import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.cache.ReadCache;
import dev.switchboard.core.change.PositionStore;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.http.RateBudgetStore;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.core.webhook.ReplayGuard;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code Switchboard.Builder} collected, handed in one piece to the {@link SwitchboardFactory}.
 * For runtime implementations, not for applications: build a Switchboard with its builder.
 */
public record SwitchboardSpec(
        Map<String, Connector> connectors,
        List<ConnectionConfig> connections,
        @Nullable CredentialSource credentials,
        AccessPolicy accessPolicy,
        AuditSink auditSink,
        boolean auditFailClosed,
        @Nullable AuditBuffer auditBuffer,
        ConsentGate consentGate,
        ConsentLedger consentLedger,
        Duration consentTtl,
        MeterRegistry meters,
        HttpSettings httpSettings,
        @Nullable OkHttpClient httpClient,
        Clock clock,
        Sleeper sleeper,
        Supplier<RandomGenerator> random,
        QuarantineStore quarantine,
        boolean quarantineConfigured,
        Duration driftRecheck,
        Map<String, Object> resources,
        ReadCache readCache,
        PositionStore positionStore,
        ReplayGuard replayGuard,
        Duration webhookTolerance,
        RateBudgetStore rateBudgetStore) {}
