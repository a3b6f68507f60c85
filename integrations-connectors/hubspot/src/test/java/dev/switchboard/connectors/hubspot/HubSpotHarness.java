package dev.switchboard.connectors.hubspot;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.VendorFake;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/** A Switchboard with one HubSpot connection to a FakeHubSpot, for the connector's own tests. */
final class HubSpotHarness implements AutoCloseable {
  static final String PORTAL = "62515";
  static final AgentContext CONTEXT = AgentContext.of(Principal.user("agent-user", "acme"));

  final Switchboard switchboard;
  final Connection connection;
  /** The pipeline's metrics ({@code switchboard.http.requests} and the rest). */
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  HubSpotHarness(FakeHubSpot fake, Clock clock, Sleeper sleeper, Map<String, String> extraSettings,
      @Nullable BudgetSettings budget, HttpSettings http) {
    TokenStore store = TokenStore.inMemory(clock);
    store.compareAndSet("hubspot-acme", 0, Credential.builder(VendorFake.ACCESS_TOKEN).build());
    Map<String, String> settings = new java.util.HashMap<>(extraSettings);
    settings.put(HubSpotConnector.PORTAL_ID, PORTAL);
    ConnectionConfig.Builder config = ConnectionConfig.builder("hubspot-acme").connector("hubspot").baseUrl(fake.baseUrl())
        .settings(settings).http(http);
    if (budget != null) {
      config.budget(budget);
    }
    switchboard = Switchboard.builder()
        .discoverConnectors(true) // found through META-INF/services, as a user gets it
        .connection(config.build())
        .tokenStore(store)
        .accessPolicy(AccessPolicy.allowAll())
        .consentGate(ConsentGate.approveAll())
        .auditSink(AuditSink.inMemory())
        .clock(clock)
        .sleeper(sleeper)
        .random(new Random(7))
        .meterRegistry(meters)
        .build();
    connection = switchboard.connection("hubspot-acme");
  }

  static HubSpotHarness virtual(FakeHubSpot fake, dev.switchboard.core.time.ManualClock clock, Map<String, String> settings) {
    fake.clock(clock);
    return new HubSpotHarness(fake, clock, clock.sleeper(), settings, null,
        HttpSettings.custom().backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(10))
            .maxAttempts(3).build());
  }

  List<Record> readAll(ReadRequest request) {
    List<Record> out = new ArrayList<>();
    try (RecordStream s = connection.read(CONTEXT, request)) {
      s.forEach(out::add);
    }
    return out;
  }

  Checkpoint checkpointAfterReadingAll(ReadRequest request) {
    try (RecordStream s = connection.read(CONTEXT, request)) {
      s.forEach(r -> { });
      return s.checkpoint();
    }
  }

  @Override
  public void close() {
    switchboard.close();
  }
}
