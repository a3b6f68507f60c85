package dev.switchboard.core.connector;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.RecordRef;
import java.util.List;
import java.util.Objects;

/**
 * What an action would do, without doing it ({@link ConnectorSession#dryRun}): a description of the
 * change for the person deciding, and the records it would touch.
 *
 * @param wouldChange the change, as JSON (the connector's shape: fields before and after, a message to be posted)
 * @param affected the records it would create, change or delete
 */
public record ActionPreview(JsonObject wouldChange, List<RecordRef> affected) {
    public ActionPreview {
        Objects.requireNonNull(wouldChange, "wouldChange");
        affected = List.copyOf(affected);
    }
}
