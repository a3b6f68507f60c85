package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rate limits used well (issue 12): a long read against FakeHubSpot enforcing HubSpot's rolling windows
 * (5 searches in any second, 100 requests in any 10 seconds, 429 with HubSpot's body past either) takes
 * at most 1.10 times the physical minimum (the requests it needed over the rate HubSpot allows), with no
 * failed call, under 1% of requests answered 429, and every record delivered once. In virtual time: the
 * fake's windows and the budgets share the test's clock, and every wait moves it.
 */
class HubSpotPacingTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    private static final double MOST_OVER_MINIMUM = 1.10;

    /** What one read cost: requests of the limited kind, 429s, and time against the physical minimum. */
    private record Figure(String what, int requests, int throttled, Duration elapsed, Duration minimum, int records) {
        double ratio() {
            return (double) elapsed.toNanos() / minimum.toNanos();
        }

        String line() {
            return String.format(
                    "FIGURE %s: %d requests, %d records, elapsed %.3f s, minimum %.3f s, ratio %.3fx, %d answered 429",
                    what, requests, records, elapsed.toNanos() / 1e9, minimum.toNanos() / 1e9, ratio(), throttled);
        }
    }

    @Test
    void aSearchReadOf2500ContactsKeepsCloseToFiveSearchesASecond() {
        searchInVirtualTime(2_500);
    }

    /** The larger read (1.68x before); long only because the fake's search costs ~0.5 s of CPU each. */
    @Test
    @Tag("long")
    void aSearchReadOf12500ContactsKeepsCloseToFiveSearchesASecond() {
        searchInVirtualTime(12_500);
    }

    private static void searchInVirtualTime(int contacts) {
        ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
        FAKE.seed("contacts", contacts);
        try (HubSpotHarness hub = HubSpotHarness.virtual(FAKE, clock, Map.of())) {
            Figure figure = searchRead(hub, clock::totalSlept, contacts, "virtual");
            System.out.println(figure.line());
            assertWithinTheGoal(figure);
            assertThat(figure.throttled()).as("429s in virtual time").isZero();
        }
    }

    @Test
    void aLongListReadKeepsCloseToAHundredRequestsPerTenSeconds() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
        FAKE.seedOwners(2_998); // with the seeded two, 3,000 owners: 300 pages of 10
        try (HubSpotHarness hub = HubSpotHarness.virtual(FAKE, clock, Map.of())) {
            Figure figure = ownersRead(hub, clock::totalSlept, "virtual");
            System.out.println(figure.line());
            assertWithinTheGoal(figure);
            assertThat(figure.throttled()).as("429s in virtual time").isZero();
        }
    }

    /**
     * The real-clock variants print the ratio and assert by counting only (house rule: no assertion on
     * wall-clock time): no failed call, every record once, under 1% answered 429. The fake counts by
     * arrival, so the round trips' jitter is in play; on a loaded machine a round trip longer than the
     * budget's spacing makes the read CPU-bound, and the ratio then measures the machine.
     */
    @Test
    @Tag("long")
    void onTheRealClockASearchReadOf12500Contacts() {
        FAKE.clock(Clock.systemUTC());
        FAKE.seed("contacts", 12_500);
        try (HubSpotHarness hub = realClock()) {
            long start = System.nanoTime();
            Figure figure = searchRead(hub, () -> Duration.ofNanos(System.nanoTime() - start), 12_500, "real clock");
            System.out.println(figure.line());
            assertFewThrottles(figure);
        }
    }

    @Test
    @Tag("long")
    void onTheRealClockAListReadOf300Pages() {
        FAKE.clock(Clock.systemUTC());
        FAKE.seedOwners(2_998);
        try (HubSpotHarness hub = realClock()) {
            long start = System.nanoTime();
            Figure figure = ownersRead(hub, () -> Duration.ofNanos(System.nanoTime() - start), "real clock");
            System.out.println(figure.line());
            assertFewThrottles(figure);
        }
    }

    private static HubSpotHarness realClock() {
        return new HubSpotHarness(
                FAKE,
                Clock.systemUTC(),
                Sleeper.system(),
                Map.of(),
                null,
                HttpSettings.custom()
                        .backoff(Duration.ofMillis(100), Duration.ofSeconds(10))
                        .maxAttempts(3)
                        .build());
    }

    private static Figure searchRead(
            HubSpotHarness hub, java.util.function.Supplier<Duration> elapsed, int contacts, String clockName) {
        List<Record> read = hub.readAll(ReadRequest.of("contacts"));
        Duration took = elapsed.get();
        int searches = FAKE.requestCount(r -> r.path().endsWith("/search"));
        assertDeliveredOnce(read, contacts);
        // Search's limit is 5 in any second: n searches need n / 5 seconds.
        return new Figure(
                "HubSpot search, " + contacts + " contacts, " + clockName,
                searches,
                FAKE.searchThrottledCount(),
                took,
                Duration.ofMillis(searches * 1_000L / 5),
                read.size());
    }

    private static Figure ownersRead(
            HubSpotHarness hub, java.util.function.Supplier<Duration> elapsed, String clockName) {
        List<Record> read = hub.readAll(ReadRequest.of("owners").pageSize(10));
        Duration took = elapsed.get();
        int requests = FAKE.requestCount("/crm/v3/owners");
        assertDeliveredOnce(read, 3_000);
        // The portal's limit is 100 in any 10 seconds: n requests need n / 10 seconds.
        return new Figure(
                "HubSpot owners list, 300 pages, " + clockName,
                requests,
                FAKE.throttledCount(),
                took,
                Duration.ofMillis(requests * 100L),
                read.size());
    }

    private static void assertDeliveredOnce(List<Record> read, int expected) {
        Set<String> ids = new HashSet<>();
        for (Record r : read) {
            assertThat(ids.add(r.id())).as("record %s delivered once", r.id()).isTrue();
        }
        assertThat(ids).hasSize(expected);
    }

    private static void assertWithinTheGoal(Figure figure) {
        // readAll threw on any failed call; here: the time and the 429s.
        assertThat(figure.ratio())
                .as("%s: elapsed over the physical minimum", figure.what())
                .isLessThanOrEqualTo(MOST_OVER_MINIMUM);
        assertFewThrottles(figure);
    }

    private static void assertFewThrottles(Figure figure) {
        assertThat((double) figure.throttled() / FAKE.requests().size())
                .as("%s: share of requests answered 429", figure.what())
                .isLessThan(0.01);
    }
}
