package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Schema;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.contract.ContractCheck;
import dev.switchboard.testkit.contract.ContractReport;
import dev.switchboard.testkit.contract.Difference;
import dev.switchboard.testkit.contract.StreamError;
import dev.switchboard.testkit.contract.StreamResult;
import dev.switchboard.testkit.fake.RecordedVendor;
import dev.switchboard.testkit.fake.Recording;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract harness on recorded Slack answers: the java-slack-sdk's masked superset samples
 * (recordings/slack), whose shape is every field Slack was seen to send; then altered copies.
 */
class SlackRecordedContractTest {
    @RegisterExtension
    static final RecordedVendor SLACK = new RecordedVendor(Recording.fromClasspath("recordings/slack"));

    private static final String CHANNEL = "C00000000"; // the samples' masked channel id

    private static FakeConnection.Builder connection() {
        return FakeConnection.to(SLACK, SlackConnector.ID)
                .connectionId("slack-acme")
                .setting(SlackSettings.TEAM_ID, "T0ACME")
                .driftPolicy(DriftPolicy.REPORT);
    }

    private static ContractReport check(FakeConnection slack) {
        // The sample's only channel says is_member false, so messages are read from it by name.
        return ContractCheck.on(slack.connection(), slack.context())
                .request(ReadRequest.of("messages").where("channel", CHANNEL))
                .build()
                .run();
    }

    private static List<String> added(StreamResult stream) {
        assertThat(stream.seenIn(Difference.Seen.RECORDS))
                .allMatch(d -> d.kind() == Drift.Kind.ADDED && d.records() == 1);
        return stream.seenIn(Difference.Seen.RECORDS).stream()
                .map(d -> d.field() + ":" + d.observed())
                .toList();
    }

    @Test
    void theSamplesKeepTheContractsWhichDeclareEveryFieldSlackSends() {
        try (FakeConnection slack = connection().build()) {
            ContractReport report = check(slack);

            report.assertNoBreakingDrift();
            assertThat(report.streams())
                    .extracting(StreamResult::stream, StreamResult::recordsRead, StreamResult::metadataChecked)
                    .containsExactly(
                            tuple("conversations", 1, false), tuple("messages", 1, false), tuple("users", 1, false));
            // The streams declare every field of the java-slack-sdk samples (masked supersets of what Slack
            // sends), so a read reports nothing as long as Slack keeps to them.
            assertThat(report.streams())
                    .allSatisfy(stream -> assertThat(stream.differences()).isEmpty());
            // The thread's parent came back from conversations.replies too, and was counted once.
            assertThat(SLACK.requestCount("/api/conversations.replies")).isEqualTo(1);
            assertThat(SLACK.unmatched()).isEmpty();
        }
    }

    @Test
    void fieldsANarrowerPinnedContractLacksAreAdditive() {
        Schema declared =
                new SlackConnector().descriptor().stream("users").orElseThrow().schema();
        Schema.Builder narrower = Schema.builder();
        declared.fields().stream()
                .filter(f -> !List.of("tz_label", "locale", "enterprise_user").contains(f.name()))
                .forEach(narrower::add);
        try (FakeConnection slack =
                connection().contract("users", narrower.build()).build()) {
            ContractReport report = check(slack);

            report.assertNoBreakingDrift();
            assertThat(added(report.stream("users").orElseThrow()))
                    .containsExactlyInAnyOrder("tz_label:STRING", "locale:STRING", "enterprise_user:OBJECT");
        }
    }

    @Test
    void aRetypedAndARemovedRequiredFieldAreBreaking() {
        SLACK.replay(SLACK.recording()
                .set("GET", "/api/conversations.list", "/channels/0/created", new JsonString("2024-01-01"))
                .remove("GET", "/api/users.list", "/members/0/deleted"));
        try (FakeConnection slack = connection().build()) {
            ContractReport report = check(slack);

            assertThat(report.breaking())
                    .containsExactly(
                            new Difference(
                                    "created",
                                    Drift.Kind.TYPE_CHANGED,
                                    "INTEGER",
                                    "STRING",
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("D00000000")),
                            new Difference(
                                    "deleted",
                                    Drift.Kind.MISSING,
                                    "BOOLEAN",
                                    null,
                                    Difference.Seen.RECORDS,
                                    1,
                                    List.of("U00000000")));
            JsonObject json = (JsonObject) Json.parse(report.toJson());
            assertThat(json.string("status")).isEqualTo("BREAKING");
            assertThat(json.number("breaking")).isEqualByComparingTo("2");
        }
    }

    @Test
    void aMessageTypeThePinnedContractNeverListedIsBreaking() {
        Schema declared = new SlackConnector()
                .descriptor().stream("messages").orElseThrow().schema();
        Schema.Builder pinned = Schema.builder();
        declared.fields().forEach(f -> pinned.add(f.name().equals("type") ? f.withValues(List.of("message")) : f));
        SLACK.replay(SLACK.recording()
                .set("GET", "/api/conversations.history", "/messages/0/type", new JsonString("huddle"))
                .set("GET", "/api/conversations.replies", "/messages/0/type", new JsonString("huddle")));
        try (FakeConnection slack =
                connection().contract("messages", pinned.build()).build()) {
            ContractReport report = check(slack);

            assertThat(report.breaking())
                    .containsExactly(new Difference(
                            "type",
                            Drift.Kind.UNKNOWN_VALUE,
                            "one of [message]",
                            "huddle",
                            Difference.Seen.RECORDS,
                            1,
                            List.of(CHANNEL + ":0000000000.000000")));
        }
    }

    @Test
    void slacksInvalidAuthIsReportedPerStreamWithItsNextStep() {
        SLACK.revokeAccessTokens();
        try (FakeConnection slack = connection().build()) {
            ContractReport report = check(slack);

            assertThat(report.status()).isEqualTo(ContractReport.Status.INCOMPLETE);
            assertThat(report.streams())
                    .allSatisfy(s -> assertThat(s.errors())
                            .extracting(StreamError::type, StreamError::nextStep)
                            .containsExactly(tuple("ReauthorizationRequiredException", "REAUTHORIZE")));
        }
    }
}
