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
    return FakeConnection.to(SLACK, SlackConnector.ID).connectionId("slack-acme").setting(SlackSettings.TEAM_ID, "T0ACME")
        .driftPolicy(DriftPolicy.REPORT);
  }

  private static ContractReport check(FakeConnection slack) {
    // The sample's only channel says is_member false, so messages are read from it by name.
    return ContractCheck.on(slack.connection(), slack.context())
        .request(ReadRequest.of("messages").where("channel", CHANNEL)).build().run();
  }

  private static List<String> added(StreamResult stream) {
    assertThat(stream.seenIn(Difference.Seen.RECORDS)).allMatch(d -> d.kind() == Drift.Kind.ADDED && d.records() == 1);
    return stream.seenIn(Difference.Seen.RECORDS).stream().map(d -> d.field() + ":" + d.observed()).toList();
  }

  @Test
  void theSamplesKeepTheContractsAndShowEveryUndeclaredFieldAsAdditive() {
    try (FakeConnection slack = connection().build()) {
      ContractReport report = check(slack);

      report.assertNoBreakingDrift();
      assertThat(report.streams()).extracting(StreamResult::stream, StreamResult::recordsRead, StreamResult::metadataChecked)
          .containsExactly(tuple("conversations", 1, false), tuple("messages", 1, false), tuple("users", 1, false));
      assertThat(added(report.stream("conversations").orElseThrow())).containsExactly(
          "is_org_shared:BOOLEAN", "user:STRING", "is_user_deleted:BOOLEAN", "priority:INTEGER", "unlinked:INTEGER",
          "is_shared:BOOLEAN", "is_pending_ext_shared:BOOLEAN", "pending_shared:ARRAY", "is_ext_shared:BOOLEAN",
          "shared_team_ids:ARRAY", "pending_connected_team_ids:ARRAY", "previous_names:ARRAY", "is_moved:INTEGER",
          "is_global_shared:BOOLEAN", "is_org_default:BOOLEAN", "is_org_mandatory:BOOLEAN", "conversation_host_id:STRING",
          "internal_team_ids:ARRAY", "context_team_id:STRING", "properties:OBJECT");
      assertThat(added(report.stream("messages").orElseThrow())).containsExactly(
          "subtype:STRING", "bot_id:STRING", "root:OBJECT", "username:STRING", "icons:OBJECT", "subscribed:BOOLEAN",
          "bot_profile:OBJECT", "upload:BOOLEAN", "display_as_bot:BOOLEAN", "x_files:ARRAY", "topic:STRING",
          "purpose:STRING", "client_msg_id:STRING", "app_id:STRING", "metadata:OBJECT", "inviter:STRING",
          "is_locked:BOOLEAN", "files:ARRAY", "blocks:ARRAY", "attachments:ARRAY", "assistant_app_thread:OBJECT");
      assertThat(added(report.stream("users").orElseThrow())).containsExactly(
          "color:STRING", "is_email_confirmed:BOOLEAN", "tz_label:STRING", "tz_offset:INTEGER", "is_primary_owner:BOOLEAN",
          "is_restricted:BOOLEAN", "is_ultra_restricted:BOOLEAN", "who_can_share_contact_card:STRING", "has_2fa:BOOLEAN",
          "two_factor_type:STRING", "is_workflow_bot:BOOLEAN", "locale:STRING", "enterprise_user:OBJECT");
      // The thread's parent came back from conversations.replies too, and was counted once.
      assertThat(SLACK.requestCount("/api/conversations.replies")).isEqualTo(1);
      assertThat(SLACK.unmatched()).isEmpty();
    }
  }

  @Test
  void aRetypedAndARemovedRequiredFieldAreBreaking() {
    SLACK.replay(SLACK.recording()
        .set("GET", "/api/conversations.list", "/channels/0/created", new JsonString("2024-01-01"))
        .remove("GET", "/api/users.list", "/members/0/deleted"));
    try (FakeConnection slack = connection().build()) {
      ContractReport report = check(slack);

      assertThat(report.breaking()).containsExactly(
          new Difference("created", Drift.Kind.TYPE_CHANGED, "INTEGER", "STRING", Difference.Seen.RECORDS, 1, List.of("D00000000")),
          new Difference("deleted", Drift.Kind.MISSING, "BOOLEAN", null, Difference.Seen.RECORDS, 1, List.of("U00000000")));
      JsonObject json = (JsonObject) Json.parse(report.toJson());
      assertThat(json.string("status")).isEqualTo("BREAKING");
      assertThat(json.number("breaking")).isEqualByComparingTo("2");
    }
  }

  @Test
  void aMessageTypeThePinnedContractNeverListedIsBreaking() {
    Schema declared = new SlackConnector().descriptor().stream("messages").orElseThrow().schema();
    Schema.Builder pinned = Schema.builder();
    declared.fields().forEach(f -> pinned.add(f.name().equals("type") ? f.withValues(List.of("message")) : f));
    SLACK.replay(SLACK.recording()
        .set("GET", "/api/conversations.history", "/messages/0/type", new JsonString("huddle"))
        .set("GET", "/api/conversations.replies", "/messages/0/type", new JsonString("huddle")));
    try (FakeConnection slack = connection().contract("messages", pinned.build()).build()) {
      ContractReport report = check(slack);

      assertThat(report.breaking()).containsExactly(new Difference("type", Drift.Kind.UNKNOWN_VALUE, "one of [message]",
          "huddle", Difference.Seen.RECORDS, 1, List.of(CHANNEL + ":0000000000.000000")));
    }
  }

  @Test
  void slacksInvalidAuthIsReportedPerStreamWithItsNextStep() {
    SLACK.revokeAccessTokens();
    try (FakeConnection slack = connection().build()) {
      ContractReport report = check(slack);

      assertThat(report.status()).isEqualTo(ContractReport.Status.INCOMPLETE);
      assertThat(report.streams()).allSatisfy(s -> assertThat(s.errors()).extracting(StreamError::type, StreamError::nextStep)
          .containsExactly(tuple("ReauthorizationRequiredException", "REAUTHORIZE")));
    }
  }

}
