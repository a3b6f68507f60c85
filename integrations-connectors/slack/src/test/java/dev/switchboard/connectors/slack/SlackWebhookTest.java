package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.error.WebhookRejectedException;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.webhook.WebhookRequest;
import dev.switchboard.core.webhook.WebhookResponse;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.FakeSlack.SignedEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slack's Events API through {@code Switchboard.webhooks()}: deliveries FakeSlack signs as Slack does
 * (v0, HMAC-SHA256 of {@code v0:timestamp:body}), Slack's own published signing example, and the
 * refusals (a bad signature, a stale timestamp, a replay, Slack's retry of a delivery already accepted).
 * Messages, thread replies, edits and deletes reach a change feed's subscriber as change events.
 */
class SlackWebhookTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private static final String CONNECTION = "slack-acme";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
    private FakeConnection harness;
    private Subscription feed;

    @BeforeEach
    void open() {
        SLACK.useClock(clock);
        harness = FakeConnection.to(SLACK, SlackConnector.ID)
                .connectionId(CONNECTION)
                .connector(new SlackConnector())
                .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                .clock(clock)
                .seed(5)
                .build();
        storeSigningSecret(FakeSlack.SIGNING_SECRET);
        feed = harness.switchboard()
                .subscribe(
                        AgentContext.of(Principal.system("memory")),
                        ChangeRequest.builder("memory", CONNECTION)
                                .streams("messages")
                                .manual()
                                .build(),
                        heard::add);
        SLACK.takeDeliveries();
    }

    @AfterEach
    void close() {
        feed.close();
        harness.close();
    }

    private void storeSigningSecret(String secret) {
        String key = ConnectionConfig.builder(CONNECTION)
                .connector(SlackConnector.ID)
                .build()
                .secretKey(SlackConnector.SIGNING_SECRET);
        harness.tokenStore().delete(key);
        // Versions never repeat for a key: the next one follows the deleted secret's.
        long last = harness.tokenStore().lastVersion(key);
        assertThat(harness.tokenStore()
                        .compareAndSet(
                                key,
                                last,
                                Credential.builder(secret).version(last + 1).build()))
                .isTrue();
    }

    private WebhookResponse send(SignedEvent delivery) {
        return send(delivery.headerLists(), delivery.bodyBytes());
    }

    private WebhookResponse send(Map<String, List<String>> headers, byte[] body) {
        return harness.switchboard()
                .webhooks()
                .handle(new WebhookRequest(
                        CONNECTION, "POST", URI.create("https://app.example.com/slack/events"), headers, body));
    }

    private static SignedEvent only(List<SignedEvent> deliveries) {
        assertThat(deliveries).hasSize(1);
        return deliveries.get(0);
    }

    @Test
    void slacksPublishedSigningExampleVerifiesAndOneChangedCharacterDoesNot() {
        // "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack): its
        // signing secret, timestamp, body (a slash command) and the signature Slack publishes for them.
        storeSigningSecret("8f742231b10e8888abcd99yyyzzz85a5");
        byte[] body = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
                .getBytes(StandardCharsets.UTF_8);
        String published = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

        // The signature holds (the connector verifies it before anything else, so the 2018 timestamp is not
        // reached); the body is a slash command, not an Events API callback, so it is malformed here.
        assertThatThrownBy(() -> send(signedHeaders("1531420618", published), body))
                .isInstanceOfSatisfying(
                        WebhookRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.MALFORMED));
        String altered = published.substring(0, published.length() - 1) + "4";
        assertThatThrownBy(() -> send(signedHeaders("1531420618", altered), body))
                .isInstanceOfSatisfying(
                        WebhookRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.BAD_SIGNATURE));
    }

    private static Map<String, List<String>> signedHeaders(String timestamp, String signature) {
        return Map.of(
                "Content-Type", List.of("application/x-www-form-urlencoded"),
                "X-Slack-Request-Timestamp", List.of(timestamp),
                "X-Slack-Signature", List.of(signature));
    }

    @Test
    void theUrlVerificationChallengeIsAnswered() {
        WebhookResponse answer = send(SLACK.urlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                .isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        assertThat(heard).isEmpty();
    }

    @Test
    void aValidDeliveryIsAcceptedOnceAndItsReplayAndSlacksRetryAreRefused() {
        String ts = SLACK.postMessage(FakeSlack.GENERAL, FakeSlack.USERS.get(0), "hello from Slack");
        SignedEvent delivery = only(SLACK.takeDeliveries());

        WebhookResponse answer = send(delivery);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(heard).singleElement().satisfies(e -> {
            assertThat(e.op()).isEqualTo(ChangeEvent.Op.UPSERT);
            assertThat(e.origin()).isEqualTo(ChangeEvent.Origin.WEBHOOK);
            assertThat(e.recordId()).isEqualTo(FakeSlack.GENERAL + ":" + ts);
            assertThat(e.record().data().string("text")).isEqualTo("hello from Slack");
        });
        // The same delivery again, and Slack's retry of it (re-signed now, X-Slack-Retry-Num: 1).
        clock.advance(Duration.ofSeconds(5));
        SignedEvent retry = SLACK.retry(delivery, 1);
        assertThat(retry.headers()).containsEntry("X-Slack-Retry-Num", "1");
        for (SignedEvent again : List.of(delivery, retry)) {
            assertThatThrownBy(() -> send(again)).isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.REPLAY);
                assertThat(e.status()).isEqualTo(200); // Slack stops retrying
            });
        }
        assertThat(heard).hasSize(1);
    }

    @Test
    void aDeliverySignedWithAnotherSecretIsRefused() {
        SLACK.signingSecret("not-the-apps-secret");
        SLACK.postMessage(FakeSlack.GENERAL, FakeSlack.USERS.get(0), "forged");

        assertThatThrownBy(() -> send(only(SLACK.takeDeliveries())))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.BAD_SIGNATURE);
                    assertThat(e.status()).isEqualTo(401);
                });
        assertThat(heard).isEmpty();
    }

    @Test
    void aDeliverySignedMoreThanFiveMinutesAgoIsRefused() {
        SLACK.postMessage(FakeSlack.GENERAL, FakeSlack.USERS.get(0), "late");
        SignedEvent delivery = only(SLACK.takeDeliveries());
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThatThrownBy(() -> send(delivery))
                .isInstanceOfSatisfying(
                        WebhookRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.STALE));
        assertThat(heard).isEmpty();
    }

    @Test
    void repliesEditsAndDeletesBecomeChangeEventsAndTheDeleteReachesTheFeed() {
        String parent = SLACK.messages(FakeSlack.RANDOM).get(0).string("ts");
        clock.advance(Duration.ofSeconds(1));
        String reply = SLACK.postReply(FakeSlack.RANDOM, parent, FakeSlack.USERS.get(1), "a reply");
        clock.advance(Duration.ofSeconds(1));
        SLACK.editMessage(FakeSlack.RANDOM, reply, "a reply, edited");
        clock.advance(Duration.ofSeconds(1));
        SLACK.deleteMessage(FakeSlack.RANDOM, reply);

        for (SignedEvent d : SLACK.takeDeliveries()) {
            send(d);
        }

        String id = FakeSlack.RANDOM + ":" + reply;
        assertThat(heard).extracting(ChangeEvent::recordId).containsOnly(id);
        assertThat(heard)
                .extracting(ChangeEvent::op)
                .containsExactly(ChangeEvent.Op.UPSERT, ChangeEvent.Op.UPSERT, ChangeEvent.Op.DELETE);
        assertThat(heard.get(0).record().data().string("thread_ts")).isEqualTo(parent);
        assertThat(heard.get(1).record().data().string("text")).isEqualTo("a reply, edited");
        assertThat(heard.get(1).version())
                .isEqualTo(heard.get(1).record().data().object("edited").string("ts"));
        assertThat(heard.get(2).sourceTime()).isAfter(heard.get(1).sourceTime());
        // The feed's own poll runs on the connector's partitioned reads and brings nothing the webhooks missed.
        clock.advance(Duration.ofMinutes(1));
        feed.poll();
        assertThat(heard).filteredOn(e -> e.recordId().equals(id)).hasSize(3);
    }

    @Test
    void directAndGroupDirectMessagesDeliveredByWebhookArePrivateToTheirMembers() {
        SLACK.addDm("D0ALICE01", FakeSlack.USERS.get(0));
        SLACK.addGroupDm("C0MPIM001", List.of(FakeSlack.USERS.get(0), FakeSlack.USERS.get(2)));
        SLACK.postMessage("D0ALICE01", FakeSlack.USERS.get(0), "just between us");
        SLACK.postMessage("C0MPIM001", FakeSlack.USERS.get(2), "the three of us");

        for (SignedEvent d : SLACK.takeDeliveries()) {
            send(d);
        }

        assertThat(heard).hasSize(2).allSatisfy(e -> {
            String channel = e.record().data().string("channel");
            assertThat(e.record().acl())
                    .isEqualTo(
                            new Acl(null, FakeSlack.TEAM_ID, Visibility.PRIVATE, Set.of("slack:channel:" + channel)));
        });
    }
}
