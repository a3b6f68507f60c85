package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {
    private final Schema contract = Schema.builder()
            .required("id", FieldType.STRING)
            .required("amount", FieldType.NUMBER)
            .required("updated_at", FieldType.TIMESTAMP)
            .optional("note", FieldType.STRING)
            .build();

    private static JsonObject obj(String json) {
        return (JsonObject) Json.parse(json);
    }

    @Test
    void matchingDataShowsNoDrift() {
        Schema observed = Schema.observe(List.of(
                obj("{\"id\":\"1\",\"amount\":10,\"updated_at\":\"2026-01-01T00:00:00Z\",\"note\":\"x\"}"),
                obj("{\"id\":\"2\",\"amount\":10.5,\"updated_at\":\"2026-01-01T00:00:00Z\",\"note\":null}")));
        assertThat(contract.diff(observed).isEmpty()).isTrue();
    }

    @Test
    void eachKindOfDriftIsClassified() {
        Schema observed = Schema.observe(List.of(
                obj("{\"id\":1,\"amount\":null,\"note\":\"x\",\"tier\":\"gold\"}"),
                obj("{\"id\":2,\"amount\":3,\"note\":\"y\",\"tier\":\"gold\"}")));

        SchemaDiff diff = contract.diff(observed);

        assertThat(diff.drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("id", Drift.Kind.TYPE_CHANGED),
                        org.assertj.core.groups.Tuple.tuple("amount", Drift.Kind.NOW_NULLABLE),
                        org.assertj.core.groups.Tuple.tuple("updated_at", Drift.Kind.REMOVED),
                        org.assertj.core.groups.Tuple.tuple("tier", Drift.Kind.ADDED));
        assertThat(diff.hasBreaking()).isTrue();
        assertThat(diff.additive()).extracting(Drift::field).containsExactly("tier");
        assertThat(diff.breaking()).hasSize(3);
    }

    @Test
    void anOptionalFieldAbsentFromEverySampleIsNotDrift() {
        Schema observed =
                Schema.observe(List.of(obj("{\"id\":\"1\",\"amount\":1,\"updated_at\":\"2026-01-01T00:00:00Z\"}")));
        assertThat(contract.diff(observed).isEmpty()).isTrue();
    }

    @Test
    void observationInfersTypesNullabilityAndPresence() {
        Schema observed = Schema.observe(List.of(obj("{\"a\":1,\"b\":\"x\",\"c\":[1]}"), obj("{\"a\":1.5,\"b\":2}")));
        assertThat(observed.field("a").orElseThrow()).isEqualTo(new Schema.Field("a", FieldType.NUMBER, false, true));
        assertThat(observed.field("b").orElseThrow().type()).isEqualTo(FieldType.ANY);
        assertThat(observed.field("c").orElseThrow()).isEqualTo(new Schema.Field("c", FieldType.ARRAY, true, false));
    }

    @Test
    void duplicateFieldsAreRejected() {
        assertThatThrownBy(
                        () -> Schema.builder().required("a", FieldType.STRING).optional("a", FieldType.STRING))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withAppendsNewFieldsAndReplacesSameNamedOnesInPlace() {
        Schema declared = Schema.builder()
                .required("Id", FieldType.STRING)
                .optional("Amount", FieldType.NUMBER)
                .build();

        Schema pinned = declared.with(
                new Schema.Field("Customer_Tier__c", FieldType.STRING, true, false),
                new Schema.Field("Amount", FieldType.NUMBER, false, true));

        assertThat(pinned.fields()).extracting(Schema.Field::name).containsExactly("Id", "Amount", "Customer_Tier__c");
        assertThat(pinned.field("Amount").orElseThrow().required()).isTrue();
        assertThat(declared.fields()).hasSize(2);
        assertThat(declared.field("Amount").orElseThrow().required()).isFalse();
    }
}
