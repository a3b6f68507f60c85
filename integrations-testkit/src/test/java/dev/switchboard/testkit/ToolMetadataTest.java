package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Schema;
import org.junit.jupiter.api.Test;

class ToolMetadataTest {
    private static final JsonObject ANY_OBJECT = (JsonObject) Json.parse("{\"type\":\"object\"}");

    @Test
    void findsAMissingOrEchoedDescriptionAndAMissingOutputSchema() {
        ConnectorDescriptor bare =
                ConnectorDescriptor.builder("bare").stream(
                                new StreamDescriptor("tickets", Schema.builder().build(), "id", null))
                        .stream(new StreamDescriptor("deals", Schema.builder().build(), "id", null)
                                .withDescription("Deals: the HubSpot deals"))
                        .action(new ActionDescriptor("close_ticket", "Closes a ticket", ANY_OBJECT, Effect.WRITE, true))
                        .build();

        assertThat(ToolMetadata.problems(bare))
                .containsExactly(
                        "stream deals has a description of 2 words besides its name, fewer than 12:"
                                + " 'Deals: the HubSpot deals'",
                        "stream tickets has no description",
                        "action close_ticket has a description of 2 words besides its name, fewer than 12:"
                                + " 'Closes a ticket'",
                        "action close_ticket declares no output schema");
    }

    @Test
    void findsAnOutputSchemaThatIsNotJsonSchemaAndAnOutputThatBreaksIt() {
        JsonObject output = (JsonObject)
                Json.parse("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"]}");
        ActionDescriptor action = new ActionDescriptor(
                        "close_ticket",
                        "Closes one ticket by its id and returns the id of the ticket it closed, nothing else",
                        ANY_OBJECT,
                        Effect.WRITE,
                        true)
                .withOutputSchema(output);
        ActionDescriptor broken = action.withOutputSchema((JsonObject) Json.parse("{\"type\":\"thing\"}"));

        assertThat(ToolMetadata.problems(
                        ConnectorDescriptor.builder("ok").action(action).build()))
                .isEmpty();
        assertThat(ToolMetadata.problems(
                        ConnectorDescriptor.builder("broken").action(broken).build()))
                .isNotEmpty()
                .allSatisfy(problem -> assertThat(problem)
                        .startsWith("the output schema of action close_ticket is not JSON Schema 2020-12"));
        assertThat(ToolMetadata.outputViolations(action, Json.objectFrom(java.util.Map.of("id", "t1"))))
                .isEmpty();
        assertThat(ToolMetadata.outputViolations(action, Json.objectFrom(java.util.Map.of("id", 7))))
                .isNotEmpty();
    }
}
