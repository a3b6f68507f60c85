package dev.switchboard.core;

import java.util.Objects;
import java.util.UUID;

/**
 * Who is asking, passed explicitly on every call. Tool arguments can never override it: it comes
 * from the application's own authentication, not from the model.
 *
 * @param principal the user the agent acts for
 * @param sessionId the agent session, for audit
 * @param traceId the trace id, put in logs (MDC) and audit events
 */
public record AgentContext(Principal principal, String sessionId, String traceId) {
    public AgentContext {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(traceId, "traceId");
    }

    /** A context with a fresh session and trace id. */
    public static AgentContext of(Principal principal) {
        String id = UUID.randomUUID().toString();
        return new AgentContext(principal, id, id.replace("-", ""));
    }

    public AgentContext withTraceId(String traceId) {
        return new AgentContext(principal, sessionId, traceId);
    }
}
