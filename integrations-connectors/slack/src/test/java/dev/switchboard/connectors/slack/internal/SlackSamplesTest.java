package dev.switchboard.connectors.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.testkit.VendorSamples;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every real Slack sample in the testkit, through the connector's mapping and classification. The
 * javasdk samples are masked supersets (every field ever seen, placeholder values): the values
 * asserted are the placeholders in those files.
 */
class SlackSamplesTest {
    private final SlackRecords records = new SlackRecords("slack-acme", "T0ACME");

    private static JsonObject sample(String name) {
        return (JsonObject) VendorSamples.json("slack/" + name);
    }

    @Test
    void historyMessagesMapWithChannelIdTsAndEditVersion() {
        JsonObject envelope = sample("javasdk_sample_conversations.history.json");
        JsonObject message = (JsonObject) envelope.array("messages").get(0);

        Record r = records.message("C0ACME001", false, message);

        assertThat(r.id()).isEqualTo("C0ACME001:0000000000.000000");
        assertThat(r.stream()).isEqualTo("messages");
        assertThat(r.data().string("channel")).isEqualTo("C0ACME001");
        assertThat(r.data().string("ts")).isEqualTo("0000000000.000000");
        assertThat(r.data().string("user")).isEqualTo("U00000000");
        assertThat(r.data().number("reply_count").intValue()).isEqualTo(12345);
        assertThat(r.data().object("edited").string("user")).isEqualTo("B00000000");
        assertThat(r.version()).isEqualTo("0000000000.000000"); // edited.ts
        assertThat(r.updatedAt()).isEqualTo(Instant.EPOCH);
        assertThat(r.acl()).isEqualTo(new Acl("U00000000", "T0ACME", Visibility.TENANT, Set.of()));
        assertThat(SlackApi.nextCursor(envelope)).isNull(); // "next_cursor": ""
        // The sample's metadata has the marker's shape, with another event type.
        assertThat(SlackPoster.carries(message, "any")).isFalse();
        assertThat(message.object("metadata").names()).containsExactly("event_payload", "event_type");
    }

    @Test
    void postMessageAnswerMapsAsAMessageOfItsChannel() {
        JsonObject envelope = sample("javasdk_sample_chat.postMessage.json");
        assertThat(envelope.string("channel")).isEqualTo("C00000000");

        Record r = records.message(envelope.string("channel"), true, envelope.object("message"));

        assertThat(r.id()).isEqualTo("C00000000:0000000000.000000");
        assertThat(r.data().string("bot_id")).isEqualTo("B00000000");
        assertThat(r.data().string("thread_ts")).isEqualTo("0000000000.000000");
        assertThat(r.acl()).isEqualTo(new Acl(null, "T0ACME", Visibility.PRIVATE, Set.of("slack:channel:C00000000")));
        assertThat(r.version()).isEqualTo("0000000000.000000");
    }

    @Test
    void conversationsFromListAndInfoMap() {
        JsonObject list = sample("javasdk_sample_conversations.list.json");
        JsonObject channel = (JsonObject) list.array("channels").get(0);

        Record r = records.conversation(channel);

        assertThat(r.id()).isEqualTo("D00000000");
        assertThat(r.updatedAt()).isEqualTo(Instant.ofEpochMilli(12345)); // "updated" is in milliseconds
        assertThat(r.version()).isEqualTo("12345");
        assertThat(r.data().number("created").intValue()).isEqualTo(12345);
        assertThat(r.data().object("topic").number("last_set").intValue()).isEqualTo(12345);
        assertThat(r.acl()).isEqualTo(new Acl("U00000000", "T0ACME", Visibility.TENANT, Set.of()));

        JsonObject info = sample("javasdk_sample_conversations.info.json").object("channel");
        Record fromInfo = records.conversation(info);
        assertThat(fromInfo.id()).isEqualTo(info.string("id"));
        assertThat(fromInfo.source().object()).isEqualTo("conversation");
    }

