package dev.switchboard.core.connector;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.RecordRef;
import java.util.List;
import java.util.Objects;

/**
 * What a connector's action returned: its output for the caller, and the records it created, changed
 * or deleted. Core reports each affected record as a change event (origin {@code WRITE}) to the
 * subscribers of the connection and to the read cache, lists them in the action's audit event, and
 * hands them to the caller in {@code ActionResult.affected()}: a cache or memory never serves a record
 * the agent itself just changed. Name every record the action touched that a stream of this connector
 * holds; none for an action that changes nothing.
 *
 * @param output the result, as JSON
 * @param affected the records touched, each in a stream of this connector
 */
public record ActionOutput(JsonObject output, List<RecordRef> affected) {
    public ActionOutput {
        Objects.requireNonNull(output, "output");
        affected = List.copyOf(affected);
    }

    /** An output that touched no record. */
    public static ActionOutput of(JsonObject output) {
        return new ActionOutput(output, List.of());
    }

    /** An output that touched these records. */
    public static ActionOutput of(JsonObject output, RecordRef... affected) {
        return new ActionOutput(output, List.of(affected));
    }
}
