package dev.switchboard.core.internal.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.switchboard.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/** An action's input schema, compiled once (JSON Schema 2020-12). */
final class InputValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final JsonSchema schema;

    /** @throws IllegalArgumentException if the schema itself is not valid JSON Schema */
    InputValidator(JsonObject schema) {
        try {
            this.schema = FACTORY.getSchema(toNode(schema));
            this.schema.initializeValidators();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid JSON Schema: " + e.getMessage(), e);
        }
    }

    /** Every violation, as "path: problem", in a stable order; empty when the input is valid. */
    List<String> violations(JsonObject input) {
        return schema.validate(toNode(input)).stream()
                .sorted(Comparator.comparing(ValidationMessage::getMessage))
                .map(ValidationMessage::getMessage)
                .toList();
    }

    private static JsonNode toNode(JsonObject json) {
        try {
            return MAPPER.readTree(json.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("our own JSON did not parse", e);
        }
    }
}
