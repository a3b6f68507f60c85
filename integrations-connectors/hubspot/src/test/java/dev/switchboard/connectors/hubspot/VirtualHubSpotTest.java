package dev.switchboard.connectors.hubspot;

import dev.switchboard.core.ActionResult;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A HubSpot connection to FakeHubSpot in virtual time, opened before and closed after each test. */
abstract class VirtualHubSpotTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    protected final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    protected HubSpotHarness hub;

    @BeforeEach
    void open() {
        hub = HubSpotHarness.virtual(FAKE, clock, Map.of());
    }

    @AfterEach
    void close() {
        hub.close();
    }

    /** Runs an action with input given as JSON text. */
    protected ActionResult execute(String action, String input) {
        return hub.connection.execute(HubSpotHarness.CONTEXT, action, (JsonObject) Json.parse(input));
    }
}
