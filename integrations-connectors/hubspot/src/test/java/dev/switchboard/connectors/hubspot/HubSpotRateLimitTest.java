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
        // 5 requests per 10 s is far below the 10-second budget (9.5 a second): only the headers can hold it.
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
        h.readAll(ReadRequest.of("contacts")); // the properties check is done for the hour: only searches follow
        FAKE.dailyLimit(0);
        int searches = FAKE.requestCount("/crm/v3/objects/contacts/search");

        QuotaExhaustedException e =
                catchThrowableOfType(QuotaExhaustedException.class, () -> h.readAll(ReadRequest.of("contacts")));

        assertThat(e.until()).isEqualTo(Instant.parse("2026-06-02T00:00:00Z"));
        assertThat(FAKE.requestCount("/crm/v3/objects/contacts/search"))
                .as("sent once, never retried")
                .isEqualTo(searches + 1);
        // The search budget is paused until midnight: a later search is the same spent quota, and is not sent.
        FAKE.dailyLimit(250_000);
        QuotaExhaustedException later =
                catchThrowableOfType(QuotaExhaustedException.class, () -> h.readAll(ReadRequest.of("contacts")));
        assertThat(later.until()).isEqualTo(Instant.parse("2026-06-02T00:00:00Z"));
        assertThat(FAKE.requestCount("/crm/v3/objects/contacts/search"))
                .as("the later search was not sent")
                .isEqualTo(searches + 1);
        // The portal's other budget is not paused.
        assertThat(h.readAll(ReadRequest.of("owners"))).hasSize(2);
    }

    @Test
    void theTenSecondBudgetIsSizedForTheWindowAndSearchKeepsItsOwnPace() {
        FAKE.seed("contacts", 60);
        HubSpotHarness h = open();

        // 5 at once, then 9.5 a second: 60 list requests wait 55 / 9.5 = 5.79 s (search's pace would take 12 s).
        for (int i = 0; i < 60; i++) {
            h.readAll(ReadRequest.of("owners"));
        }
        Duration listing = clock.totalSlept();
        // 15 searches at search's own pace, 1 at once and 4.75 a second: 14 wait 2.95 s, whatever the lists
        // spent; the read's own request on the 10-second budget waits its turn behind the lists, 0.1 s.
        // (Pairs of contacts share a modstamp; a page of 5 ends inside a pair, which the next query, from
        // that modstamp, reads again: 4 new contacts a page, 60 in 15 searches.)
        assertThat(h.readAll(ReadRequest.of("contacts").pageSize(5))).hasSize(60);
        Duration searching = clock.totalSlept().minus(listing);

        assertThat(listing).isBetween(Duration.ofMillis(5_700), Duration.ofMillis(5_900));
        assertThat(searching).isBetween(Duration.ofMillis(2_900), Duration.ofMillis(3_100));
        assertThat(FAKE.throttledCount()).as("429s sent").isZero();
    }

    @Test
    void searchesKeepToSearchsOwnLimitOfFiveASecond() {
        FAKE.seed("contacts", 60);
        HubSpotHarness h = open();

        assertThat(h.readAll(ReadRequest.of("contacts").pageSize(5))).hasSize(60);

        // Key paging: each page after the first starts at the modstamp the last one ended in (see above).
        assertThat(FAKE.requestCount(r -> r.path().endsWith("/search"))).isEqualTo(15);
        assertThat(FAKE.searchThrottledCount()).as("search 429s").isZero();
    }
}
