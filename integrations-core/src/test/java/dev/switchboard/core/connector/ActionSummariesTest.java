package dev.switchboard.core.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of a summary: free text by its length, short values cut, secrets never shown. */
class ActionSummariesTest {
    @Test
    void freeTextIsGivenByItsLengthInCharactersNotUtf16Units() {
        assertThat(ActionSummaries.length("héllo 👋")).isEqualTo("7 characters");
        assertThat(ActionSummaries.length("x")).isEqualTo("1 character");
    }

    @Test
    void aPlainValueIsShownAsIsAndAnyOtherIsQuotedFoldedAndCut() {
        assertThat(ActionSummaries.excerpt("HIGH")).isEqualTo("HIGH");
        assertThat(ActionSummaries.excerpt("Call\n  back")).isEqualTo("\"Call back\"");
        assertThat(ActionSummaries.excerpt("a ".repeat(50)))
                .hasSize(ActionSummaries.MAX_EXCERPT + 5)
                .endsWith("...\"");
    }

    @Test
    void aSecretMembersValueIsNeverShown() {
        assertThat(ActionSummaries.value("password", new JsonString("hunter2"))).isEqualTo("[redacted]");
        JsonObject values = (JsonObject) Json.parse("{\"status\":\"CLOSED\",\"api_key\":\"sk-1\",\"owner\":null}");
        assertThat(ActionSummaries.assignments(values))
                .isEqualTo("status to CLOSED, api_key to [redacted] and owner to empty");
    }

    @Test
    void listsAreJoinedAsASentenceJoinsThem() {
        assertThat(ActionSummaries.list(List.of())).isEmpty();
        assertThat(ActionSummaries.list(List.of("a"))).isEqualTo("a");
        assertThat(ActionSummaries.list(List.of("a", "b", "c"))).isEqualTo("a, b and c");
    }
}
