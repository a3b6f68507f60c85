package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeSlack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rate limits used well (issue 12): 150 pages of {@code conversations.history} (Tier 3, 50 in any
 * minute) against FakeSlack enforcing its rolling window with 429 and {@code Retry-After}, take at most
 * 1.10 times the physical minimum (150 / 50 minutes), with no failed call, under 1% of requests answered
 * 429, and every message delivered once. In virtual time: the fake's window and the budgets share the
 * test's clock, and every wait moves it.
 */
class SlackPacingTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private static final String CHANNEL = "C0PACING1";
    private static final int MESSAGES = 1_500;
    private static final int PAGE = 10;
    private static final AgentContext CONTEXT = AgentContext.of(Principal.user("u-1", "tenant-1"));

    private FakeConnection harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void a150PageHistoryReadKeepsCloseToFiftyAMinute() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
        SLACK.useClock(clock);
        Connection slack = connect(FakeConnection.to(SLACK, SlackConnector.ID).clock(clock));

        String figure = readAndCheck(slack, clock::totalSlept, Duration.ofMinutes(1), "virtual", true);

        System.out.println(figure);
        assertThat(SLACK.rateLimitedAnswers()).as("429s in virtual time").isZero();
        // Slack's burst allowance is used: the budget's 5% of the limit (3 calls) goes out at once.
        List<Instant> sent = SLACK.requestTimes("conversations.history");
        assertThat(sent.get(2))
                .as("the third history call, sent with the first")
                .isEqualTo(sent.get(0));
    }

    /**
     * The same read on the real clock and sleeper, Slack's minute scaled down to 3 s (the fake's tier
     * window and the budget alike: {@code rollingWindow(50, 3 s)}, the size the connector gives Tier 3
     * per minute), so the round trips and the scheduler's lateness count. It prints the ratio and asserts
     * by counting only (no assertion on wall-clock time): no failed call, every message once, under 1%
     * answered 429.
     */
    @Test
    @Tag("long")
    void onTheRealClockA150PageHistoryRead() {
        Duration window = Duration.ofSeconds(3);
        SLACK.useClock(Clock.systemUTC()).tierWindow(window);
        Connection slack = connect(FakeConnection.to(SLACK, SlackConnector.ID)
                .clock(Clock.systemUTC(), Sleeper.system())
                .budget(BudgetSettings.rollingWindow(50, window)));
        long start = System.nanoTime();

        String figure =
                readAndCheck(slack, () -> Duration.ofNanos(System.nanoTime() - start), window, "real clock", false);

        System.out.println(figure);
    }

    private Connection connect(FakeConnection.Builder builder) {
        SLACK.addChannel(CHANNEL, "pacing", false, true);
        for (int i = 0; i < MESSAGES; i++) {
            SLACK.addMessage(
                    CHANNEL, (FakeSlack.SEED_EPOCH_SECOND + i) + ".000100", FakeSlack.USERS.get(i % 3), "m" + i);
        }
        harness = builder.connectionId("slack-acme")
                .connector(new SlackConnector())
                .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                .context(CONTEXT)
                .seed(7)
                .build();
        return harness.connection();
    }

    /** Reads the channel, checks every message came once and the goal was met, and returns the FIGURE line. */
    private static String readAndCheck(
            Connection slack, Supplier<Duration> elapsed, Duration window, String clockName, boolean assertRatio) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = slack.read(
                CONTEXT, ReadRequest.of("messages").where("channel", CHANNEL).pageSize(PAGE))) {
            stream.forEach(records::add); // a failed call would throw here
        }
        Duration took = elapsed.get();
        Set<String> ids = new HashSet<>();
        for (Record r : records) {
            assertThat(ids.add(r.id())).as("message %s delivered once", r.id()).isTrue();
        }
        assertThat(ids).hasSize(MESSAGES);

        int history = SLACK.requestCount("/api/conversations.history");
        int throttled = SLACK.rateLimitedAnswers();
        int requests = SLACK.requests().size();
        // Tier 3 allows 50 in any window: n requests need n / 50 windows.
        Duration minimum = window.multipliedBy(history).dividedBy(50);
        double ratio = (double) took.toNanos() / minimum.toNanos();
        String figure = String.format(
                "FIGURE Slack conversations.history, %d pages of %d, %s: elapsed %.3f s, minimum %.3f s, ratio %.3fx,"
                        + " %d of %d requests answered 429",
                history, PAGE, clockName, took.toNanos() / 1e9, minimum.toNanos() / 1e9, ratio, throttled, requests);
        assertThat(history).as(figure).isGreaterThanOrEqualTo(MESSAGES / PAGE);
        if (assertRatio) {
            assertThat(ratio).as(figure).isLessThanOrEqualTo(1.10);
        }
        assertThat((double) throttled / requests).as(figure).isLessThan(0.01);
        return figure;
    }
}
