package dev.switchboard.core;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.RecordRef;
import java.util.List;
import java.util.Objects;

/**
 * What an action returned.
 *
 * @param connection the connection it ran on
 * @param action the action name
 * @param output the connector's result
 * @param affected the records it created, changed or deleted (already reported to change feeds and
 *     the read cache)
 */
public record ActionResult(String connection, String action, JsonObject output, List<RecordRef> affected) {
    public ActionResult {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(output, "output");
        affected = List.copyOf(affected);
    }

    /** A result that touched no record. */
    public ActionResult(String connection, String action, JsonObject output) {
        this(connection, action, output, List.of());
    }
}
