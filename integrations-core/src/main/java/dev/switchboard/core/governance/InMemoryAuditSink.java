package dev.switchboard.core.governance;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AuditSink} that keeps every event in memory, in order. For tests and demos. */
public final class InMemoryAuditSink implements AuditSink {
    private final CopyOnWriteArrayList<AuditEvent> events = new CopyOnWriteArrayList<>();

    InMemoryAuditSink() {}

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }

    /** A snapshot of the events so far. */
    public List<AuditEvent> events() {
        return List.copyOf(events);
    }
}
