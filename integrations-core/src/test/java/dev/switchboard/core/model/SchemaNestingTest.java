package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fields that promise what is inside an object or array: building, checking, widening and the contract file. */
class SchemaNestingTest {
    private static final Schema ADDRESS = Schema.builder()
            .required("city", FieldType.STRING)
            .optional("zip", FieldType.STRING)
            .build();
    private static final Schema ORDER = Schema.builder()
            .required("id", FieldType.STRING)
            .requiredObject("address", ADDRESS)
            .requiredArray(
                    "lines",
                    Schema.Field.element(Schema.builder()
                            .required("sku", FieldType.STRING)
                            .required("qty", FieldType.INTEGER)
                            .build()))
            .optionalArray("tags", Schema.Field.element(FieldType.STRING).withValues(List.of("red", "blue")))
            .build();

    private static JsonObject obj(String json) {
        return (JsonObject) Json.parse(json);
    }

    @Test
    void theExistingConstructorsGiveFieldsWithoutNesting() {
        Schema.Field four = new Schema.Field("a", FieldType.OBJECT, true, false);
        Schema.Field five = new Schema.Field("a", FieldType.OBJECT, true, false, Set.of());

        assertThat(four).isEqualTo(five);
        assertThat(four.properties()).isNull();
        assertThat(four.items()).isNull();
        assertThat(new Schema.Field("t", FieldType.ARRAY, true, false)
                        .withValues(List.of("x"))
                        .items())
                .isNull();
    }

    @Test
    void anElementIsNamedAndPresentAlikeWhateverItWasGiven() {
        Schema.Field given = new Schema.Field("whatever", FieldType.STRING, true, false);
        Schema.Field tags = new Schema.Field("tags", FieldType.ARRAY, true, false).withItems(given);

        assertThat(tags.items()).isEqualTo(new Schema.Field("[]", FieldType.STRING, true, true));
        assertThat(tags)
                .isEqualTo(new Schema.Field("tags", FieldType.ARRAY, true, false)
                        .withItems(new Schema.Field("other", FieldType.STRING, true, true)));
        assertThat(Schema.Field.element(FieldType.NUMBER))
                .isEqualTo(new Schema.Field("[]", FieldType.NUMBER, false, true));
        // withValues keeps what the field promises inside
        assertThat(tags.withValues(List.of("a")).items()).isEqualTo(tags.items());
    }

