package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.error.CircuitOpenException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.VendorFake;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Slack-specific behaviour against FakeSlack, in virtual time shared by the connector and the fake. */
class SlackConnectorTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final AgentContext context = AgentContext.of(Principal.user("u-1", "tenant-1"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private FakeConnection harness;

    private Connection connect(Map<String, String> extraSettings) {
        SLACK.useClock(clock);
        harness = FakeConnection.to(SLACK, SlackConnector.ID)
                .connectionId("slack-acme")
                .connector(new SlackConnector())
                .settings(extraSettings)
                .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                .clock(clock)
                .meters(meters)
                .context(context)
                .seed(7)
                .build();
        return harness.connection();
    }

    private Connection connect() {
        return connect(Map.of());
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private List<Record> read(Connection connection, ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = connection.read(context, request)) {
            stream.forEach(records::add);
        }
        return records;
    }

    private static JsonObject post(String channel, String text) {
        return JsonObject.builder().put("channel", channel).put("text", text).build();
    }

    private static long count(String channel, String text) {
        return SLACK.messages(channel).stream()
                .filter(m -> text.equals(m.string("text")))
                .count();
    }

    // ---- idempotent posts ----

    @Test
    void aPostWhoseAnswerWasLostIsFoundByItsMarkerAndNotPostedAgain() {
        Connection slack = connect();
        SLACK.dropAnswersToPosts(1); // Slack stores the message, then the connection is reset

        ActionResult result = slack.execute(context, "post_message", post(FakeSlack.GENERAL, "Deploy finished"));

        assertThat(count(FakeSlack.GENERAL, "Deploy finished")).isEqualTo(1);
        assertThat(SLACK.postedMessages()).isEqualTo(1);
        assertThat(SLACK.requestCount("/api/chat.postMessage")).isEqualTo(1);
        assertThat(result.output().bool("already_posted")).isTrue();
        JsonObject stored = SLACK.messages(FakeSlack.GENERAL)
                .get(SLACK.messages(FakeSlack.GENERAL).size() - 1);
        assertThat(result.output().string("ts")).isEqualTo(stored.string("ts"));
        assertThat(stored.object("metadata").string("event_type")).isEqualTo("switchboard_post");
        assertThat(stored.object("metadata").object("event_payload").string("key"))
                .isEqualTo(result.output().string("idempotency_key"));
    }

    @Test
    void aPostThatNeverArrivedIsPostedOnce() {
        Connection slack = connect();
        // The connection is reset before Slack handles the post: nothing stored, outcome unknown to us.
        SLACK.faults().onlyFor("/api/chat.postMessage").resets(1);

        ActionResult result = slack.execute(context, "post_message", post(FakeSlack.GENERAL, "Only once"));

        assertThat(count(FakeSlack.GENERAL, "Only once")).isEqualTo(1);
        assertThat(SLACK.requestCount("/api/chat.postMessage")).isEqualTo(2);
        assertThat(SLACK.requestCount("/api/conversations.history")).isEqualTo(1); // the marker lookup
        assertThat(result.output().bool("already_posted")).isFalse();
    }

    @Test
    void aCutOffAnswerToAPostIsTreatedAsUnknownAndNotPostedAgain() {
        Connection slack = connect();
        SLACK.faults().onlyFor("/api/chat.postMessage").truncates(1); // stored, answer cut in half

        ActionResult result = slack.execute(context, "post_message", post(FakeSlack.GENERAL, "Cut off"));

        assertThat(count(FakeSlack.GENERAL, "Cut off")).isEqualTo(1);
        assertThat(result.output().bool("already_posted")).isTrue();
    }

    @Test
    void aThreadReplyWhoseAnswerWasLostIsFoundInTheThread() {
        Connection slack = connect();
        String threadTs = FakeSlack.SEED_EPOCH_SECOND + ".000100";
        int repliesBefore = SLACK.messages(FakeSlack.RANDOM).size();
        SLACK.dropAnswersToPosts(1);

        ActionResult result = slack.execute(
                context,
                "reply_in_thread",
                JsonObject.builder()
                        .put("channel", FakeSlack.RANDOM)
                        .put("thread_ts", threadTs)
                        .put("text", "On it")
                        .build());

        assertThat(SLACK.messages(FakeSlack.RANDOM)).hasSize(repliesBefore + 1);
        assertThat(count(FakeSlack.RANDOM, "On it")).isEqualTo(1);
        assertThat(SLACK.requestCount("/api/conversations.replies")).isEqualTo(1);
        assertThat(result.output().string("thread_ts")).isEqualTo(threadTs);
        assertThat(result.output().bool("already_posted")).isTrue();
    }

    @Test
    void aCallerRepeatingAPostWithItsKeyPostsOnce() {
        Connection slack = connect();
        JsonObject input = post(FakeSlack.GENERAL, "Keyed")
                .newBuilder()
                .put("idempotency_key", "order-42")
                .build();

        ActionResult first = slack.execute(context, "post_message", input);
        clock.advance(Duration.ofSeconds(5));
        ActionResult second = slack.execute(context, "post_message", input);

        assertThat(count(FakeSlack.GENERAL, "Keyed")).isEqualTo(1);
        assertThat(first.output().bool("already_posted")).isFalse();
        assertThat(second.output().bool("already_posted")).isTrue();
        assertThat(second.output().string("ts")).isEqualTo(first.output().string("ts"));
    }

    // ---- Slack's refusals, typed and metered as they were answered ----

    /** Requests the pipeline recorded with this HTTP method, status and response class. */
    private long requests(String method, String status, String outcome) {
        Timer t = meters.find("switchboard.http.requests")
                .tags("connector", "slack", "method", method, "status", status, "outcome", outcome)
                .timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void aRefusedPostIsTheCallersInputAndIsMeteredAsSlackAnsweredIt() {
        Connection slack = connect();
        SLACK.failNext("chat.postMessage", "msg_too_long", 1);

        assertThatThrownBy(() -> slack.execute(context, "post_message", post(FakeSlack.GENERAL, "Too long")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("msg_too_long")
                .hasMessageContaining("40,000 characters");

        // Slack says ok:false in an HTTP 200: the status is 200, the class is the caller's input, not OK.
        assertThat(requests("POST", "200", "INVALID_INPUT")).isEqualTo(1);
        assertThat(requests("POST", "200", "OK")).isZero();
        assertThat(SLACK.requestCount("/api/chat.postMessage")).isEqualTo(1);
        assertThat(SLACK.requestCount("/api/conversations.history"))
                .as("no marker lookup for a refusal")
                .isZero();
    }

    @Test
    void aPostToAChannelTheAppIsNotInIsTheCallersInput() {
        Connection slack = connect();

        assertThatThrownBy(() -> slack.execute(context, "post_message", post(FakeSlack.HIDDEN, "Hello")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("channel_not_found");
        assertThat(requests("POST", "200", "INVALID_INPUT")).isEqualTo(1);
    }

    @Test
    void aChannelThatVanishesDuringAReadIsSkippedAndMeteredAsARefusal() {
        Connection slack = connect();
        SLACK.failNext("conversations.history", "channel_not_found", 1); // the first listed channel, #general

        List<Record> records = read(slack, ReadRequest.of("messages"));

        assertThat(records)
                .isNotEmpty()
                .noneSatisfy(r -> assertThat(r.data().string("channel")).isEqualTo(FakeSlack.GENERAL));
        assertThat(records)
                .anySatisfy(r -> assertThat(r.data().string("channel")).isEqualTo(FakeSlack.RANDOM));
        assertThat(requests("GET", "200", "PERMANENT")).isEqualTo(1);
    }

    @Test
    void otherRefusalsOfAReadKeepSlacksCode() {
        Connection slack = connect();
        SLACK.failNext("conversations.history", "ekm_access_denied", 1);

        assertThatThrownBy(() -> read(slack, ReadRequest.of("messages")))
                .isInstanceOfSatisfying(PermanentException.class, e -> {
                    assertThat(e.vendorCode()).contains("ekm_access_denied");
                    assertThat(e.status()).hasValue(200);
                });
    }

    // ---- per-method tier budgets ----

    /** Channels with messages, so that a messages read makes many Tier 3 calls. */
    private static void manyChannels(int channels) {
        for (int c = 0; c < channels; c++) {
            String id = String.format("C0MANY%03d", c);
            SLACK.addChannel(id, "busy-" + c, false, true);
            SLACK.addMessage(id, FakeSlack.SEED_EPOCH_SECOND + c + ".000200", FakeSlack.USERS.get(0), "busy " + c);
        }
    }

    @Test
    void tierBudgetsKeepAReadUnderTheVendorsLimitWithoutA429() {
        SLACK.tierLimit(3, 5); // Tier 3 scaled down: 5 a minute
        manyChannels(12);
        Connection slack = connect(Map.of("rate.conversations.history", "5", "rate.conversations.replies", "5"));

        List<Record> records = read(slack, ReadRequest.of("messages"));

        System.out.printf(
                "FIGURE tier budget matched (Tier 3 = 5/min): %d history calls, %d 429s, waited %s%n",
                SLACK.requestCount("/api/conversations.history"), SLACK.rateLimitedAnswers(), clock.totalSlept());
        assertThat(records).hasSize(6 + 12);
        assertThat(SLACK.requestCount("/api/conversations.history")).isEqualTo(15);
        assertThat(SLACK.rateLimitedAnswers()).as("429s the fake sent").isZero();
        // 15 history calls at 5 a minute: the budget waited two windows.
        assertThat(clock.totalSlept()).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void withoutTheRightTierTheVendors429sAreRecoveredWithoutAFailedCall() {
        SLACK.tierLimit(3, 5);
        manyChannels(12);
        Connection slack = connect(); // believes Tier 3 allows 50 a minute

        List<Record> records = read(slack, ReadRequest.of("messages"));

        System.out.printf(
                "FIGURE tier budget unaware (believes 50/min, fake 5/min): %d history requests, %d 429s, waited %s%n",
                SLACK.requestCount("/api/conversations.history"), SLACK.rateLimitedAnswers(), clock.totalSlept());
        assertThat(records).hasSize(6 + 12);
        assertThat(SLACK.rateLimitedAnswers()).as("429s the fake sent").isBetween(1, 4);
    }

    private static void open(SlackConnector connector, String connection, Map<String, String> settings) {
        ConnectionConfig config = ConnectionConfig.builder(connection)
                .connector("slack")
                .baseUrl(SlackConnector.BASE_URL)
                .settings(settings)
                .build();
        connector.open(new dev.switchboard.core.connector.ConnectorContext() {
            @Override
            public ConnectionConfig connection() {
                return config;
            }

            @Override
            public java.time.Clock clock() {
                return java.time.Clock.systemUTC();
            }
        });
    }

    @Test
    void eachBudgetKeyIsSizedToItsTierOrItsWorkspacesRateSetting() {
        SlackConnector connector = new SlackConnector();
        open(connector, "a", Map.of("team_id", "T1", "rate.conversations.history", "5", "rate.chat.postMessage", "30"));
        open(connector, "b", Map.of("team_id", "T1", "rate.conversations.history", "1")); // the strictest wins
        // Rolling windows of a minute (BudgetSettings.rollingWindow, margin 5%): 5% of the limit at once
        // (at least one), 95% of it per minute after, as whole permits over a stretched period.
        Duration minute = Duration.ofMinutes(1);

        assertThat(connector.budgetFor("slack:T1:tier3:conversations.history"))
                .isEqualTo(new BudgetSettings(1, 19, minute.multipliedBy(20))); // 0.95 a minute
        assertThat(connector.budgetFor("slack:T1:tier3:conversations.replies"))
                .isEqualTo(new BudgetSettings(3, 95, minute.multipliedBy(2))); // 47.5 a minute
        assertThat(connector.budgetFor("slack:T1:tier2:users.list")).isEqualTo(new BudgetSettings(1, 19, minute));
        assertThat(connector.budgetFor("slack:T1:chat.postMessage:C1"))
                .isEqualTo(new BudgetSettings(2, 57, minute.multipliedBy(2))); // 28.5 a minute
        // Another workspace keeps Slack's documented limits.
        assertThat(connector.budgetFor("slack:T2:tier3:conversations.history"))
                .isEqualTo(new BudgetSettings(3, 95, minute.multipliedBy(2)));
        assertThat(connector.budgetFor("slack:T2:chat.postMessage:C1"))
                .isEqualTo(new BudgetSettings(1, 19, Duration.ofSeconds(20))); // one at once, then one per 1.05 s
        assertThat(connector.budgetFor("hubspot:1:10s")).isNull();
    }

    @Test
    void postsToOneChannelArePacedToOneASecond() {
        Connection slack = connect();
        for (int i = 0; i < 4; i++) {
            slack.execute(context, "post_message", post(FakeSlack.GENERAL, "burst " + i));
        }
        slack.execute(context, "post_message", post(FakeSlack.RANDOM, "elsewhere"));

        System.out.printf(
                "FIGURE posts: 5 posts (4 to one channel), %d 429s, waited %s%n",
                SLACK.rateLimitedAnswers(), clock.totalSlept());
        assertThat(SLACK.postedMessages()).isEqualTo(5);
        assertThat(SLACK.rateLimitedAnswers()).isZero();
        assertThat(clock.totalSlept()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    // ---- messages: order, resume, threads ----

    /** The ids of every message the fake holds in these channels, thread replies included. */
    private static Set<String> idsAtSlack(String... channels) {
        Set<String> ids = new java.util.TreeSet<>();
        for (String c : channels) {
            SLACK.messages(c).forEach(m -> ids.add(c + ":" + m.string("ts")));
        }
        return ids;
    }

    /** The greatest ts the fake holds in a channel. */
    private static String newestAtSlack(String channel) {
        return SLACK.messages(channel).stream()
                .map(m -> new java.math.BigDecimal(m.string("ts")))
                .max(java.math.BigDecimal::compareTo)
                .orElseThrow()
                .toPlainString();
    }

    @Test
    void messagesComeChannelByChannelEachChannelsNewestLastWithTheChannelsPosition() {
        SLACK.seedMessages(8);
        Connection slack = connect();
        List<Record> records = new ArrayList<>();
        Checkpoint checkpoint;
        try (RecordStream stream =
                slack.read(context, ReadRequest.of("messages").pageSize(3))) {
            stream.forEach(records::add);
            checkpoint = stream.checkpoint();
        }

        assertThat(records).extracting(Record::id).doesNotHaveDuplicates();
        assertThat(new java.util.TreeSet<>(records.stream().map(Record::id).toList()))
                .isEqualTo(idsAtSlack(FakeSlack.GENERAL, FakeSlack.RANDOM));
        assertThat(records)
                .filteredOn(r -> r.data().string("parent_user_id") != null)
                .hasSize(2);
        // One channel after the other: #general's records, then #random's, each channel's newest last.
        List<String> channelOrder =
                records.stream().map(r -> r.data().string("channel")).distinct().toList();
        assertThat(channelOrder).containsExactly(FakeSlack.GENERAL, FakeSlack.RANDOM);
        List<Record> general = records.stream()
                .filter(r -> FakeSlack.GENERAL.equals(r.data().string("channel")))
                .toList();
        assertThat(records.subList(0, general.size())).isEqualTo(general);
        assertThat(general.get(general.size() - 1).data().string("ts")).isEqualTo(newestAtSlack(FakeSlack.GENERAL));
        assertThat(records.get(records.size() - 1).data().string("ts")).isEqualTo(newestAtSlack(FakeSlack.RANDOM));
        // One position per channel, at its newest message.
        assertThat(checkpoint.position(FakeSlack.GENERAL).orElseThrow().cursor())
                .isEqualTo(newestAtSlack(FakeSlack.GENERAL));
        assertThat(checkpoint.position(FakeSlack.RANDOM).orElseThrow().cursor())
                .isEqualTo(newestAtSlack(FakeSlack.RANDOM));
        assertThat(checkpoint.positions()).containsOnlyKeys(FakeSlack.GENERAL, FakeSlack.RANDOM);
    }

    @Test
    void aReadStoppedInsideAChannelResumesLosingNothingAndSeesNewRepliesInOldThreads() {
        SLACK.seedMessages(10);
        Connection slack = connect();
        List<Record> first = new ArrayList<>();
        Checkpoint checkpoint = harness.readFirst(ReadRequest.of("messages").pageSize(2), 7, first);
        Set<String> delivered =
                new java.util.TreeSet<>(first.stream().map(Record::id).toList());
        // Stopped inside #random: #general's position is at its newest, #random has none yet.
        assertThat(checkpoint.positions()).containsOnlyKeys(FakeSlack.GENERAL);
        // Meanwhile: a reply in the old thread of #random's first message, and a new message.
        SLACK.addReply(
                FakeSlack.RANDOM,
                FakeSlack.SEED_EPOCH_SECOND + ".000100",
                "1700009999.000001",
                FakeSlack.USERS.get(2),
                "late reply");
        SLACK.addMessage(FakeSlack.GENERAL, "1700010000.000001", FakeSlack.USERS.get(1), "new");

        List<Record> rest =
                read(slack, ReadRequest.of("messages").pageSize(2).since(Checkpoint.parse(checkpoint.value())));
        rest.forEach(r -> delivered.add(r.id()));

        assertThat(delivered).isEqualTo(idsAtSlack(FakeSlack.GENERAL, FakeSlack.RANDOM));
        assertThat(delivered)
                .contains(FakeSlack.RANDOM + ":1700009999.000001", FakeSlack.GENERAL + ":1700010000.000001");
        // #general was read up to its position: of it, only the new message comes again.
        assertThat(rest)
                .filteredOn(r -> FakeSlack.GENERAL.equals(r.data().string("channel")))
                .extracting(Record::id)
                .containsExactly(FakeSlack.GENERAL + ":1700010000.000001");
    }

    @Test
    void aResumedReadThatFailsKeepsTheChannelsItFinishedAndTheNextResumeLosesNothing() {
        SLACK.seedMessages(10);
        Connection slack = connect();
        List<Record> first = new ArrayList<>();
        Checkpoint checkpoint = harness.readFirst(ReadRequest.of("messages").pageSize(2), 3, first);
        Set<String> delivered =
                new java.util.TreeSet<>(first.stream().map(Record::id).toList());
        // #general has no thread; #random's thread read fails: the resumed read fails in its second channel.
        SLACK.failNext("conversations.replies", "internal_error", 100);
        Checkpoint failed;
        try (RecordStream stream =
                slack.read(context, ReadRequest.of("messages").pageSize(2).since(checkpoint))) {
            assertThatThrownBy(() -> stream.forEach(r -> delivered.add(r.id()))).isInstanceOf(TransientException.class);
            failed = stream.checkpoint();
        }
        // What it delivered stays delivered; the finished channel moved, the failed one did not.
        assertThat(failed.position(FakeSlack.GENERAL).orElseThrow().cursor())
                .isEqualTo(newestAtSlack(FakeSlack.GENERAL));
        assertThat(failed.position(FakeSlack.RANDOM)).isEmpty();
        SLACK.clearForcedErrors();
        // The failed attempts count against conversations.replies' circuit, which may open on the next call;
        // a caller then waits the retryAfter it is given and resumes from the same checkpoint.
        List<Record> rest;
        try {
            rest = read(slack, ReadRequest.of("messages").pageSize(2).since(failed));
        } catch (CircuitOpenException open) {
            clock.advance(open.retryAfter().orElseThrow().plusSeconds(1));
            rest = read(slack, ReadRequest.of("messages").pageSize(2).since(failed));
        }
        rest.forEach(r -> delivered.add(r.id()));

        assertThat(delivered).isEqualTo(idsAtSlack(FakeSlack.GENERAL, FakeSlack.RANDOM));
    }

    @Test
    void aChannelFilterReadsOneChannelWithItsThread() {
        SLACK.seedMessages(8);
        List<Record> records = read(connect(), ReadRequest.of("messages").where("channel", FakeSlack.RANDOM));

        assertThat(records)
                .hasSize(4)
                .allSatisfy(r -> assertThat(r.data().string("channel")).isEqualTo(FakeSlack.RANDOM));
        assertThat(SLACK.requestCount("/api/conversations.list")).isZero();
        assertThat(SLACK.requestCount("/api/conversations.info")).isEqualTo(1);
    }

    @Test
    void anUnsupportedFilterIsTheCallersInput() {
        Connection slack = connect();
        assertThatThrownBy(() -> read(slack, ReadRequest.of("users").where("team", "x")))
                .isInstanceOf(InvalidInputException.class);
    }

    // ---- ACLs, visibility, other streams ----

    @Test
    void privateChannelMessagesArePrivateToTheChannelsRoleAndPublicOnesToTheWorkspace() {
        SLACK.addMessage(FakeSlack.PRIVATE, "1700000500.000100", FakeSlack.USERS.get(1), "confidential");
        List<Record> records = read(connect(), ReadRequest.of("messages"));

        Record secret = records.stream()
                .filter(r -> r.data().string("channel").equals(FakeSlack.PRIVATE))
                .findFirst()
                .orElseThrow();
        // No owner: Slack shows a private channel to its current members only, its former members' own
        // messages included.
        assertThat(secret.acl())
                .isEqualTo(new Acl(
                        null, FakeSlack.TEAM_ID, Visibility.PRIVATE, Set.of("slack:channel:" + FakeSlack.PRIVATE)));
        Record open = records.stream()
                .filter(r -> r.data().string("channel").equals(FakeSlack.GENERAL))
                .findFirst()
                .orElseThrow();
        assertThat(open.acl().visibility()).isEqualTo(Visibility.TENANT);
        assertThat(open.acl().tenant()).isEqualTo(FakeSlack.TEAM_ID);
        assertThat(open.version()).isEqualTo(open.data().string("ts"));
        assertThat(open.source().connection()).isEqualTo("slack-acme");
    }

    @Test
    void conversationsListsThePublicAndPrivateChannelsTheTokenCanSeeAcrossPages() {
        List<Record> channels = read(connect(), ReadRequest.of("conversations").pageSize(1));

        assertThat(channels)
                .extracting(Record::id)
                .containsExactly(FakeSlack.GENERAL, FakeSlack.RANDOM, FakeSlack.PRIVATE);
        assertThat(SLACK.requestCount("/api/conversations.list")).isEqualTo(3);
        assertThat(channels.get(2).acl().visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(SLACK.requests().get(0).query("types")).isEqualTo("public_channel,private_channel");
    }

    @Test
    void usersArePagedWithTheirUpdateTime() {
        SLACK.seedUsers(6);
        List<Record> users = read(connect(), ReadRequest.of("users").pageSize(2));

        assertThat(users).hasSize(7);
        assertThat(SLACK.requestCount("/api/users.list")).isEqualTo(4);
        Record alice = users.stream()
                .filter(u -> u.id().equals("U0ALICE01"))
                .findFirst()
                .orElseThrow();
        assertThat(alice.updatedAt())
                .isEqualTo(Instant.ofEpochSecond(alice.data().number("updated").longValue()));
        assertThat(alice.acl().owner()).isEqualTo("U0ALICE01");
    }

    @Test
    void requestsCarryTheirTierBudgetKeyAndNoTokenInTheUrl() {
        read(connect(), ReadRequest.of("messages"));
        assertThat(SLACK.requests()).allSatisfy(r -> {
            assertThat(r.bearerToken()).isEqualTo(VendorFake.ACCESS_TOKEN);
            assertThat(r.query()).doesNotContainKey("token");
        });
    }

    @Test
    void theConnectorIsFoundByServiceLoaderAndNeedsATeamId() {
        assertThat(ServiceLoader.load(Connector.class).stream()
                        .map(p -> p.type().getName()))
                .contains(SlackConnector.class.getName());
        assertThatThrownBy(() -> SlackSettings.from(Map.of())).hasMessageContaining("team_id");
        assertThatThrownBy(() -> SlackSettings.from(Map.of("team_id", "acme"))).hasMessageContaining("team_id");
        assertThat(SlackSettings.from(
                        Map.of("team_id", "T1", "rate.conversations.history", "1", "thread_lookback", "P1D")))
                .isEqualTo(new SlackSettings("T1", Duration.ofDays(1), Map.of("conversations.history", 1)));
    }
}
