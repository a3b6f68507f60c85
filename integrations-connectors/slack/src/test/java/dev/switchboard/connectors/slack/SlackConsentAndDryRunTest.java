package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.Principal;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.error.ConsentRequiredException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.VendorFake;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consent for Slack's posts: each action's one-sentence summary, its dry run (GETs only, nothing posted),
 * and the consent prompt a person gets, which leads with the summary.
 */
class SlackConsentAndDryRunTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    static final AgentContext CONTEXT = AgentContext.of(Principal.user("u-1", "tenant-1"));
    static final String TEXT = "Deploy finished: all green"; // 26 characters

    private final List<FakeConnection> opened = new ArrayList<>();
    private Connection connection;
    private String parentTs;

    @BeforeEach
    void open() {
        connection = connect(ConsentGate.approveAll()).connection();
        parentTs = SLACK.messages(FakeSlack.GENERAL).get(0).string("ts");
    }

    @AfterEach
    void close() {
        opened.forEach(FakeConnection::close);
    }

    private FakeConnection connect(ConsentGate gate) {
        FakeConnection c = FakeConnection.to(SLACK, SlackConnector.ID)
                .connectionId("slack-acme")
                .connector(new SlackConnector())
                .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                .context(CONTEXT)
                .consentGate(gate)
                .build();
        opened.add(c);
        return c;
    }

    private ActionPreview preview(String action, JsonObject input) {
        return connection.preview(CONTEXT, action, input);
    }

    private static int postsReceived() {
        return SLACK.requestCount(r -> !r.method().equals("GET"));
    }

    private static JsonObject post(String channel) {
        return JsonObject.builder().put("channel", channel).put("text", TEXT).build();
    }

    private JsonObject reply() {
        return JsonObject.builder()
                .put("channel", FakeSlack.GENERAL)
                .put("thread_ts", parentTs)
                .put("text", TEXT)
                .put("reply_broadcast", true)
                .build();
    }

    /** An input for every write the connector declares; a new action without one fails the enumeration test. */
    private Map<String, JsonObject> sampleInputs() {
        return Map.of("post_message", post(FakeSlack.GENERAL), "reply_in_thread", reply());
    }

    // ---- post_message ---------------------------------------------------------------------------------

    @Test
    void aPostsSummaryGivesTheMessagesLengthTheChannelAndWhoPosts() {
        assertThat(preview("post_message", post(FakeSlack.GENERAL)).summary())
                .isEqualTo("Post a message of 26 characters to Slack channel #C0GENERAL as the app in connection"
                        + " slack-acme")
                .doesNotContain("Deploy");
    }

    @Test
    void aPostsDryRunReadsTheChannelAndPostsNothing() {
        int before = SLACK.messages(FakeSlack.GENERAL).size();

        ActionPreview preview = preview("post_message", post(FakeSlack.GENERAL));

        assertThat(preview.wouldChange().object("channel").string("name")).isEqualTo("general");
        assertThat(preview.wouldChange().object("channel").bool("is_member")).isTrue();
        assertThat(preview.wouldChange().bool("wouldPost")).isTrue();
        assertThat(preview.wouldChange().string("text")).isEqualTo(TEXT);
        assertThat(preview.affected())
                .as("the new message has no ts before it is posted")
                .isEmpty();
        assertThat(postsReceived()).isZero();
        assertThat(SLACK.messages(FakeSlack.GENERAL)).hasSize(before);
    }

    @Test
    void aPostsDryRunSaysTheAppIsNotInTheChannel() {
        SLACK.addChannel("C0OUTSIDE", "announcements", false, false);

        ActionPreview preview = preview("post_message", post("C0OUTSIDE"));

        assertThat(preview.wouldChange().bool("wouldPost")).isFalse();
        assertThat(preview.wouldChange().string("refusal")).isEqualTo("not_in_channel");
        assertThat(postsReceived()).isZero();
    }

    @Test
    void aPostsDryRunFindsAMessageAlreadyPostedWithItsKey() {
        JsonObject keyed = post(FakeSlack.GENERAL)
                .newBuilder()
                .put("idempotency_key", "deploy-42")
                .build();
        String ts = connection.execute(CONTEXT, "post_message", keyed).output().string("ts");
        int posts = postsReceived();

        ActionPreview preview = preview("post_message", keyed);

        assertThat(preview.wouldChange().bool("already_posted")).isTrue();
        assertThat(preview.wouldChange().bool("wouldPost")).isFalse();
        assertThat(preview.affected()).containsExactly(RecordRef.changed("messages", FakeSlack.GENERAL + ":" + ts));
        assertThat(postsReceived()).isEqualTo(posts);
    }

    @Test
    void aDryRunToAChannelThatIsNotThereFailsAsThePostWould() {
        assertThatThrownBy(() -> preview("post_message", post("C0NOWHERE1"))).isInstanceOf(SwitchboardException.class);
        assertThat(postsReceived()).isZero();
    }

    // ---- reply_in_thread ------------------------------------------------------------------------------

    @Test
    void aReplysSummaryNamesTheThreadAndSaysItIsBroadcast() {
        assertThat(preview("reply_in_thread", reply()).summary())
                .isEqualTo("Reply with a message of 26 characters in the thread of message " + parentTs
                        + " in Slack channel #C0GENERAL as the app, also shown in the channel in connection"
                        + " slack-acme");
    }

    @Test
    void aReplysDryRunReadsTheThreadsParentAndPostsNothing() {
        ActionPreview preview = preview("reply_in_thread", reply());

        assertThat(preview.wouldChange().string("thread_ts")).isEqualTo(parentTs);
        assertThat(preview.wouldChange().bool("reply_broadcast")).isTrue();
        assertThat(preview.wouldChange().bool("wouldPost")).isTrue();
        assertThat(preview.affected())
                .containsExactly(RecordRef.changed("messages", FakeSlack.GENERAL + ":" + parentTs));
        assertThat(SLACK.requestCount(r -> r.path().equals("/api/conversations.replies")))
                .isEqualTo(1);
        assertThat(postsReceived()).isZero();

        JsonObject noThread = reply().newBuilder().put("thread_ts", "1.000001").build();
        assertThatThrownBy(() -> preview("reply_in_thread", noThread)).isInstanceOf(SwitchboardException.class);
        assertThat(postsReceived()).isZero();
    }

    // ---- consent ----------------------------------------------------------------------------------------

    @Test
    void theConsentPromptLeadsWithTheSummaryAndHoldsNoSecret() {
        FakeConnection asking = connect(ConsentGate.askUser());

        ConsentRequiredException asked = catchThrowableOfType(
                ConsentRequiredException.class,
                () -> asking.connection().execute(CONTEXT, "post_message", post(FakeSlack.GENERAL)));

        assertThat(asked.prompt())
                .isEqualTo("Post a message of 26 characters to Slack channel #C0GENERAL as the app in connection"
                        + " slack-acme. Allow post_message (write) on slack-acme?")
                .doesNotContain(VendorFake.ACCESS_TOKEN, FakeSlack.SIGNING_SECRET, "Deploy");
        assertThat(asking.switchboard()
                        .consent()
                        .find(asked.requestId())
                        .orElseThrow()
                        .prompt())
                .isEqualTo(asked.prompt());
        assertThat(SLACK.requests()).as("nothing sent before consent").isEmpty();
    }

    // ---- every write --------------------------------------------------------------------------------------

    @Test
    void everyWriteTheConnectorDeclaresHasASummaryAndADryRun() {
        Map<String, JsonObject> samples = sampleInputs();
        for (ActionDescriptor action : new SlackConnector().descriptor().actions()) {
            if (!action.effect().needsConsent()) {
                continue;
            }
            assertThat(samples)
                    .as("a sample input for %s: give it one, a summary and a dry run", action.name())
                    .containsKey(action.name());
            ActionPreview preview = preview(action.name(), samples.get(action.name()));
            assertThat(preview.summary()).as(action.name()).contains("Slack", "slack-acme");
            assertThat(preview.wouldChange().bool("wouldPost"))
                    .as(action.name())
                    .isTrue();
        }
        assertThat(postsReceived()).isZero();
    }
}
