package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.error.WebhookRejectedException;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.webhook.WebhookRequest;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.Replica;
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.FakeSlack.SignedEvent;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The freshness invariant of the Slack connector: whatever interleaving of posts (in channels already
 * read and still to be read while a read runs), thread replies, edits and deletes, reads stopped at any
 * record and resumed from their checkpoint, and webhook deliveries (retried ones included), a consumer
 * that applies what reads and webhooks delivered ({@link Replica}) holds exactly what Slack holds after
 * a final catch-up read. Without webhooks the operations are those polling can see (posts, replies in
 * threads inside the look-back, edits of top-level messages); with webhooks, every one.
 */
class SlackFreshnessPropertyTest {
    private static final FakeSlack SLACK = new FakeSlack();
    private static final List<String> CHANNELS = List.of(FakeSlack.GENERAL, FakeSlack.RANDOM, FakeSlack.PRIVATE);
    private static final String CONNECTION = "slack-fresh";

    @BeforeContainer
    static void start() {
        SLACK.start();
    }

    @AfterContainer
    static void stop() {
        SLACK.close();
    }

    /** One step of a scenario; numbers pick among what exists when the step runs. */
    sealed interface Op permits Post, Reply, Edit, Delete, Read, Deliver, Wait {}

    record Post(int channel) implements Op {}

    record Reply(int channel, int parent) implements Op {}

    record Edit(int channel, int message) implements Op {}

    record Delete(int channel, int message) implements Op {}

    /** A read resumed from the consumer's checkpoint, stopped after {@code stopAfter} records (0: to the end). */
    record Read(int pageSize, int stopAfter, int postAtRequest, int postChannelA, int postChannelB) implements Op {}

    /** The webhook deliveries made so far reach the application; {@code retry} resends the last one. */
    record Deliver(boolean retry) implements Op {}

    record Wait(int seconds) implements Op {}

    @Provide
    Arbitrary<List<Op>> pollingOps() {
        return ops(false);
    }

    @Provide
    Arbitrary<List<Op>> allOps() {
        return ops(true);
    }

