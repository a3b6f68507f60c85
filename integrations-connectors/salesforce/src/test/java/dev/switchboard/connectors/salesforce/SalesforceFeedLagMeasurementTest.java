package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeSalesforce;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Measures, in wall-clock time, how long a change in the org takes to reach a change feed's listener: the
 * figure docs/connectors/salesforce.md quotes. A scheduled subscription polls the Case stream every second
 * (Switchboard's polling feed, the connector's resumed reads with the ten-minute look-back) while the test
 * creates 40 Cases at random moments (0 to 1 s apart), one in eight inside a transaction that commits 3 s
 * after it began (stamped when it began, so behind the checkpoint). Lag = listener call minus the moment
 * the Case became visible (the create, or the commit). Real time, so tagged {@code long}: run with
 * {@code ./mvnw -B -o -Plong -pl integrations-connectors/salesforce -am test -Dtest=SalesforceFeedLagMeasurementTest
 * -Dsurefire.failIfNoSpecifiedTests=false}. It asserts only that every Case arrived; the figures are
 * printed.
 */
@Tag("long")
class SalesforceFeedLagMeasurementTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    @Test
    void everyCaseReachesTheListenerAndTheLagIsPrinted() throws InterruptedException {
        FAKE.clock(Clock.systemUTC());
        Map<String, Long> visibleAt = new ConcurrentHashMap<>();
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        try (FakeConnection harness = FakeConnection.to(FAKE, SalesforceConnector.ID)
                        .connectionId("sf")
                        .connector(new SalesforceConnector())
                        .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                        .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()))
                        .clock(Clock.systemUTC(), Sleeper.system())
                        .build();
                Subscription feed = harness.switchboard()
                        .subscribe(
                                harness.context(),
                                ChangeRequest.builder("lag", "sf")
                                        .streams("Case")
                                        .pollEvery(Duration.ofSeconds(1))
                                        .build(),
                                (ChangeEvent e) -> deliveredAt.putIfAbsent(e.recordId(), System.nanoTime()))) {
            Random random = new Random(42);
            for (int i = 0; i < 40; i++) {
                Thread.sleep(random.nextInt(1000));
                JsonObject fields =
                        JsonObject.builder().put("Subject", "Case " + i).build();
                if (i % 8 == 0) {
                    FakeSalesforce.Transaction batch = FAKE.begin();
                    String id = batch.put("Case", fields);
                    Thread.sleep(3000);
                    batch.commit();
                    visibleAt.put(id, System.nanoTime());
                } else {
                    String id = FAKE.put("Case", fields);
                    visibleAt.put(id, System.nanoTime());
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!deliveredAt.keySet().containsAll(visibleAt.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(feed.lastFailure()).isEmpty();
        }
        assertThat(deliveredAt.keySet()).containsAll(visibleAt.keySet());
        List<Long> lags = new ArrayList<>();
        visibleAt.forEach((id, at) -> lags.add(Math.max(0, deliveredAt.get(id) - at) / 1_000_000));
        lags.sort(null);
        System.out.printf(
                "Salesforce feed lag over %d Cases (poll every 1 s): p50 %d ms, p90 %d ms, max %d ms%n",
                lags.size(), lags.get(lags.size() / 2), lags.get(lags.size() * 9 / 10), lags.get(lags.size() - 1));
    }
}
