package dev.switchboard.core.audit;

import java.time.Duration;
import java.util.Objects;

/**
 * How a Switchboard built with {@code auditBuffered(...)} hands events to its sink: through a bounded queue that
 * one thread drains, so a slow sink does not slow each call. When the queue is full a caller blocks for at most
 * {@code maxBlock} (back-pressure); an event that still finds no room is not recorded, and that is counted
 * ({@code switchboard.audit.dropped}) and logged at ERROR with the event's id; a sink that fails is counted
 * ({@code switchboard.audit.failures}) and logged as without a buffer. No event is lost silently.
 *
 * @param capacity how many events wait at most, at least 1
 * @param maxBlock how long a caller waits for room, zero or more
 */
public record AuditBuffer(int capacity, Duration maxBlock) {
    public AuditBuffer {
        if (capacity < 1) {
            throw new IllegalArgumentException("an audit buffer holds at least 1 event, not " + capacity);
        }
        Objects.requireNonNull(maxBlock, "maxBlock");
        if (maxBlock.isNegative()) {
            throw new IllegalArgumentException("maxBlock is zero or more, not " + maxBlock);
        }
    }
}
