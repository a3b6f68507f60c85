package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Switchboard's way to its {@link AuditSink}: a sink that throws never turns a finished call into
 * an error (a write that happened must be reported as done), and never fails silently either: every
 * failure is counted ({@code switchboard.audit.failures}) and logged with the event's id and kind.
 */
final class Auditor {
    private static final Logger log = LoggerFactory.getLogger("dev.switchboard.audit");

    private final AuditSink sink;
    private final Counter failures;

    Auditor(AuditSink sink, MeterRegistry meters) {
        this.sink = sink;
        this.failures = Counter.builder("switchboard.audit.failures")
                .description("Audit events the sink failed to record")
                .register(meters);
    }

    /** Records the event; returns false (counted and logged) when the sink failed. */
    boolean record(AuditEvent event) {
        try {
            sink.record(event);
            return true;
        } catch (RuntimeException e) {
            failures.increment();
            log.error(
                    "The audit sink failed to record event {} ({} {} {}/{}): {}",
                    event.id(),
                    event.kind(),
                    event.outcome(),
                    event.connection(),
                    event.operation(),
                    dev.switchboard.core.http.Redaction.message(e.toString()));
            return false;
        }
    }
}
