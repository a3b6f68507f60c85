package dev.switchboard.core.connector;

import dev.switchboard.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An action a connector can run.
 *
 * @param name the action name, e.g. {@code post_message}
 * @param description what it does, written for a model choosing a tool: its effect, what it needs,
 *     what it returns
 * @param inputSchema the JSON Schema (2020-12) its input must satisfy
 * @param effect what it does to the source
 * @param retrySafe whether sending it twice has the same effect as once; when false, a request whose
 *     answer was lost fails with "outcome unknown" instead of being repeated
 * @param outputSchema the JSON Schema (2020-12) of its output, when the connector declares one
 */
public record ActionDescriptor(
        String name,
        String description,
        JsonObject inputSchema,
        Effect effect,
        boolean retrySafe,
        @Nullable JsonObject outputSchema) {
    public ActionDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
        Objects.requireNonNull(effect, "effect");
    }

    /** An action without a declared output schema. */
    public ActionDescriptor(String name, String description, JsonObject inputSchema, Effect effect, boolean retrySafe) {
        this(name, description, inputSchema, effect, retrySafe, null);
    }

    /** The output's JSON Schema, if declared. */
    public Optional<JsonObject> output() {
        return Optional.ofNullable(outputSchema);
    }

    public ActionDescriptor withOutputSchema(JsonObject outputSchema) {
        return new ActionDescriptor(name, description, inputSchema, effect, retrySafe, outputSchema);
    }

    public ActionDescriptor withDescription(String description) {
        return new ActionDescriptor(name, description, inputSchema, effect, retrySafe, outputSchema);
    }
}
