package dev.switchboard.connectors.salesforce;

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
import dev.switchboard.testkit.fake.FakeSalesforce;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What agent tools are built from: every stream and action described for a model, every action's
 * output schema, and each action's real output, from {@link FakeSalesforce}, keeping that schema.
 */
class SalesforceToolMetadataTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    private final ConnectorDescriptor descriptor = new SalesforceConnector().descriptor();
    private final AgentContext context = AgentContext.of(Principal.user("agent-user", "tenant-1"));
    private FakeConnection harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private Connection connect() {
        harness = FakeConnection.to(FAKE, SalesforceConnector.ID)
                .connectionId("sf")
                .connector(new SalesforceConnector())
                .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()))
                .clock(ManualClock.at(Instant.parse("2026-06-01T09:00:00Z")))
                .context(context)
                .seed(7)
                .build();
        return harness.connection();
    }

    /** Runs the action through Switchboard and checks its output against the action's output schema. */
    private JsonObject runAndCheck(String action, JsonObject input) {
        JsonObject output = connect().execute(context, action, input).output();
        assertThat(ToolMetadata.outputViolations(descriptor.action(action).orElseThrow(), output))
                .as("output of %s: %s", action, output.toJson())
                .isEmpty();
        return output;
    }

    @Test
    void everyStreamAndActionIsDescribedForAModelAndEveryActionDeclaresItsOutput() {
        assertThat(descriptor.streams()).hasSize(6);
        assertThat(descriptor.actions()).hasSize(3);

        assertThat(ToolMetadata.problems(descriptor)).isEmpty();
    }

    @Test
    void everyObjectThatCanBeDeletedReportsDeletesAndUserDoesNot() {
        // Resumed reads use queryAll, whose recycle-bin rows become tombstones; Users are never deleted.
        assertThat(descriptor.streams())
                .filteredOn(StreamDescriptor::reportsDeletes)
                .extracting(StreamDescriptor::name)
                .containsExactlyInAnyOrder("Account", "Case", "Contact", "Opportunity", "Task");
    }

    @Test
    void updateCaseStatusReturnsTheCaseIdAndTheStatusSent() {
        String caseId = FAKE.records("Case").get(0).string("Id");

        JsonObject out = runAndCheck(
                "update_case_status",
                JsonObject.builder()
                        .put("case_id", caseId)
                        .put("status", "Escalated")
                        .build());

        assertThat(out.string("id")).isEqualTo(caseId);
        assertThat(out.string("status")).isEqualTo("Escalated");
    }

    @Test
    void createTaskReturnsTheNewTasksId() {
        String accountId = FAKE.records("Account").get(0).string("Id");
        String contactId = FAKE.records("Contact").get(0).string("Id");

        JsonObject out = runAndCheck(
                "create_task",
                JsonObject.builder()
                        .put("subject", "Call back about the renewal")
                        .put("description", "They asked for a quote.")
                        .put("activity_date", "2026-06-03")
                        .put("what_id", accountId)
                        .put("who_id", contactId)
                        .build());

        assertThat(FAKE.records("Task"))
                .filteredOn(t -> "Call back about the renewal".equals(t.string("Subject")))
                .singleElement()
                .satisfies(t -> assertThat(t.string("Id")).isEqualTo(out.string("id")));
    }

    @Test
    void addCaseCommentReturnsTheNewCommentsIdNotTheCases() {
        String caseId = FAKE.records("Case").get(1).string("Id");

        JsonObject out = runAndCheck(
                "add_case_comment",
                JsonObject.builder()
                        .put("case_id", caseId)
                        .put("body", "Replaced the part.")
                        .put("is_published", true)
                        .build());

        assertThat(FAKE.records("CaseComment")).singleElement().satisfies(c -> {
            assertThat(c.string("Id")).isEqualTo(out.string("id")).isNotEqualTo(caseId);
            assertThat(c.string("ParentId")).isEqualTo(caseId);
        });
    }
}
