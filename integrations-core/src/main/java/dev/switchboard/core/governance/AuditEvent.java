package dev.switchboard.core.governance;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One auditable decision or effect. Holds ids, never record data or secrets.
 *
 * @param at when it happened, by the injected clock
 * @param kind what kind of event
 * @param outcome how it ended
 * @param connection the connection id
 * @param operation the stream or action name
 * @param userId the principal's user id
 * @param tenantId the principal's tenant
 * @param traceId the call's trace id
 * @param recordIds ids of the records delivered or touched
 * @param detail a short reason
 */
public record AuditEvent(
        Instant at,
        Kind kind,
        Outcome outcome,
        String connection,
        String operation,
        String userId,
        String tenantId,
        String traceId,
        List<String> recordIds,
        String detail) {
    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(traceId, "traceId");
        recordIds = List.copyOf(recordIds);
        Objects.requireNonNull(detail, "detail");
    }

    /** Kinds of audited event. */
    public enum Kind {
        /** An access-policy decision. */
        ACCESS,
        /** A read, with the ids delivered. */
        READ,
        /** An action that writes. */
        WRITE,
        /** A consent decision. */
        CONSENT,
        /** A credential event: refresh failed, reauthorization needed. */
        AUTH,
        /**
         * Schema drift seen by a read: one event per stream, field, kind and shapes per read, with the
         * ids of the records that showed it; the detail names the policy and the action taken.
         */
        DRIFT
    }

    /** How an audited event ended. */
    public enum Outcome {
        ALLOWED,
        DENIED,
        SUCCEEDED,
        FAILED
    }
}
