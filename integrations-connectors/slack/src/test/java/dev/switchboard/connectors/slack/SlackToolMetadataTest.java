package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.Principal;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.ToolMetadata;
import dev.switchboard.testkit.fake.FakeSlack;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What agent tools are built from: every stream and action described for a model, every action's
 * output schema, and each action's real output, from {@link FakeSlack}, keeping that schema, whether
 * the message was posted or found by its marker.
 */
class SlackToolMetadataTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private final ConnectorDescriptor descriptor = new SlackConnector().descriptor();
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final AgentContext context = AgentContext.of(Principal.user("u-1", "tenant-1"));
    private FakeConnection harness;
    private Connection slack;

    @BeforeEach
    void connect() {
        SLACK.useClock(clock);
        harness = FakeConnection.to(SLACK, SlackConnector.ID)
                .connectionId("slack-acme")
                .connector(new SlackConnector())
                .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                .clock(clock)
                .context(context)
                .seed(7)
                .build();
        slack = harness.connection();
    }

    @AfterEach
    void close() {
        harness.close();
    }

    /** Runs the action through Switchboard and checks its output against the action's output schema. */
    private JsonObject runAndCheck(String action, JsonObject input) {
        JsonObject output = slack.execute(context, action, input).output();
        assertThat(ToolMetadata.outputViolations(descriptor.action(action).orElseThrow(), output))
                .as("output of %s: %s", action, output.toJson())
                .isEmpty();
        return output;
    }

    @Test
    void everyStreamAndActionIsDescribedForAModelAndEveryActionDeclaresItsOutput() {
        assertThat(descriptor.streams()).hasSize(3);
        assertThat(descriptor.actions()).hasSize(2);

        assertThat(ToolMetadata.problems(descriptor)).isEmpty();
    }

    @Test
    void noStreamClaimsTombstonesItsReaderDoesNotReturn() {
        // Slack's history omits deleted messages; nothing reads them as deletes yet.
        assertThat(descriptor.streams()).noneMatch(StreamDescriptor::reportsDeletes);
    }

    @Test
    void postMessageReturnsTheSameShapeWhenPostedAndWhenFoundByItsKey() {
        JsonObject input = JsonObject.builder()
                .put("channel", FakeSlack.GENERAL)
                .put("text", "Deploy finished")
                .put("idempotency_key", "deploy-7")
                .build();

        JsonObject posted = runAndCheck("post_message", input);
        clock.advance(Duration.ofSeconds(5));
        JsonObject found = runAndCheck("post_message", input);

        assertThat(posted.bool("already_posted")).isFalse();
        assertThat(found.bool("already_posted")).isTrue();
        assertThat(found.string("ts")).isEqualTo(posted.string("ts"));
        assertThat(posted.string("idempotency_key")).isEqualTo("deploy-7");
    }

    @Test
    void replyInThreadReturnsTheSameShapeWhenPostedAndWhenFoundAfterALostAnswer() {
        String threadTs = FakeSlack.SEED_EPOCH_SECOND + ".000100";
        JsonObject reply = JsonObject.builder()
                .put("channel", FakeSlack.RANDOM)
                .put("thread_ts", threadTs)
                .put("text", "On it")
                .put("reply_broadcast", true)
                .build();

        JsonObject posted = runAndCheck("reply_in_thread", reply);
        SLACK.dropAnswersToPosts(1); // stored, then the connection is reset: found by its marker
        JsonObject found = runAndCheck(
                "reply_in_thread", reply.newBuilder().put("text", "Done").build());

        assertThat(posted.string("thread_ts")).isEqualTo(threadTs);
        assertThat(posted.bool("already_posted")).isFalse();
        assertThat(found.string("thread_ts")).isEqualTo(threadTs);
        assertThat(found.bool("already_posted")).isTrue();
        assertThat(found.string("idempotency_key")).isNotEqualTo(posted.string("idempotency_key"));
    }
}
