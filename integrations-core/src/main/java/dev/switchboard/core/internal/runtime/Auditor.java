package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.audit.AuditBuffer;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Switchboard's way to its {@link AuditSink}: a sink that throws never turns a finished call into
 * an error (a write that happened must be reported as done), and never fails silently either: every
 * failure is counted ({@code switchboard.audit.failures}) and logged with the event's id and kind.
 *
 * <p>With an {@link AuditBuffer}, events go through a bounded queue that one daemon thread drains into the sink;
 * a caller finding the queue full waits up to the buffer's bound, then the event is counted as dropped
 * ({@code switchboard.audit.dropped}) and logged. {@link #close()} records what is still queued.
 */
final class Auditor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("dev.switchboard.audit");
    /** Tells the drain thread to stop, after what was queued before it. */
    private static final AuditEvent STOP = AuditEvent.builder(
                    java.time.Instant.EPOCH, AuditEvent.Kind.ACCESS, AuditEvent.Outcome.ALLOWED)
            .id("stop")
            .build();

    private final AuditSink sink;
    private final Counter failures;
    private final Counter dropped;
    private final java.time.Duration maxBlock;
    private final @Nullable BlockingQueue<AuditEvent> queue;
    private final @Nullable Thread drain;
    private volatile boolean closed;

    Auditor(AuditSink sink, MeterRegistry meters) {
        this(sink, meters, null);
    }

    Auditor(AuditSink sink, MeterRegistry meters, @Nullable AuditBuffer buffer) {
        this.sink = sink;
        this.maxBlock = buffer == null ? java.time.Duration.ZERO : buffer.maxBlock();
        this.failures = Counter.builder("switchboard.audit.failures")
                .description("Audit events the sink failed to record")
                .register(meters);
        this.dropped = Counter.builder("switchboard.audit.dropped")
                .description("Audit events not recorded because the audit buffer stayed full")
                .register(meters);
        if (buffer != null) {
            BlockingQueue<AuditEvent> q = new ArrayBlockingQueue<>(buffer.capacity());
            this.queue = q;
            Gauge.builder("switchboard.audit.buffered", q, BlockingQueue::size)
                    .description("Audit events waiting in the buffer")
                    .register(meters);
            Thread t = new Thread(() -> drain(q), "switchboard-audit");
            t.setDaemon(true);
            t.start();
            this.drain = t;
        } else {
            this.queue = null;
            this.drain = null;
        }
    }

    /**
     * Records the event, or queues it when buffered; returns false (counted and logged) when the sink failed,
     * or the buffer stayed full.
     */
    boolean record(AuditEvent event) {
        BlockingQueue<AuditEvent> q = queue;
        if (q == null || closed) {
            return recordNow(event);
        }
        boolean queued;
        try {
            queued = q.offer(event, maxBlock.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued) {
            dropped.increment();
            log.error(
                    "The audit buffer stayed full for {}: event {} ({} {} {}/{}) was not recorded",
                    maxBlock,
                    event.id(),
                    event.kind(),
                    event.outcome(),
                    event.connection(),
                    event.operation());
        }
        return queued;
    }

    private boolean recordNow(AuditEvent event) {
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

    private void drain(BlockingQueue<AuditEvent> q) {
        while (true) {
            AuditEvent event;
            try {
                event = q.take();
            } catch (InterruptedException e) {
                return;
            }
            if (event == STOP) {
                return;
            }
            recordNow(event);
        }
    }

    /** Stops buffering and records what is queued, then returns; later events are recorded on the caller's thread. */
    @Override
    public void close() {
        BlockingQueue<AuditEvent> q = queue;
        Thread t = drain;
        if (q == null || t == null || closed) {
            return;
        }
        closed = true;
        try {
            q.put(STOP);
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
