package dev.switchboard.connectors.slack;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.testkit.ConnectorContract;
import dev.switchboard.testkit.ErrorShape;
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.VendorFake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared connector contract, run against FakeSlack in the contract's virtual time. */
class SlackConnectorContractTest extends ConnectorContract {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    /** The first message of #random, parent of the seeded thread. */
    static final String THREAD_TS = FakeSlack.SEED_EPOCH_SECOND + ".000100";

    @BeforeEach
    void shareTheClock() {
        SLACK.useClock(clock); // the fake's rate windows and message ts move with the contract's virtual time
    }

    @Override
    protected Connector connector() {
        return new SlackConnector();
    }

    @Override
    protected VendorFake fake() {
        return SLACK;
    }

    @Override
    protected String pagedStream() {
        return "messages";
    }

    @Override
    protected void seed(int records) {
        SLACK.seedMessages(records);
    }

    /**
     * Each error shape now runs on a fresh connection, so no shape carries its breaker failures into
     * the next. One contract test still needs more room than core's default breaker (50% of at least
     * 10 of the last 20 calls): {@code aReadThatFailsMidwayResumesWithoutLossOrDuplicates} fails a read
     * with a 503 on every attempt, and core records each of the 5 attempts as a breaker failure; with
     * the one successful call before it, the resumed read on the same connection reaches 10 calls with
     * 5 failures after 4 of its own and finds the breaker open. Requiring a full window of 20 calls
     * before the breaker judges keeps everything else at core's defaults. The breaker is tested in core.
     */
    @Override
    protected HttpSettings httpSettings() {
        return super.httpSettings()
                .newBuilder()
                .circuitBreaker(50f, 20, 20, Duration.ofSeconds(30))
                .build();
    }

    @Override
    protected Map<String, String> connectionSettings() {
        return Map.of(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID);
    }

    @Override
    protected Map<String, JsonObject> actionInputs() {
        return Map.of(
                "post_message",
                        JsonObject.builder()
                                .put("channel", FakeSlack.GENERAL)
                                .put("text", "Deploy finished")
                                .build(),
                "reply_in_thread",
                        JsonObject.builder()
                                .put("channel", FakeSlack.RANDOM)
                                .put("thread_ts", THREAD_TS)
                                .put("text", "Thanks, looking")
                                .build());
    }

    private static JsonObject post(String channel) {
        return JsonObject.builder().put("channel", channel).put("text", "hello").build();
    }

    /** Provokes with the fake on the contract's clock again (the contract resets the fake before each shape). */
    private Runnable provoke(Runnable r) {
        return () -> {
            SLACK.useClock(clock);
            r.run();
        };
    }

    private ErrorShape rejectedToken(String error) {
        return ErrorShape.onRead(
                error,
                "messages",
                provoke(() -> {
                    SLACK.rejectTokensWith(error);
                    SLACK.revokeAccessTokens();
                }),
                ReauthorizationRequiredException.class);
    }

    private ErrorShape onRead(
            String name, String stream, Runnable provoke, Class<? extends SwitchboardException> expected) {
        return ErrorShape.onRead(name, stream, provoke(provoke), expected);
    }

    private ErrorShape onPost(
            String name, JsonObject input, Runnable provoke, Class<? extends SwitchboardException> expected) {
        return ErrorShape.onAction(name, "post_message", input, provoke(provoke), expected);
    }

    @Override
    protected List<ErrorShape> errorShapes() {
        List<ErrorShape> shapes = new ArrayList<>();
        // Auth: ok:false in a 200; core refreshes once, then asks for reauthorization.
        for (String error : List.of("invalid_auth", "token_expired", "token_revoked", "account_inactive")) {
            shapes.add(rejectedToken(error));
        }
        shapes.add(onRead(
                "not_authed",
                "users",
                () -> SLACK.failNext("*", "not_authed", 2),
                ReauthorizationRequiredException.class));
        // The caller's input: the agent named the channel or wrote the text, and can fix it.
        shapes.add(onPost("channel_not_found", post("C0NOWHERE"), () -> {}, InvalidInputException.class));
        shapes.add(onPost(
                "not_in_channel",
                post("C0OUTSIDE"),
                () -> SLACK.addChannel("C0OUTSIDE", "outside", false, false),
                InvalidInputException.class));
        shapes.add(onPost(
                "msg_too_long",
                post(FakeSlack.GENERAL),
                () -> SLACK.failNext("chat.postMessage", "msg_too_long", 1),
                InvalidInputException.class));
        shapes.add(onPost(
                "no_text",
                post(FakeSlack.GENERAL),
                () -> SLACK.failNext("chat.postMessage", "no_text", 1),
                InvalidInputException.class));
        shapes.add(onPost(
                "invalid_arguments",
                post(FakeSlack.GENERAL),
                () -> SLACK.failNext("chat.postMessage", "invalid_arguments", 1),
                InvalidInputException.class));
        shapes.add(ErrorShape.onAction(
                "thread_not_found on a reply",
                "reply_in_thread",
                JsonObject.builder()
                        .put("channel", FakeSlack.RANDOM)
                        .put("thread_ts", "1600000000.000100")
                        .put("text", "Thanks")
                        .build(),
                provoke(() -> SLACK.failNext("chat.postMessage", "thread_not_found", 1)),
                InvalidInputException.class));
        shapes.add(new ErrorShape(
                "channel_not_found on a channel filter",
                provoke(() -> {}),
                (connection, context) -> {
                    try (RecordStream s =
                            connection.read(context, ReadRequest.of("messages").where("channel", "C0NOWHERE"))) {
                        s.forEach(r -> {});
                    }
                },
                InvalidInputException.class));
        // Not the caller's doing, and a retry will not help: our own page cursor was refused.
        shapes.add(onRead(
                "invalid_cursor",
                "users",
                () -> SLACK.failNext("users.list", "invalid_cursor", 1),
                PermanentException.class));
        shapes.add(onRead(
                "missing_scope",
                "users",
                () -> SLACK.failNext("users.list", "missing_scope", 1),
                ReauthorizationRequiredException.class));
        // Throttling that outlasts the retry loop.
        shapes.add(onRead(
                "ratelimited in a 200",
                "messages",
                () -> SLACK.failNext("conversations.list", "ratelimited", 100),
                RateLimitedException.class));
        shapes.add(onRead(
                "HTTP 429 with Retry-After",
                "messages",
                () -> SLACK.faults().throttles(100),
                RateLimitedException.class));
        // Slack-side failures: transient on reads; an unknown outcome on a post that cannot be proven absent.
        for (String error : List.of("internal_error", "fatal_error", "service_unavailable", "request_timeout")) {
            shapes.add(onRead(
                    error,
                    "conversations",
                    () -> SLACK.failNext("conversations.list", error, 100),
                    TransientException.class));
        }
        shapes.add(onRead("HTTP 503", "users", () -> SLACK.faults().serverErrors(100, 503), TransientException.class));
        shapes.add(onPost(
                "internal_error on a post",
                post(FakeSlack.GENERAL),
                () -> SLACK.failNext("chat.postMessage", "internal_error", 2),
                OutcomeUnknownException.class));
        shapes.add(onPost(
                "HTTP 500 on a post",
                post(FakeSlack.GENERAL),
                () -> SLACK.faults().onlyFor("/api/chat.postMessage").serverErrors(2, 500),
                OutcomeUnknownException.class));
        return shapes;
    }
}
