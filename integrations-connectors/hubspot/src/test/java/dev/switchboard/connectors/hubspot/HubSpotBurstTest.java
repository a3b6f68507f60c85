package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The burst: 2,000 reads from 50 threads against FakeHubSpot enforcing its rolling window,
 * scaled down in time (HubSpot's 100 per 10 s becomes 100 per 200 ms), on the real clock and
 * sleeper. The budget, scaled the same way, keeps every window under the limit.
 */
class HubSpotBurstTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    private static final int THREADS = 50;
    private static final int READS = 2_000;

    @Test
    void twoThousandReadsFromFiftyThreadsFinishWithoutAFailedCall() throws Exception {
        Duration window = Duration.ofMillis(200);
        FAKE.clock(Clock.systemUTC()).rateLimit(100, window);
        // 40 at once and 40 per window: no rolling window can see more than 80 of the 100 allowed. Set on the
        // connection, it sizes every budget key, overriding the connector's own (rollingWindow(100, 10 s), search
        // rollingWindow(5, 1 s)).
        BudgetSettings budget = new BudgetSettings(40, 40, window);
        HttpSettings http = HttpSettings.custom()
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .maxTotalWait(Duration.ofSeconds(60))
                .build();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger records = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        try (HubSpotHarness hub =
                new HubSpotHarness(FAKE, Clock.systemUTC(), Sleeper.system(), Map.of(), budget, http)) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < READS / THREADS; i++) {
                        try {
                            records.addAndGet(
                                    hub.readAll(ReadRequest.of("owners")).size());
                        } catch (SwitchboardException e) {
                            failed.incrementAndGet();
                            failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }

        int sent = FAKE.requestCount("/crm/v3/owners");
        int throttled = FAKE.throttledCount();
        System.out.printf(
                "burst: %d reads from %d threads, %d requests sent, %d answered 429 (%.2f%%), %d failed calls%n",
                READS, THREADS, sent, throttled, 100.0 * throttled / READS, failed.get());
        assertThat(failures).as("failed calls").isEmpty();
        assertThat(records.get()).isEqualTo(READS * 2);
        assertThat(sent).isEqualTo(READS + throttled);
        assertThat(throttled).as("429s the fake sent").isLessThanOrEqualTo(READS / 20);
    }
}
