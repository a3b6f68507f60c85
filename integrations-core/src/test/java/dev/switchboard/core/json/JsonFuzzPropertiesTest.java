package dev.switchboard.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** Whatever bytes arrive, the parser returns a value or throws its one typed error. */
class JsonFuzzPropertiesTest {
    @Property(tries = 2000)
    void arbitraryTextParsesOrFailsTyped(@ForAll @StringLength(max = 200) String text) {
        try {
            JsonValue value = Json.parse(text);
            assertThat(Json.parse(value.toJson())).isEqualTo(value);
        } catch (JsonFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void everyPrefixOfADocumentIsTruncatedOrComplete(@ForAll @StringLength(min = 1, max = 60) String payload) {
        String doc = JsonObject.builder().put("k", payload).put("n", 1).build().toJson();
        for (int cut = 1; cut < doc.length(); cut++) {
            String prefix = doc.substring(0, cut);
            try {
                Json.parse(prefix);
            } catch (JsonFormatException e) {
                assertThat(e.truncated()).as("prefix %s", prefix).isTrue();
            }
        }
    }
}