    @Test
    void onlyAnObjectHasPropertiesAndOnlyAnArrayHasItems() {
        assertThatThrownBy(() -> new Schema.Field("a", FieldType.STRING, true, false).withProperties(ADDRESS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'a' is STRING; only an OBJECT field has properties");
        assertThatThrownBy(() -> new Schema.Field("a", FieldType.OBJECT, true, false)
                        .withItems(Schema.Field.element(FieldType.STRING)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'a' is OBJECT; only an ARRAY field has items");
        assertThatThrownBy(() -> Schema.builder()
                        .optionalArray(
                                "a", Schema.Field.element(FieldType.STRING).withProperties(ADDRESS)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checkReportsDriftInsideByPath() {
        JsonObject record = obj("""
                {"id": "1",
                 "address": {"zip": 69001, "floor": 2},
                 "lines": [{"sku": "A", "qty": 1}, {"qty": 1.5}, {"qty": 2.5}, null, "x"],
                 "tags": ["red", "green", "green", null]}""");

        assertThat(ORDER.check(record))
                .containsExactly(
                        new Drift("address.city", Drift.Kind.MISSING, "STRING", null),
                        new Drift("address.zip", Drift.Kind.TYPE_CHANGED, "STRING?", "INTEGER"),
                        new Drift("address.floor", Drift.Kind.ADDED, null, "INTEGER"),
                        // the same drift in two elements is one drift
                        new Drift("lines[].sku", Drift.Kind.MISSING, "STRING", null),
                        new Drift("lines[].qty", Drift.Kind.TYPE_CHANGED, "INTEGER", "NUMBER"),
                        new Drift("lines[]", Drift.Kind.NOW_NULLABLE, "OBJECT", "null"),
                        new Drift("lines[]", Drift.Kind.TYPE_CHANGED, "OBJECT", "STRING"),
                        new Drift("tags[]", Drift.Kind.UNKNOWN_VALUE, "one of [red, blue]", "green"),
                        new Drift("tags[]", Drift.Kind.NOW_NULLABLE, "STRING", "null"));
        assertThat(ORDER.check(obj("""
                        {"id": "1", "address": {"city": "Lyon"}, "lines": [{"sku": "A", "qty": 1}], "tags": []}"""))).isEmpty();
    }

    @Test
    void aContractWithoutNestingDoesNotLookInside() {
        Schema flat = Schema.builder()
                .required("address", FieldType.OBJECT)
                .required("lines", FieldType.ARRAY)
                .build();

        assertThat(flat.check(obj("{\"address\": {\"city\": 5}, \"lines\": [null, {\"a\": []}], \"x\": 1}")))
                .containsExactly(new Drift("x", Drift.Kind.ADDED, null, "INTEGER"));
        assertThat(flat.check(obj("{\"address\": [], \"lines\": {}}")))
                .containsExactly(
                        new Drift("address", Drift.Kind.TYPE_CHANGED, "OBJECT", "ARRAY"),
                        new Drift("lines", Drift.Kind.TYPE_CHANGED, "ARRAY", "OBJECT"));
    }

    @Test
    void observeStaysFlat() {
        Schema observed =
                Schema.observe(List.of(obj("{\"address\": {\"city\": \"Lyon\"}, \"lines\": [{\"sku\": \"A\"}]}")));

        assertThat(observed.field("address").orElseThrow())
                .isEqualTo(new Schema.Field("address", FieldType.OBJECT, false, true));
        assertThat(observed.field("lines").orElseThrow())
                .isEqualTo(new Schema.Field("lines", FieldType.ARRAY, false, true));
    }

    @Test
    void widenWidensInsideAndDropsWhatARetypedFieldPromised() {
        List<JsonObject> records =
                List.of(obj("""
                        {"id": "1", "address": {"zip": null, "floor": 2},
                         "lines": [{"sku": "A", "qty": 1.5}, null], "tags": ["green"]}"""), obj("{\"id\": \"2\", \"address\": {\"city\": \"Lyon\"}, \"lines\": \"none\"}"));

        Schema widened = ORDER.widen(records);

        assertThat(widened)
                .isEqualTo(Schema.builder()
                        .required("id", FieldType.STRING)
                        .requiredObject(
                                "address",
                                Schema.builder()
                                        .add(new Schema.Field("city", FieldType.STRING, false, false))
                                        .optional("zip", FieldType.STRING)
                                        .add(new Schema.Field("floor", FieldType.INTEGER, true, false))
                                        .build())
                        // an array for one record, a string for the other: retyped as observe() types it
                        .add(new Schema.Field("lines", FieldType.ANY, false, true))
                        .optionalArray(
                                "tags",
                                Schema.Field.element(FieldType.STRING).withValues(List.of("red", "blue", "green")))
                        .build());
        records.forEach(r -> assertThat(widened.check(r)).isEmpty());
    }

    @Test
    void theContractFileCarriesNestingAndReadsItBack() {
        JsonObject json = ORDER.toJson();

        assertThat(json).isEqualTo(Json.parse("""
                        {"fields": [
                          {"name": "id", "type": "STRING", "nullable": false, "required": true},
                          {"name": "address", "type": "OBJECT", "nullable": false, "required": true, "fields": [
                            {"name": "city", "type": "STRING", "nullable": false, "required": true},
                            {"name": "zip", "type": "STRING", "nullable": true, "required": false}]},
                          {"name": "lines", "type": "ARRAY", "nullable": false, "required": true,
                           "items": {"type": "OBJECT", "nullable": false, "fields": [
                             {"name": "sku", "type": "STRING", "nullable": false, "required": true},
                             {"name": "qty", "type": "INTEGER", "nullable": false, "required": true}]}},
                          {"name": "tags", "type": "ARRAY", "nullable": true, "required": false,
                           "items": {"type": "STRING", "nullable": false, "values": ["red", "blue"]}}
                        ]}"""));
        assertThat(Schema.fromJson(json)).isEqualTo(ORDER);
        // a hand-written items object may leave nullable out, as a field may
        assertThat(Schema.fromJson(obj(
                        "{\"fields\": [{\"name\": \"t\", \"type\": \"array\", \"items\": {\"type\": \"string\"}}]}")))
                .isEqualTo(Schema.builder()
                        .optionalArray("t", new Schema.Field("[]", FieldType.STRING, true, true))
                        .build());
    }

    @Test
    void nestingErrorsNameTheNestedField() {
        assertThatThrownBy(() -> Schema.fromJson(obj("""
                        {"fields": [{"name": "a", "type": "OBJECT", "fields": [{"name": "b", "type": "money"}]}]}""")))
                .hasMessage("contract: fields[0] ('a'): fields[0] ('b'): \"type\" 'money' is not a type; use one of "
                        + "[STRING, INTEGER, NUMBER, BOOLEAN, TIMESTAMP, DATE, OBJECT, ARRAY, ANY]");
        assertThatThrownBy(() ->
                        Schema.fromJson(obj("{\"fields\": [{\"name\": \"a\", \"type\": \"STRING\", \"fields\": []}]}")))
                .hasMessage("contract: fields[0] ('a'): \"fields\" is for an OBJECT field only, and this one is STRING;"
                        + " drop \"fields\" or make the type OBJECT");
        assertThatThrownBy(() ->
                        Schema.fromJson(obj("{\"fields\": [{\"name\": \"a\", \"type\": \"OBJECT\", \"items\": {}}]}")))
                .hasMessage("contract: fields[0] ('a'): \"items\" is for an ARRAY field only, and this one is OBJECT;"
                        + " drop \"items\" or make the type ARRAY");
        assertThatThrownBy(
                        () -> Schema.fromJson(
                                obj(
                                        "{\"fields\": [{\"name\": \"a\", \"type\": \"ARRAY\", \"items\": {\"type\": \"STRING\", \"name\": \"x\"}}]}")))
                .hasMessage("contract: fields[0] ('a'): items has the unknown key \"name\"; the keys are"
                        + " [type, nullable, values, fields, items]");
        assertThatThrownBy(() -> Schema.fromJson(
                        obj("{\"fields\": [{\"name\": \"a\", \"type\": \"ARRAY\", \"items\": \"STRING\"}]}")))
                .hasMessageStartingWith("contract: fields[0] ('a'): items must be an object");
        assertThatThrownBy(
                        () -> Schema.fromJson(
                                obj(
                                        "{\"fields\": [{\"name\": \"a\", \"type\": \"ARRAY\", \"items\": {\"type\": \"OBJECT\", \"fields\": [{\"name\": \"b\"}]}}]}")))
                .hasMessageStartingWith("contract: fields[0] ('a'): items: fields[0] ('b') needs a \"type\" string");
    }
}