    private static Arbitrary<List<Op>> ops(boolean webhooks) {
        Arbitrary<Integer> channel = Arbitraries.integers().between(0, CHANNELS.size() - 1);
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 20);
        Arbitrary<Op> post = channel.map(Post::new);
        Arbitrary<Op> reply = Combinators.combine(channel, pick).as(Reply::new);
        Arbitrary<Op> edit = Combinators.combine(channel, pick).as(Edit::new);
        Arbitrary<Op> delete = Combinators.combine(channel, pick).as(Delete::new);
        // Half the reads run to the end; posts land at one of the first requests, while channels are read.
        Arbitrary<Op> read = Combinators.combine(
                        Arbitraries.integers().between(1, 4),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 6))),
                        Arbitraries.integers().between(0, 5),
                        channel,
                        channel)
                .as(Read::new);
        Arbitrary<Op> deliver = Arbitraries.of(true, false).map(Deliver::new);
        Arbitrary<Op> wait = Arbitraries.integers().between(1, 15).map(Wait::new);
        Arbitrary<Op> op = webhooks
                ? Arbitraries.<Op>frequencyOf(
                        Tuple2.of(5, post),
                        Tuple2.of(3, reply),
                        Tuple2.of(2, edit),
                        Tuple2.of(2, delete),
                        Tuple2.of(4, read),
                        Tuple2.of(2, deliver),
                        Tuple2.of(2, wait))
                : Arbitraries.<Op>frequencyOf(
                        Tuple2.of(5, post), Tuple2.of(3, reply), Tuple2.of(4, read), Tuple2.of(2, wait));
        return op.list().ofMinSize(1).ofMaxSize(14);
    }

    /** jqwik's frequency pairs, named for reading. */
    private static final class Tuple2 {
        static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends Op>> of(int weight, Arbitrary<Op> a) {
            return net.jqwik.api.Tuple.of(weight, a);
        }
    }

    @Property(tries = 120, seed = "20261203")
    void pollingAloneLosesNothingPollingCanSee(@ForAll("pollingOps") List<Op> ops) {
        run(ops, false);
    }

    @Property(tries = 80, seed = "20261204")
    void pollingAndWebhooksTogetherHoldWhatSlackHolds(@ForAll("allOps") List<Op> ops) {
        run(ops, true);
    }

    @Property(tries = 2000)
    @Tag("long")
    void longPolling(@ForAll("pollingOps") List<Op> ops) {
        run(ops, false);
    }

    @Property(tries = 2000)
    @Tag("long")
    void longWithWebhooks(@ForAll("allOps") List<Op> ops) {
        run(ops, true);
    }

    /** A scenario against a fresh workspace, then the invariant. */
    private static void run(List<Op> ops, boolean webhooks) {
        ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
        SLACK.reset();
        SLACK.useClock(clock).enforceRateLimits(false).seedMessages(0);
        SLACK.takeDeliveries(); // seeding is history, not news
        try (Scenario s = new Scenario(clock, webhooks)) {
            for (Op op : ops) {
                s.apply(op);
            }
            s.catchUp();
            assertThat(s.replica.pending()).isEmpty();
            assertThat(s.held()).isEqualTo(s.atSlack());
        }
    }

    private static final class Scenario implements AutoCloseable {
        final ManualClock clock;
        final boolean webhooks;
        final FakeConnection harness;
        final Replica replica = new Replica();
        final AgentContext context = AgentContext.of(Principal.user("u-1", "tenant-1"));
        Checkpoint checkpoint;
        SignedEvent lastDelivered;
        int texts;

        Scenario(ManualClock clock, boolean webhooks) {
            this.clock = clock;
            this.webhooks = webhooks;
            this.harness = FakeConnection.to(SLACK, SlackConnector.ID)
                    .connectionId(CONNECTION)
                    .connector(new SlackConnector())
                    .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                    .budget(new BudgetSettings(10_000, 10_000, Duration.ofSeconds(1)))
                    .clock(clock)
                    .context(context)
                    .seed(11)
                    .build();
            harness.tokenStore()
                    .compareAndSet(
                            ConnectionConfig.builder(CONNECTION)
                                    .connector(SlackConnector.ID)
                                    .build()
                                    .secretKey(SlackConnector.SIGNING_SECRET),
                            0,
                            Credential.builder(FakeSlack.SIGNING_SECRET).build());
        }

        void apply(Op op) {
            clock.advance(Duration.ofMillis(250)); // Slack's ts is taken from the clock
            if (op instanceof Post p) {
                SLACK.postMessage(CHANNELS.get(p.channel()), FakeSlack.USERS.get(0), text());
            } else if (op instanceof Reply r) {
                String channel = CHANNELS.get(r.channel());
                List<JsonObject> parents = SLACK.messages(channel).stream()
                        .filter(m -> m.string("thread_ts") == null
                                || m.string("thread_ts").equals(m.string("ts")))
                        .toList();
                if (!parents.isEmpty()) {
                    String parent = parents.get(r.parent() % parents.size()).string("ts");
                    SLACK.postReply(channel, parent, FakeSlack.USERS.get(1), text());
                }
            } else if (op instanceof Edit e) {
                String channel = CHANNELS.get(e.channel());
                List<JsonObject> editable = SLACK.messages(channel).stream()
                        .filter(m -> webhooks
                                || m.string("thread_ts") == null
                                || m.string("thread_ts").equals(m.string("ts")))
                        .toList();
                if (!editable.isEmpty()) {
                    SLACK.editMessage(
                            channel, editable.get(e.message() % editable.size()).string("ts"), text());
                }
            } else if (op instanceof Delete d) {
                String channel = CHANNELS.get(d.channel());
                List<JsonObject> all = SLACK.messages(channel);
                if (!all.isEmpty()) {
                    SLACK.deleteMessage(
                            channel, all.get(d.message() % all.size()).string("ts"));
                }
            } else if (op instanceof Read r) {
                read(r);
            } else if (op instanceof Deliver d) {
                deliver(d.retry());
            } else if (op instanceof Wait w) {
                clock.advance(Duration.ofSeconds(w.seconds()));
            }
        }

        private String text() {
            return "m" + (++texts);
        }

        /** A read from the checkpoint; while it runs, posts land in two channels at one of its requests. */
        private void read(Read r) {
            int[] requests = {0};
            SLACK.onRequest(method -> {
                if (++requests[0] == r.postAtRequest()) {
                    SLACK.postMessage(CHANNELS.get(r.postChannelA()), FakeSlack.USERS.get(0), text());
                    SLACK.postMessage(CHANNELS.get(r.postChannelB()), FakeSlack.USERS.get(1), text());
                }
            });
            ReadRequest request = ReadRequest.of("messages").pageSize(r.pageSize());
            if (checkpoint != null) {
                request = request.since(checkpoint);
            }
            try (RecordStream stream = harness.connection().read(context, request)) {
                Iterator<dev.switchboard.core.model.Record> it = stream.iterator();
                int n = 0;
                while (it.hasNext() && (r.stopAfter() == 0 || n < r.stopAfter())) {
                    replica.apply(it.next());
                    n++;
                }
                checkpoint = stream.checkpoint();
            } finally {
                SLACK.onRequest(method -> {});
            }
        }

        private void deliver(boolean retry) {
            if (!webhooks) {
                return;
            }
            for (SignedEvent e : SLACK.takeDeliveries()) {
                send(e);
                lastDelivered = e;
            }
            if (retry && lastDelivered != null) {
                send(SLACK.retry(lastDelivered, 1)); // Slack did not see the answer in time
            }
        }

        private void send(SignedEvent e) {
            WebhookRequest request = new WebhookRequest(
                    CONNECTION,
                    "POST",
                    URI.create("https://app.example.com/slack/events"),
                    e.headerLists(),
                    e.bodyBytes());
            try {
                for (ChangeEvent event :
                        harness.switchboard().webhooks().handle(request).events()) {
                    replica.apply(event);
                }
            } catch (WebhookRejectedException refused) {
                assertThat(refused.reason()).isEqualTo(WebhookRejectedException.Reason.REPLAY);
            }
        }

        /** Everything delivered, then a read once the settle margin has passed. */
        void catchUp() {
            deliver(false);
            clock.advance(Duration.ofSeconds(11));
            read(new Read(50, 0, 0, 0, 0));
        }

        Map<String, String> held() {
            Map<String, String> texts = new TreeMap<>();
            replica.data("messages").forEach((id, data) -> texts.put(id, data.string("text")));
            return texts;
        }

        Map<String, String> atSlack() {
            Map<String, String> texts = new TreeMap<>();
            for (String channel : CHANNELS) {
                for (JsonObject m : SLACK.messages(channel)) {
                    texts.put(channel + ":" + m.string("ts"), m.string("text"));
                }
            }
            return texts;
        }

        @Override
        public void close() {
            harness.close();
        }
    }
}
