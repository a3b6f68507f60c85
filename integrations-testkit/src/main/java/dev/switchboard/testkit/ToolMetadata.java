package dev.switchboard.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the metadata agent tools are built from, for a connector's tests: a description written for a
 * model on every stream and action, an output schema (JSON Schema 2020-12) on every action, and outputs
 * that keep it. The validator is the one core checks action inputs with, asserting formats too.
 *
 * <pre>{@code
 * assertThat(ToolMetadata.problems(new MyConnector().descriptor())).isEmpty();
 * assertThat(ToolMetadata.outputViolations(descriptor.action("create").orElseThrow(), result.output())).isEmpty();
 * }</pre>
 */
public final class ToolMetadata {
    /** A description with fewer words besides the name's says too little to choose a tool by. */
    public static final int MIN_WORDS = 12;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    /** The 2020-12 meta-schema, bundled with the validator: what a valid output schema keeps. */
    private static final JsonSchema META_SCHEMA = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012), CONFIG);

    private ToolMetadata() {}

    /** One line per stream or action without a description, and per action without a valid output schema. */
    public static List<String> problems(ConnectorDescriptor connector) {
        List<String> problems = new ArrayList<>();
        for (StreamDescriptor stream : connector.streams()) {
            problems.addAll(descriptionProblems("stream " + stream.name(), stream.name(), stream.description()));
        }
        for (ActionDescriptor action : connector.actions()) {
            problems.addAll(descriptionProblems("action " + action.name(), action.name(), action.description()));
            if (action.outputSchema() == null) {
                problems.add("action " + action.name() + " declares no output schema");
            } else {
                violations(META_SCHEMA, action.outputSchema())
                        .forEach(v -> problems.add(
                                "the output schema of action " + action.name() + " is not JSON Schema 2020-12: " + v));
            }
        }
        return problems;
    }

    private static List<String> descriptionProblems(String what, String name, String description) {
        if (description.isBlank()) {
            return List.of(what + " has no description");
        }
        Set<String> nameWords = Set.copyOf(words(name));
        long own =
                words(description).stream().filter(w -> !nameWords.contains(w)).count();
        return own < MIN_WORDS
                ? List.of(what + " has a description of " + own + " words besides its name, fewer than " + MIN_WORDS
                        + ": '" + description + "'")
                : List.of();
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty())
                .collect(Collectors.toList());
    }

    /** Where {@code output} breaks the output schema {@code action} declares; empty when it keeps it. */
    public static List<String> outputViolations(ActionDescriptor action, JsonObject output) {
        if (action.outputSchema() == null) {
            return List.of("action " + action.name() + " declares no output schema");
        }
        return violations(FACTORY.getSchema(node(action.outputSchema()), CONFIG), output);
    }

    private static List<String> violations(JsonSchema schema, JsonObject value) {
        return schema.validate(node(value)).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    private static JsonNode node(JsonObject json) {
        try {
            return MAPPER.readTree(json.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("our own JSON did not parse", e);
        }
    }
}
