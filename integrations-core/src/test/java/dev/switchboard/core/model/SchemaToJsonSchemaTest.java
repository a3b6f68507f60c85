package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Schema.toJsonSchema: the document it renders, and what a real 2020-12 validator makes of records against it. */
class SchemaToJsonSchemaTest {
    private static final Schema FLAT = Schema.builder()
            .required("Id", FieldType.STRING)
            .optional("Amount", FieldType.NUMBER)
            .required("Count", FieldType.INTEGER)
            .add(new Schema.Field("Active", FieldType.BOOLEAN, false, false))
            .required("Updated", FieldType.TIMESTAMP)
            .optional("Day", FieldType.DATE)
            .optionalEnum("Rating", List.of("Hot", "Warm", "Cold"))
            .add(new Schema.Field("Stage", FieldType.STRING, false, true, java.util.Set.of("open")))
            .optional("Raw", FieldType.ANY)
            .required("Anything", FieldType.ANY)
            .optional("Meta", FieldType.OBJECT)
            .optional("Tags", FieldType.ARRAY)
            .build();

    private static final Schema ADDRESS = Schema.builder()
            .required("city", FieldType.STRING)
            .optional("zip", FieldType.STRING)
            .build();
    private static final Schema LINE = Schema.builder()
            .required("sku", FieldType.STRING)
            .required("qty", FieldType.INTEGER)
            .build();
    private static final Schema NESTED = Schema.builder()
            .required("id", FieldType.STRING)
            .requiredObject("address", ADDRESS)
            .requiredArray("lines", Schema.Field.element(LINE))
            .optionalArray("tags", Schema.Field.element(FieldType.STRING).withValues(List.of("red", "blue")))
            .optionalArray(
                    "matrix", Schema.Field.element(FieldType.ARRAY).withItems(Schema.Field.element(FieldType.NUMBER)))
            .optionalObject(
                    "owner", Schema.builder().requiredObject("team", ADDRESS).build())
            .build();

    private static JsonObject obj(String json) {
        return (JsonObject) Json.parse(json);
    }

