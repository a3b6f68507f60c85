package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.testkit.ToolMetadata;
import org.junit.jupiter.api.Test;

/**
 * What agent tools are built from: every stream and action described for a model, every action's
 * output schema, and each action's real output, from FakeHubSpot, keeping that schema.
 */
class HubSpotToolMetadataTest extends VirtualHubSpotTest {
    private final ConnectorDescriptor descriptor = new HubSpotConnector().descriptor();

    /** Runs the action through Switchboard and checks its output against the action's output schema. */
    private JsonObject runAndCheck(String action, String input) {
        JsonObject output = execute(action, input).output();
        assertThat(ToolMetadata.outputViolations(descriptor.action(action).orElseThrow(), output))
                .as("output of %s: %s", action, output.toJson())
                .isEmpty();
        return output;
    }

    @Test
    void everyStreamAndActionIsDescribedForAModelAndEveryActionDeclaresItsOutput() {
        assertThat(descriptor.streams()).hasSize(9);
        assertThat(descriptor.actions()).hasSize(3);

        assertThat(ToolMetadata.problems(descriptor)).isEmpty();
    }

    @Test
    void onlyTheCrmObjectsClaimTombstones() {
        // The CRM objects read the recycling bin (HubSpotFreshnessTest sees the tombstones); owners,
        // associations, properties and pipelines are full reads with no deletes to report.
        assertThat(descriptor.streams())
                .filteredOn(StreamDescriptor::reportsDeletes)
                .extracting(StreamDescriptor::name)
                .containsExactlyInAnyOrder("contacts", "companies", "deals", "tickets");
    }

    @Test
    void updateTicketReturnsTheTicketWithThePropertiesSet() {
        JsonObject ticket = runAndCheck(
                "update_ticket",
                "{\"ticketId\":\"1075966440\",\"properties\":{\"hs_pipeline_stage\":\"4\",\"hs_ticket_priority\":\"HIGH\"}}");

        assertThat(ticket.string("id")).isEqualTo("1075966440");
        assertThat(ticket.string("hs_pipeline_stage")).isEqualTo("4");
        assertThat(ticket.string("hs_ticket_priority")).isEqualTo("HIGH");
    }

    @Test
    void createNoteReturnsTheNewNote() {
        JsonObject note = runAndCheck(
                "create_note",
                "{\"body\":\"<p>Called back</p>\",\"ownerId\":\"41629779\",\"timestamp\":\"2026-05-31T16:00:00Z\","
                        + "\"associations\":[{\"objectType\":\"contacts\",\"id\":\"1\"},"
                        + "{\"objectType\":\"tickets\",\"id\":\"1075966440\"}]}");

        assertThat(FAKE.object("notes", note.string("id"))).isPresent();
        assertThat(note.string("hs_note_body")).isEqualTo("<p>Called back</p>");
        assertThat(note.string("hs_timestamp")).isEqualTo("2026-05-31T16:00:00Z");
    }

    @Test
    void createTaskReturnsTheNewTask() {
        JsonObject task = runAndCheck(
                "create_task",
                "{\"subject\":\"Send the quote\",\"body\":\"With the discount\",\"status\":\"IN_PROGRESS\","
                        + "\"priority\":\"HIGH\",\"dueAt\":\"2026-06-02T09:00:00Z\",\"ownerId\":\"41629779\","
                        + "\"associations\":[{\"objectType\":\"deals\",\"id\":\"6744192456\"}]}");

        assertThat(FAKE.object("tasks", task.string("id"))).isPresent();
        assertThat(task.string("hs_task_subject")).isEqualTo("Send the quote");
        assertThat(task.string("hs_task_status")).isEqualTo("IN_PROGRESS");
    }
}
