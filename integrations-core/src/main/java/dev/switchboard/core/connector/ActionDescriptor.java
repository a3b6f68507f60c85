package dev.switchboard.core.connector;

import dev.switchboard.core.json.JsonObject;
import java.util.Objects;

/**
 * An action a connector can run.
 *
 * @param name the action name, e.g. {@code post_message}
 * @param description what it does, for the agent choosing tools
 * @param inputSchema the JSON Schema (2020-12) its input must satisfy
 * @param effect what it does to the source
 * @param retrySafe whether sending it twice has the same effect as once; when false, a request whose
 *     answer was lost fails with "outcome unknown" instead of being repeated
 */
public record ActionDescriptor(
        String name, String description, JsonObject inputSchema, Effect effect, boolean retrySafe) {
    public ActionDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
        Objects.requireNonNull(effect, "effect");
    }
}
