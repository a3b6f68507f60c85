package dev.switchboard.core.governance;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives an {@link AuditEvent} for every auth, read, write and consent decision. Called on the
 * caller's thread; implementations are thread-safe and should not block for long.
 */
@FunctionalInterface
public interface AuditSink {
    void record(AuditEvent event);

    /** Writes each event as one line to the SLF4J logger {@code dev.switchboard.audit}. */
    static AuditSink logging() {
        Logger log = LoggerFactory.getLogger("dev.switchboard.audit");
        return event -> log.info(
                "{} {} {} {} {}/{} user={} tenant={} session={} trace={} effect={} input={} records={} {}",
                event.id(),
                event.at(),
                event.kind(),
                event.outcome(),
                event.connection(),
                event.operation(),
                event.userId(),
                event.tenantId(),
                event.sessionId(),
                event.traceId(),
                event.effect(),
                event.inputDigest() == null ? "-" : event.inputDigest(),
                event.recordCount(),
                event.detail());
    }

    /** Keeps events in memory, for tests and demos. */
    static InMemoryAuditSink inMemory() {
        return new InMemoryAuditSink();
    }
}
