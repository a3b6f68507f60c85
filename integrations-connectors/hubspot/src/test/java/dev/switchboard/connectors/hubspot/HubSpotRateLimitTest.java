package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.QuotaExhaustedException;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HubSpot's limits in virtual time: the rolling window, the daily limit, search's own budget. */
class HubSpotRateLimitTest {
  @RegisterExtension
  static final FakeHubSpot FAKE = new FakeHubSpot();

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
  private HubSpotHarness hub;

  @AfterEach
  void close() {
    if (hub != null) {
      hub.close();
    }
  }

  private HubSpotHarness open() {
    hub = HubSpotHarness.virtual(FAKE, clock, Map.of());
    return hub;
  }

  @Test
  void theRateLimitHeadersKeepReadsInsideASmallRollingWindow() {
    // 5 requests per 10 s is below the default budget's pace (3 a second): only the headers can hold it.
    FAKE.rateLimit(5, Duration.ofSeconds(10));
    HubSpotHarness h = open();

    for (int i = 0; i < 20; i++) {
      assertThat(h.readAll(ReadRequest.of("owners"))).hasSize(2);
    }

    assertThat(FAKE.requestCount("/crm/v3/owners")).isEqualTo(20);
    assertThat(FAKE.throttledCount()).as("429s sent").isZero();
  }

  @Test
  void aTenSecondlyThrottleIsWaitedOutAndRetried() {
    HubSpotHarness h = open();
    FAKE.faults().throttles(2);

    assertThat(h.readAll(ReadRequest.of("owners"))).hasSize(2);

    assertThat(FAKE.responseCount(429)).isEqualTo(2);
    assertThat(FAKE.requestCount("/crm/v3/owners")).isEqualTo(3);
  }

  @Test
  void theDailyLimitIsNotRetriedTodayAndSpendsOnlyItsOwnBudget() {
    HubSpotHarness h = open();
    FAKE.dailyLimit(0);

    QuotaExhaustedException e = catchThrowableOfType(QuotaExhaustedException.class,
        () -> h.readAll(ReadRequest.of("contacts")));

    assertThat(e.until()).isEqualTo(Instant.parse("2026-06-02T00:00:00Z"));
    assertThat(FAKE.requestCount("/crm/v3/objects/contacts/search")).as("sent once, never retried").isEqualTo(1);
    // The search budget is paused until midnight; the portal's other budget is not.
    FAKE.dailyLimit(250_000);
    assertThat(h.readAll(ReadRequest.of("owners"))).hasSize(2);
  }

  @Test
  void searchesKeepToSearchsOwnLimitOfFourASecond() {
    FAKE.seed("contacts", 60);
    HubSpotHarness h = open();

    assertThat(h.readAll(ReadRequest.of("contacts").pageSize(5))).hasSize(60);

    assertThat(FAKE.requestCount(r -> r.path().endsWith("/search"))).isEqualTo(12);
    assertThat(FAKE.searchThrottledCount()).as("search 429s").isZero();
  }
}
