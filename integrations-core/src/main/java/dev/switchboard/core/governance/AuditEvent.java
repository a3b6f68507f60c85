package dev.switchboard.core.governance;

import dev.switchboard.core.connector.Effect;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One auditable decision or effect. Holds ids, digests and decisions, never record data or secrets.
 * An event lists at most {@link #MAX_RECORD_IDS} record ids; {@link #recordCount()} says how many
 * records it concerned, so a read of any length is audited in constant memory.
 *
 * @param id a unique id of the event
 * @param at when it happened, by the injected clock
 * @param kind what kind of event
 * @param outcome how it ended
 * @param connection the connection id
 * @param operation the stream or action name
 * @param userId the principal's user id
 * @param tenantId the principal's tenant
 * @param sessionId the agent session, {@code "-"} when there is none (a credential refresh)
 * @param traceId the call's trace id, {@code "-"} when there is none
 * @param effect the action's effect, or {@link Effect#READ}
 * @param inputDigest the canonical digest of an action's input ({@code Json.canonicalDigest}), or null
 * @param recordIds ids of the records delivered or touched: the first {@link #MAX_RECORD_IDS}
 * @param recordCount how many records there were in all (at least {@code recordIds.size()})
 * @param detail a short reason
 */
public record AuditEvent(
        String id,
        Instant at,
        Kind kind,
        Outcome outcome,
        String connection,
        String operation,
        String userId,
        String tenantId,
        String sessionId,
        String traceId,
        Effect effect,
        @Nullable String inputDigest,
        List<String> recordIds,
        long recordCount,
        String detail) {
    /** How many record ids one event lists at most. */
    public static final int MAX_RECORD_IDS = 100;

    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(effect, "effect");
        recordCount = Math.max(recordCount, recordIds.size());
        recordIds = List.copyOf(recordIds.size() > MAX_RECORD_IDS ? recordIds.subList(0, MAX_RECORD_IDS) : recordIds);
        Objects.requireNonNull(detail, "detail");
    }

    /** An event with a fresh id; set the rest on the builder. */
    public static Builder builder(Instant at, Kind kind, Outcome outcome) {
        return new Builder(at, kind, outcome);
    }

    /** Kinds of audited event. */
    public enum Kind {
        /** An access-policy decision. */
        ACCESS,
        /** A read, with the ids delivered. */
        READ,
        /** An action that writes, with the records it touched. */
        WRITE,
        /** A consent decision: the gate's, a person's, or a refused replay. */
        CONSENT,
        /** A credential event: refreshed, refresh failed, reauthorization needed. */
        AUTH,
        /**
         * Schema drift seen by a read: one event per stream, field, kind and shapes per read, with the
         * ids of the records that showed it; the detail names the policy and the action taken.
         */
        DRIFT,
        /** A change feed started or stopped. */
        SUBSCRIBE,
        /** A webhook delivery accepted or refused. */
        WEBHOOK,
        /** Quarantined records listed or released. */
        QUARANTINE
    }

    /** How an audited event ended. */
    public enum Outcome {
        ALLOWED,
        DENIED,
        /** Waiting for a person (consent). */
        PENDING,
        SUCCEEDED,
        FAILED
    }

    /** This JVM's random half of every event id: 60 bits drawn once, with the version 4 bits of a UUID. */
    private static final long ID_PREFIX =
            (new java.security.SecureRandom().nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    /** The other half: a count, so ids of one JVM never repeat by construction. */
    private static final java.util.concurrent.atomic.AtomicLong ID_SEQUENCE =
            new java.util.concurrent.atomic.AtomicLong(
                    new java.security.SecureRandom().nextLong() & 0x0fffffffffffffffL);

    /**
     * A new event id, in the form of a UUID: unique within this JVM by construction and across JVMs by its
     * random prefix, without {@link UUID#randomUUID()}'s lock on the system's secure random source, which
     * every read and write of every thread would otherwise wait on. Ids need to be unique, not secret.
     */
    private static String nextId() {
        long count = ID_SEQUENCE.getAndIncrement() & 0x3fffffffffffffffL;
        return new UUID(ID_PREFIX, count | 0x8000000000000000L).toString();
    }

    /** Builds an {@link AuditEvent}; fields not set are {@code "-"}, empty or null. */
    public static final class Builder {
        private final Instant at;
        private final Kind kind;
        private final Outcome outcome;
        private String id = nextId();
        private String connection = "-";
        private String operation = "-";
        private String userId = "-";
        private String tenantId = "-";
        private String sessionId = "-";
        private String traceId = "-";
        private Effect effect = Effect.READ;
        private @Nullable String inputDigest;
        private List<String> recordIds = List.of();
        private long recordCount;
        private String detail = "";

        private Builder(Instant at, Kind kind, Outcome outcome) {
            this.at = at;
            this.kind = kind;
            this.outcome = outcome;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder connection(String connection) {
            this.connection = connection;
            return this;
        }

        public Builder operation(String operation) {
            this.operation = operation;
            return this;
        }

        public Builder principal(String tenantId, String userId) {
            this.tenantId = tenantId;
            this.userId = userId;
            return this;
        }

        public Builder session(String sessionId, String traceId) {
            this.sessionId = sessionId;
            this.traceId = traceId;
            return this;
        }

        public Builder effect(Effect effect) {
            this.effect = effect;
            return this;
        }

        public Builder inputDigest(@Nullable String inputDigest) {
            this.inputDigest = inputDigest;
            return this;
        }

        /** The record ids (the first {@link #MAX_RECORD_IDS} are kept) and how many there were in all. */
        public Builder records(List<String> ids, long count) {
            this.recordIds = ids;
            this.recordCount = count;
            return this;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(
                    id,
                    at,
                    kind,
                    outcome,
                    connection,
                    operation,
                    userId,
                    tenantId,
                    sessionId,
                    traceId,
                    effect,
                    inputDigest,
                    recordIds,
                    recordCount,
                    detail);
        }
    }
}