    @Test
    void usersFromListAndInfoMap() {
        JsonObject list = sample("javasdk_sample_users.list.json");
        JsonObject member = (JsonObject) list.array("members").get(0);

        Record r = records.user(member);

        assertThat(r.id()).isEqualTo("U00000000");
        assertThat(r.data().string("team_id")).isEqualTo("T00000000");
        assertThat(r.data().object("profile").string("image_24")).isEqualTo("https://www.example.com/");
        assertThat(r.updatedAt()).isEqualTo(Instant.ofEpochSecond(12345)); // "updated" is in seconds
        assertThat(r.acl().owner()).isEqualTo("U00000000");
        assertThat(r.acl().tenant()).isEqualTo("T0ACME"); // the connection's workspace, not the record's claim

        Record fromInfo = records.user(sample("javasdk_sample_users.info.json").object("user"));
        assertThat(fromInfo.id()).isEqualTo("U00000000");
    }

    @Test
    void paginationSamplesGiveTheirNextCursor() {
        JsonObject first = sample("pysdk_web_response_conversations_list_pagination.json");
        JsonObject second = sample("pysdk_web_response_conversations_list_pagination_has_page2.json");

        assertThat(SlackApi.nextCursor(first)).isEqualTo("has_page2");
        assertThat(SlackApi.nextCursor(second)).isEqualTo("has_page3");
        assertThat(records.conversation((JsonObject) first.array("channels").get(0))
                        .id())
                .isEqualTo("C1");
        assertThat(records.conversation((JsonObject) second.array("channels").get(0))
                        .id())
                .isEqualTo("C2");
    }

    @Test
    void okFalseSamplesAreClassifiedAsRefusals() {
        SlackResponseClassifier classifier = new SlackResponseClassifier();
        // {"ok": false} with no error code at all, and the masked samples' "error": "".
        for (String name : List.of(
                "pysdk_web_response_api_test_false.json",
                "javasdk_sample_api.test.json",
                "javasdk_sample_auth.test.json",
                "javasdk_sample_oauth.v2.access.json")) {
            ResponseClass cls = classifier.classify(response(VendorSamples.bytes("slack/" + name)), Clock.systemUTC());
            assertThat(cls.kind()).as(name).isEqualTo(ResponseClass.Kind.PERMANENT);
        }
        assertThat(classifier
                        .classify(
                                response(VendorSamples.bytes(
                                        "slack/pysdk_web_response_conversations_list_pagination.json")),
                                Clock.systemUTC())
                        .kind())
                .isEqualTo(ResponseClass.Kind.OK);
    }

    static VendorResponse response(byte[] body) {
        return new VendorResponse(
                "slack",
                VendorRequest.get("/api/api.test").operation("api.test").build(),
                "https://slack.com/api/api.test",
                200,
                Map.of("content-type", List.of("application/json; charset=utf-8")),
                body);
    }

    @Test
    void everySampleRecordKeepsItsStreamContract() {
        List<Record> all = new java.util.ArrayList<>();
        sample("javasdk_sample_conversations.list.json")
                .array("channels")
                .forEach(c -> all.add(records.conversation((JsonObject) c)));
        all.add(records.conversation(
                sample("javasdk_sample_conversations.info.json").object("channel")));
        sample("javasdk_sample_conversations.history.json")
                .array("messages")
                .forEach(m -> all.add(records.message("C0ACME001", false, (JsonObject) m)));
        sample("javasdk_sample_users.list.json").array("members").forEach(u -> all.add(records.user((JsonObject) u)));
        all.add(records.user(sample("javasdk_sample_users.info.json").object("user")));

        assertThat(all).hasSizeGreaterThan(4).allSatisfy(r -> {
            var contract =
                    SlackDescriptors.DESCRIPTOR.stream(r.stream()).orElseThrow().schema();
            // Core checks every record against this: the real shapes must show no drift at all.
            assertThat(contract.check(r.data())).as(r.stream() + " " + r.id()).isEmpty();
        });
    }
}
