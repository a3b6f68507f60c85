package dev.switchboard.core;

import dev.switchboard.core.json.JsonObject;
import java.util.Objects;

/**
 * What an action returned.
 *
 * @param connection the connection it ran on
 * @param action the action name
 * @param output the connector's result
 */
public record ActionResult(String connection, String action, JsonObject output) {
    public ActionResult {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(output, "output");
    }
}
