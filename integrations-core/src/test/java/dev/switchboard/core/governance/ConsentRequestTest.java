package dev.switchboard.core.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What a person is asked: the action and its input, with the values of secret-named members hidden. */
class ConsentRequestTest {
    @Test
    void thePromptNamesTheActionAndItsInputAndHidesSecretValuesAtAnyDepth() {
        JsonObject input = (JsonObject) Json.parse("""
                {"name": "billing-sync", "api_key": "sk-live-4f2a",
                 "auth": {"username": "svc", "password": "hunter2-9b1c"},
                 "headers": [{"name": "X-Trace", "token": "tok-77e0"}]}""");

        String prompt = new ConsentRequest(
                        "crm-acme", "create_integration", Effect.WRITE, input, "digest", "Creates an integration")
                .prompt();

        assertThat(prompt)
                .contains("create_integration", "write", "crm-acme", "Creates an integration")
                .contains("\"name\":\"billing-sync\"", "\"username\":\"svc\"", "\"name\":\"X-Trace\"")
                .contains("\"api_key\":\"[redacted]\"", "\"password\":\"[redacted]\"", "\"token\":\"[redacted]\"")
                .doesNotContain("sk-live-4f2a", "hunter2-9b1c", "tok-77e0");
    }

    @Test
    void withASummaryThePromptLeadsWithItAndDoesNotRepeatTheInput() {
        JsonObject input = (JsonObject) Json.parse("{\"ticketId\":\"123\",\"api_key\":\"sk-live-4f2a\"}");

        String prompt = new ConsentRequest(
                        "hubspot-acme",
                        "update_ticket",
                        Effect.WRITE,
                        input,
                        "digest",
                        "Sets properties of a ticket",
                        "Set hs_ticket_priority to HIGH on HubSpot ticket 123 in connection hubspot-acme")
                .prompt();

        assertThat(prompt)
                .isEqualTo("Set hs_ticket_priority to HIGH on HubSpot ticket 123 in connection hubspot-acme."
                        + " Allow update_ticket (write) on hubspot-acme?")
                .doesNotContain("sk-live-4f2a");
    }

    @Test
    void aBlankSummaryIsNoSummary() {
        JsonObject input = (JsonObject) Json.parse("{\"ticketId\":\"123\"}");

        ConsentRequest request =
                new ConsentRequest("hubspot-acme", "update_ticket", Effect.WRITE, input, "digest", "", "  ");

        assertThat(request.summary()).isNull();
        assertThat(request.prompt())
                .isEqualTo("Allow update_ticket (write) on hubspot-acme with input {\"ticketId\":\"123\"}?");
    }
}
