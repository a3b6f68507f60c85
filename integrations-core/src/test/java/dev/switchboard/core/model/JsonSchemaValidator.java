package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.switchboard.core.json.JsonValue;
import java.util.List;

/** A real JSON Schema 2020-12 validator (networknt), to judge what Schema.toJsonSchema renders. */
final class JsonSchemaValidator {
    // Decimals as BigDecimal, so that 2.50 stays a non-integer and 1.0 an integer as JSON Schema defines them.
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final JsonSchema META_SCHEMA =
            FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private final JsonSchema schema;

    /** Compiles {@code schema}, which must itself be valid against the 2020-12 meta-schema. */
    JsonSchemaValidator(JsonValue schema) {
        List<String> invalid = messages(META_SCHEMA, schema);
        if (!invalid.isEmpty()) {
            throw new AssertionError("not a valid 2020-12 schema: " + invalid + " in " + schema);
        }
        this.schema = FACTORY.getSchema(node(schema));
    }

    /** What the validator finds wrong with {@code instance}; empty when it is valid. */
    List<String> violations(JsonValue instance) {
        return messages(schema, instance);
    }

    private static List<String> messages(JsonSchema schema, JsonValue instance) {
        return schema.validate(node(instance)).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    private static JsonNode node(JsonValue value) {
        try {
            return MAPPER.readTree(value.toJson());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
