package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a JSON number reads as a field type, and what the contract check accepts for INTEGER and NUMBER fields. */
class FieldTypeTest {
    @ParameterizedTest
    @CsvSource({
        "7, INTEGER",
        "-7, INTEGER",
        "7.0, INTEGER",
        "7.50, NUMBER",
        "1E+2, INTEGER",
        "1.5E+1, INTEGER",
        "1.25E+1, NUMBER",
        "0.001, NUMBER",
        "12345678901234567890, INTEGER"
    })
    void aNumberIsAnIntegerWhenItHasNoFractionWhateverItsNotation(String json, FieldType expected) {
        assertThat(FieldType.of(Json.parse(json))).isEqualTo(expected);
    }

    @Test
    void anIntegerFieldRefusesAFractionAndANumberFieldTakesEveryNumber() {
        Schema contract = Schema.builder()
                .required("count", FieldType.INTEGER)
                .required("amount", FieldType.NUMBER)
                .build();
        JsonObject whole = (JsonObject) Json.parse("{\"count\": 2.0, \"amount\": 3}");
        JsonObject fraction = (JsonObject) Json.parse("{\"count\": 2.5, \"amount\": 3.25}");

        assertThat(contract.check(whole)).isEmpty();
        assertThat(contract.check(fraction)).singleElement().satisfies(d -> {
            assertThat(d.field()).isEqualTo("count");
            assertThat(d.kind()).isEqualTo(Drift.Kind.TYPE_CHANGED);
            assertThat(d.observed()).isEqualTo("NUMBER");
        });
    }
}
