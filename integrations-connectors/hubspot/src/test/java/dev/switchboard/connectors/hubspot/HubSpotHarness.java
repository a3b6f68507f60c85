package dev.switchboard.connectors.hubspot;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeHubSpot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A Switchboard with one HubSpot connection to a FakeHubSpot, for the connector's own tests. */
final class HubSpotHarness implements AutoCloseable {
    static final String PORTAL = "62515";
    static final AgentContext CONTEXT = AgentContext.of(Principal.user("agent-user", "acme"));

    final Switchboard switchboard;
    final Connection connection;
    /** The pipeline's metrics ({@code switchboard.http.requests} and the rest). */
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final FakeConnection harness;

    HubSpotHarness(
            FakeHubSpot fake,
            Clock clock,
            Sleeper sleeper,
            Map<String, String> extraSettings,
            @Nullable BudgetSettings budget,
            HttpSettings http) {
        // The connector is found through META-INF/services, as a user gets it.
        FakeConnection.Builder b = FakeConnection.to(fake, "hubspot")
                .connectionId("hubspot-acme")
                .settings(extraSettings)
                .setting(HubSpotConnector.PORTAL_ID, PORTAL)
                .http(http)
                .clock(clock, sleeper)
                .meters(meters)
                .context(CONTEXT)
                .seed(7);
        if (budget != null) {
            b.budget(budget);
        }
        harness = b.build();
        switchboard = harness.switchboard();
        connection = harness.connection();
    }

    static HubSpotHarness virtual(
            FakeHubSpot fake, dev.switchboard.core.time.ManualClock clock, Map<String, String> settings) {
        fake.clock(clock);
        return new HubSpotHarness(
                fake,
                clock,
                clock.sleeper(),
                settings,
                null,
                HttpSettings.custom()
                        .backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(10))
                        .maxAttempts(3)
                        .build());
    }

    /** The token store of the connection: its credential, and secrets such as the webhook signing secret. */
    dev.switchboard.core.auth.TokenStore tokenStore() {
        return harness.tokenStore();
    }

    List<Record> readAll(ReadRequest request) {
        return harness.readAll(request);
    }

    Checkpoint checkpointAfterReadingAll(ReadRequest request) {
        try (RecordStream s = connection.read(CONTEXT, request)) {
            s.forEach(r -> {});
            return s.checkpoint();
        }
    }

    @Override
    public void close() {
        harness.close();
    }
}
