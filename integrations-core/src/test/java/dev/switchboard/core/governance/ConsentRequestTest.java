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
}
