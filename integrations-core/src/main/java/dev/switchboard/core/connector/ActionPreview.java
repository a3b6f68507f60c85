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
 * @param summary the change in one sentence (what, where, for whom), as {@link ConnectorSession#summarize}
 *     says it; empty when the connector left it to core, which then fills in the action's summary
 */
public record ActionPreview(JsonObject wouldChange, List<RecordRef> affected, String summary) {
    public ActionPreview {
        Objects.requireNonNull(wouldChange, "wouldChange");
        affected = List.copyOf(affected);
        Objects.requireNonNull(summary, "summary");
    }

    /** A preview without a summary of its own: core fills in the action's ({@link ConnectorSession#summarize}). */
    public ActionPreview(JsonObject wouldChange, List<RecordRef> affected) {
        this(wouldChange, affected, "");
    }

    /** This preview with {@code summary}. */
    public ActionPreview withSummary(String summary) {
        return new ActionPreview(wouldChange, affected, summary);
    }
}
