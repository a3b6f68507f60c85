package dev.switchboard.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** A record no mapper claims is typed by its stream's contract when the normalizer is given one. */
class GenericEntityTypingTest {
    private static final Normalizer NORMALIZER =
            Normalizer.builder().serviceLoader(false).build();
    private static final Schema CONTRACT = Schema.builder()
            .required("Id", FieldType.STRING)
            .optional("datetime__c", FieldType.TIMESTAMP)
            .optional("date__c", FieldType.DATE)
            .optional("count__c", FieldType.INTEGER)
            .build();

    private static Record record(String json) {
        return Record.builder().stream("DateTestObject__c")
                .id("a01")
                .source(new RecordSource("salesforce", "sf", "DateTestObject__c"))
                .data((JsonObject) Json.parse(json))
                .build();
    }

    @Test
    void timestampsDatesAndIntegersFollowTheContract() {
        Record r = record("""
        {"Id":"a01","datetime__c":"2022-01-01T10:00:00.000+0000","date__c":"2022-01-02","count__c":3,"note":"x","price":2.5}""");

        Entity typed = NORMALIZER.normalize(r, CONTRACT);
        assertThat(typed).isInstanceOf(GenericEntity.class);
        assertThat(typed.custom("datetime__c").orElseThrow().value()).isEqualTo(Instant.parse("2022-01-01T10:00:00Z"));
        assertThat(typed.custom("date__c").orElseThrow().value()).isEqualTo(LocalDate.of(2022, 1, 2));
        assertThat(typed.custom("count__c").orElseThrow().value()).isEqualTo(3L);
        // Fields the contract does not declare keep their JSON type.
        assertThat(typed.custom("note").orElseThrow().value()).isEqualTo("x");
        assertThat(typed.custom("price").orElseThrow().value()).isEqualTo(new BigDecimal("2.5"));
        assertThat(typed.custom("datetime__c").orElseThrow().provenance().sourceField())
                .isEqualTo("datetime__c");
        assertThat(typed.issues()).isEmpty();

        // Without the contract, the timestamp stays the text the source sent.
        assertThat(NORMALIZER.normalize(r).custom("datetime__c").orElseThrow().value())
                .isEqualTo("2022-01-01T10:00:00.000+0000");
    }

    @Test
    void aValueTheContractTypesButThatDoesNotReadIsAnIssueAndKeptRaw() {
        Record r = record("{\"Id\":\"a01\",\"datetime__c\":\"yesterday\"}");

        Entity typed = NORMALIZER.normalize(r, CONTRACT);
        assertThat(typed.custom("datetime__c")).isEmpty();
        assertThat(typed.issues()).extracting(d -> d.field()).containsExactly("datetime__c");
        assertThat(typed.raw().data().get("datetime__c")).isEqualTo(new JsonString("yesterday"));
    }
}
