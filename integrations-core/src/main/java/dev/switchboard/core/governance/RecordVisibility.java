package dev.switchboard.core.governance;

import dev.switchboard.core.AgentContext;

/**
 * Whether a record is visible to a principal, for a {@link PermissionPolicy} argument rule that lets an
 * action run only on records the principal may see ({@link PermissionPolicy.Argument#visibleIn}).
 *
 * <p>Core cannot answer this itself: {@code authorize} is asked before any request is sent, and the record
 * an action's input names has not been read. The application (or a connector) supplies the answer, for
 * example from its own index of record ACLs, or by reading the record through the Switchboard as that
 * principal (the row rule then decides). Implementations are thread-safe and quick; an exception counts as
 * "not visible" (the action is denied).
 */
@FunctionalInterface
public interface RecordVisibility {
    /**
     * @param context who asks
     * @param connection the connection id of the action
     * @param stream the stream the record belongs to, as the rule names it
     * @param id the record's id, taken from the action's input
     * @return whether the principal may see that record
     */
    boolean visible(AgentContext context, String connection, String stream, String id);
}
