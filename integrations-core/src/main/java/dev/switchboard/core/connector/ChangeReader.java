package dev.switchboard.core.connector;

import dev.switchboard.core.change.ChangeEvent;
import java.time.Duration;
import java.util.List;

/**
 * A connector's own change feed for one stream ({@link ConnectorSession#changes}): a database's
 * logical replication, a vendor's event stream. Core calls {@link #poll} in a loop on the
 * subscription's thread, delivers the events in order, stores the last acknowledged event's position
 * for the subscriber, then calls {@link #acknowledge}. Not called concurrently.
 */
public interface ChangeReader extends AutoCloseable {
    /**
     * The next events, waiting at most {@code maxWait} for the first; empty when none came. Each event
     * has its origin {@code PUSH} and, so the feed can resume, a {@link ChangeEvent#position()}: the
     * position after it.
     *
     * @throws InterruptedException when the subscription is closing
     */
    List<ChangeEvent> poll(Duration maxWait) throws InterruptedException;

    /**
     * Every event up to and including {@code position} was delivered and its position stored: the
     * source may release what precedes it (a replication slot's confirmed flush position).
     */
    default void acknowledge(Position position) {}

    @Override
    default void close() {}
}
