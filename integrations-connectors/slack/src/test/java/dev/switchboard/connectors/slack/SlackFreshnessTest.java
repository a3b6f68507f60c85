package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.Replica;
import dev.switchboard.testkit.fake.FakeSlack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each way the Slack connector used to lose or miss messages while Slack kept changing, one test each,
 * against FakeSlack in virtual time: posts during a read, streaming, expiring cursors, scopes, edits seen
 * again by the look-back, checkpoints of another channel, and pacing under a skewed window.
 */
class SlackFreshnessTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final AgentContext context = AgentContext.of(Principal.user("u-1", "tenant-1"));
    private FakeConnection harness;

    private Connection connect(Map<String, String> settings, BudgetSettings budget) {
        SLACK.useClock(clock);
        FakeConnection.Builder b = FakeConnection.to(SLACK, SlackConnector.ID)
                .connectionId("slack-acme")
                .connector(new SlackConnector())
                .settings(settings)
                .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                .clock(clock)
                .context(context)
                .seed(3);
        if (budget != null) {
            b.budget(budget);
        }
        harness = b.build();
        return harness.connection();
    }

    private Connection connect() {
        return connect(Map.of(), null);
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private List<Record> read(Connection slack, ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = slack.read(context, request)) {
            stream.forEach(records::add);
        }
        return records;
    }

    private static Set<String> idsAtSlack(String... channels) {
        Set<String> ids = new TreeSet<>();
        for (String c : channels) {
            SLACK.messages(c).forEach(m -> ids.add(c + ":" + m.string("ts")));
        }
        return ids;
    }

    private static Set<String> ids(List<Record> records) {
        Set<String> ids = new TreeSet<>();
        records.forEach(r -> ids.add(r.id()));
        return ids;
    }

    @Test
    void aMessagePostedInAChannelAlreadyReadIsNotSkippedWhenAnotherChannelReturnsALaterTs() {
        Connection slack = connect();
        List<String> posted = new ArrayList<>();
        int[] history = {0};
        // While #random's history is asked for (#general was read), a post lands in #general, then one in #random.
        SLACK.onRequest(method -> {
            if (method.equals("conversations.history") && ++history[0] == 2) {
                clock.advance(Duration.ofSeconds(1));
                posted.add(SLACK.postMessage(FakeSlack.GENERAL, FakeSlack.USERS.get(0), "posted in #general mid-read"));
                clock.advance(Duration.ofSeconds(1));
                posted.add(SLACK.postMessage(FakeSlack.RANDOM, FakeSlack.USERS.get(1), "posted in #random mid-read"));
            }
        });
        Set<String> delivered = new TreeSet<>();
        Checkpoint checkpoint;
        try (RecordStream stream = slack.read(context, ReadRequest.of("messages"))) {
            stream.forEach(r -> delivered.add(r.id()));
            checkpoint = stream.checkpoint();
        }
        SLACK.onRequest(method -> {});
        assertThat(posted).hasSize(2);

        clock.advance(Duration.ofMinutes(1));
        delivered.addAll(ids(read(slack, ReadRequest.of("messages").since(checkpoint))));

        assertThat(delivered)
                .contains(FakeSlack.GENERAL + ":" + posted.get(0), FakeSlack.RANDOM + ":" + posted.get(1))
                .isEqualTo(idsAtSlack(FakeSlack.GENERAL, FakeSlack.RANDOM, FakeSlack.PRIVATE));
    }

    @Test
    void aReadDeliversTheChannelsItReadBeforeAFailureInsteadOfNothing() {
        Connection slack = connect();
        // Every call about #random fails for good: #general was read before it.
        SLACK.failNext("conversations.replies", "internal_error", 100);
        List<Record> delivered = new ArrayList<>();
        try (RecordStream stream = slack.read(context, ReadRequest.of("messages"))) {
            assertThatThrownBy(() -> stream.forEach(delivered::add)).isInstanceOf(TransientException.class);
        }
        assertThat(ids(delivered)).containsAll(idsAtSlack(FakeSlack.GENERAL)).isNotEmpty();
    }

    @Test
    void anExpiredCursorRestartsTheChannelFromItsCheckpointInsteadOfFailing() {
        SLACK.seedMessages(12);
        SLACK.cursorsExpireAfter(Duration.ofSeconds(30));
        Connection slack = connect();
        List<Record> delivered = new ArrayList<>();
        int[] history = {0};
        // The caller pauses after the second page of #general: the cursor it holds expires once.
        SLACK.onRequest(method -> {
            if (method.equals("conversations.history") && ++history[0] == 2) {
                clock.advance(Duration.ofMinutes(1));
            }
        });
        try (RecordStream stream =
                slack.read(context, ReadRequest.of("messages").pageSize(2))) {
            stream.forEach(delivered::add);
        }
        SLACK.onRequest(method -> {});

        assertThat(ids(delivered)).isEqualTo(idsAtSlack(FakeSlack.GENERAL, FakeSlack.RANDOM, FakeSlack.PRIVATE));
        assertThat(SLACK.requestCount(r -> r.path().endsWith("conversations.history") && r.param("cursor") != null))
                .isGreaterThan(0);
    }

    @Test
    void missingScopeAsksForReauthorizationNamingTheScope() {
        Connection slack = connect();
        SLACK.missingScope("conversations.history", "groups:history");

        assertThatThrownBy(() -> read(slack, ReadRequest.of("messages")))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .hasMessageContaining("groups:history");
    }

    @Test
    void anEditOfAMessageAlreadyReadIsDeliveredByTheNextReadAndAnUnchangedOneIsNot() {
        SLACK.seedMessages(4);
        Connection slack = connect();
        Replica replica = new Replica();
        Checkpoint checkpoint;
        try (RecordStream stream = slack.read(context, ReadRequest.of("messages"))) {
            stream.forEach(replica::apply);
            checkpoint = stream.checkpoint();
        }
        String ts = SLACK.messages(FakeSlack.GENERAL).get(0).string("ts");
        clock.advance(Duration.ofMinutes(1));
        SLACK.editMessage(FakeSlack.GENERAL, ts, "edited after it was read");
        clock.advance(Duration.ofMinutes(1));

        List<Record> next = read(slack, ReadRequest.of("messages").since(checkpoint));
        replica.applyAll(next);

        assertThat(next).extracting(Record::id).containsExactly(FakeSlack.GENERAL + ":" + ts);
        assertThat(replica.get("messages", FakeSlack.GENERAL + ":" + ts).data().string("text"))
                .isEqualTo("edited after it was read");
    }

    @Test
    void aCheckpointOfOneChannelIsRefusedByAReadOfAnother() {
        Connection slack = connect();
        Checkpoint general;
        try (RecordStream stream =
                slack.read(context, ReadRequest.of("messages").where("channel", FakeSlack.GENERAL))) {
            stream.forEach(r -> {});
            general = stream.checkpoint();
        }
        assertThat(general.positions()).containsOnlyKeys(FakeSlack.GENERAL);

        assertThatThrownBy(() -> read(
                        slack,
                        ReadRequest.of("messages")
                                .where("channel", FakeSlack.RANDOM)
                                .since(general)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> read(slack, ReadRequest.of("messages").since(general)))
                .isInstanceOf(InvalidInputException.class);
    }

    /**
     * Slack counts a window on its own clock by arrival: the fake's window is half a second longer than
     * the client's, ends included (the 429 seen at 59.991 s was 9 ms of skew). At Tier 3 the budget
     * (3 at once, then one per 1.26 s) sends the 51st call 60.63 s after the first, so 66 calls at 50 a
     * minute go out without a 429 and by the injected clock no window of 60.5 s holds more than the
     * limit. (The burst costs skew room: a 2 s skew would meet one 429 here, which Retry-After paces.)
     */
    @Test
    void tierPacingLeavesAMarginForClockAndNetworkSkew() {
        SLACK.tierWindowSkew(Duration.ofMillis(500)).tierLimit(3, 50);
        for (int c = 0; c < 66; c++) {
            SLACK.addChannel(String.format("C0PACE%03d", c), "pace-" + c, false, true);
        }
        Connection slack = connect();
        read(slack, ReadRequest.of("messages"));

        List<Instant> times = SLACK.requestTimes("conversations.history");
        System.out.printf(
                "FIGURE pacing at 50/min, Slack's window 60.5 s: %d history calls, %d 429s, over %s%n",
                times.size(), SLACK.rateLimitedAnswers(), Duration.between(times.get(0), times.get(times.size() - 1)));
        assertThat(times).hasSizeGreaterThanOrEqualTo(66);
        assertThat(SLACK.rateLimitedAnswers()).isZero();
        for (int i = 50; i < times.size(); i++) {
            assertThat(Duration.between(times.get(i - 50), times.get(i)))
                    .as("call %d and the 50th before it", i)
                    .isGreaterThan(Duration.ofMillis(60_500));
        }
    }

    @Test
    void tierPacingAtTenAMinuteSendsTheEleventhCallOutsideSlacksSkewedWindow() {
        SLACK.tierWindowSkew(Duration.ofSeconds(2));
        for (int c = 0; c < 11; c++) {
            SLACK.addChannel(String.format("C0TEN%03d", c), "ten-" + c, false, true);
        }
        Connection slack = connect(Map.of("rate.conversations.history", "10"), null);
        SLACK.tierLimit(3, 10);
        read(slack, ReadRequest.of("messages"));

        List<Instant> times = SLACK.requestTimes("conversations.history");
        assertThat(SLACK.rateLimitedAnswers()).isZero();
        assertThat(Duration.between(times.get(0), times.get(10))).isGreaterThan(Duration.ofSeconds(62));
    }
}