    @Test
    void aFlatContractRendersEachTypeAsJsonSchemaNamesIt() {
        assertThat(FLAT.toJsonSchema()).isEqualTo(Json.parse("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "type": "object",
                 "properties": {
                   "Id": {"type": "string"},
                   "Amount": {"type": ["number", "null"]},
                   "Count": {"type": "integer"},
                   "Active": {"type": "boolean"},
                   "Updated": {"type": "string", "format": "date-time"},
                   "Day": {"type": ["string", "null"], "format": "date"},
                   "Rating": {"type": ["string", "null"], "enum": ["Hot", "Warm", "Cold", null]},
                   "Stage": {"type": "string", "enum": ["open"]},
                   "Raw": {},
                   "Anything": {"not": {"type": "null"}},
                   "Meta": {"type": ["object", "null"]},
                   "Tags": {"type": ["array", "null"]}
                 },
                 "required": ["Id", "Count", "Updated", "Stage", "Anything"]}"""));
        // the contract's field order is kept
        assertThat(FLAT.toJsonSchema().object("properties").names())
                .containsExactly(
                        "Id",
                        "Amount",
                        "Count",
                        "Active",
                        "Updated",
                        "Day",
                        "Rating",
                        "Stage",
                        "Raw",
                        "Anything",
                        "Meta",
                        "Tags");
    }

    @Test
    void nestedObjectsAndArraysRenderTheirOwnProperties() {
        assertThat(NESTED.toJsonSchema()).isEqualTo(Json.parse("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "type": "object",
                 "properties": {
                   "id": {"type": "string"},
                   "address": {"type": "object",
                               "properties": {"city": {"type": "string"}, "zip": {"type": ["string", "null"]}},
                               "required": ["city"]},
                   "lines": {"type": "array",
                             "items": {"type": "object",
                                       "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}},
                                       "required": ["sku", "qty"]}},
                   "tags": {"type": ["array", "null"], "items": {"type": "string", "enum": ["red", "blue"]}},
                   "matrix": {"type": ["array", "null"], "items": {"type": "array", "items": {"type": "number"}}},
                   "owner": {"type": ["object", "null"],
                             "properties": {"team": {"type": "object",
                                                     "properties": {"city": {"type": "string"},
                                                                    "zip": {"type": ["string", "null"]}},
                                                     "required": ["city"]}},
                             "required": ["team"]}
                 },
                 "required": ["id", "address", "lines"]}"""));
        assertThat(Schema.empty().toJsonSchema())
                .isEqualTo(Json.parse("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
                        + " \"type\": \"object\", \"properties\": {}, \"required\": []}"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // every field as promised
                """
                {"Id": "1", "Amount": 2.5, "Count": 3, "Active": true, "Updated": "2026-01-01T00:00:00Z",
                 "Day": "2026-01-01", "Rating": "Hot", "Stage": "open", "Raw": [1], "Anything": {"k": 1},
                 "Meta": {"any": "thing"}, "Tags": [1, "x"]}""",
                // optional fields absent, nullable ones null, an integer spelled 3.0, a field the contract lacks
                """
                {"Id": "1", "Count": 3.0, "Updated": "2026-01-01T00:00:00Z", "Stage": "open", "Amount": null,
                 "Rating": null, "Day": null, "Raw": null, "Anything": false, "Meta": null, "Tags": null,
                 "Added": "fine"}""",
                // an optional non-nullable field absent
                """
                {"Id": "1", "Count": 1, "Updated": "2026-01-01T00:00:00Z", "Stage": "open", "Anything": 0}"""
            })
    void recordsThatKeepAFlatContractValidate(String json) {
        JsonObject record = obj(json);
        assertThat(FLAT.check(record)).noneMatch(Drift::breaking);
        assertThat(new JsonSchemaValidator(FLAT.toJsonSchema()).violations(record))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // a required field missing
                "{\"Count\": 3, \"Updated\": \"2026-01-01T00:00:00Z\", \"Stage\": \"open\", \"Anything\": 1}",
                // a value outside the enum
                "{\"Id\": \"1\", \"Count\": 3, \"Updated\": \"t\", \"Stage\": \"open\", \"Anything\": 1, \"Rating\": \"Lukewarm\"}",
                // null where the field is not nullable
                "{\"Id\": null, \"Count\": 3, \"Updated\": \"t\", \"Stage\": \"open\", \"Anything\": 1}",
                "{\"Id\": \"1\", \"Count\": 3, \"Updated\": \"t\", \"Stage\": \"open\", \"Anything\": null}",
                "{\"Id\": \"1\", \"Count\": 3, \"Updated\": \"t\", \"Stage\": \"open\", \"Anything\": 1, \"Active\": null}",
                // a non-integer for INTEGER
                "{\"Id\": \"1\", \"Count\": 3.5, \"Updated\": \"t\", \"Stage\": \"open\", \"Anything\": 1}",
                // a timestamp that is no string
                "{\"Id\": \"1\", \"Count\": 3, \"Updated\": 1767225600, \"Stage\": \"open\", \"Anything\": 1}",
                // an object for a string, a string for an array
                "{\"Id\": {}, \"Count\": 3, \"Updated\": \"t\", \"Stage\": \"open\", \"Anything\": 1}",
                "{\"Id\": \"1\", \"Count\": 3, \"Updated\": \"t\", \"Stage\": \"open\", \"Anything\": 1, \"Tags\": \"a\"}",
                // an unlisted value in a required non-nullable enum
                "{\"Id\": \"1\", \"Count\": 3, \"Updated\": \"t\", \"Stage\": \"closed\", \"Anything\": 1}"
            })
    void recordsThatBreakAFlatContractFail(String json) {
        JsonObject record = obj(json);
        assertThat(FLAT.check(record)).anyMatch(Drift::breaking);
        assertThat(new JsonSchemaValidator(FLAT.toJsonSchema()).violations(record))
                .isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"""
                {"id": "1", "address": {"city": "Lyon", "zip": "69001"},
                 "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2, "note": "added fields are fine"}],
                 "tags": ["red", "blue"], "matrix": [[1, 2.5], []], "owner": {"team": {"city": "Oslo"}}}""", """
                {"id": "1", "address": {"city": "Lyon", "zip": null, "extra": true}, "lines": [],
                 "tags": null, "owner": null}"""})
    void recordsThatKeepANestedContractValidate(String json) {
        JsonObject record = obj(json);
        assertThat(NESTED.check(record)).noneMatch(Drift::breaking);
        assertThat(new JsonSchemaValidator(NESTED.toJsonSchema()).violations(record))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // wrong nested type
                "{\"id\": \"1\", \"address\": {\"city\": 5}, \"lines\": []}",
                // missing required nested field, in the second element of an array of objects
                "{\"id\": \"1\", \"address\": {\"city\": \"Lyon\"}, \"lines\": [{\"sku\": \"A\", \"qty\": 1}, {\"sku\": \"B\"}]}",
                // a value outside the enum of an array's elements
                "{\"id\": \"1\", \"address\": {\"city\": \"Lyon\"}, \"lines\": [], \"tags\": [\"red\", \"green\"]}",
                // null elements where elements are not nullable
                "{\"id\": \"1\", \"address\": {\"city\": \"Lyon\"}, \"lines\": [null]}",
                // an array of arrays with a string inside
                "{\"id\": \"1\", \"address\": {\"city\": \"Lyon\"}, \"lines\": [], \"matrix\": [[1], [\"2\"]]}",
                // two levels down
                "{\"id\": \"1\", \"address\": {\"city\": \"Lyon\"}, \"lines\": [], \"owner\": {\"team\": {}}}",
                // the nested object itself null or of another type
                "{\"id\": \"1\", \"address\": null, \"lines\": []}",
                "{\"id\": \"1\", \"address\": {\"city\": \"Lyon\"}, \"lines\": {\"sku\": \"A\", \"qty\": 1}}"
            })
    void recordsThatBreakANestedContractFail(String json) {
        JsonObject record = obj(json);
        assertThat(NESTED.check(record)).anyMatch(Drift::breaking);
        assertThat(new JsonSchemaValidator(NESTED.toJsonSchema()).violations(record))
                .isNotEmpty();
    }
}
