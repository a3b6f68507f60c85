package dev.switchboard.core.change;

import dev.switchboard.core.error.SwitchboardException;
import java.util.Optional;

/**
 * A running change feed: what {@code Switchboard.subscribe} returns. Close it to stop it; closing
 * waits for an event being delivered to finish, and keeps the positions acknowledged so far.
 */
public interface Subscription extends AutoCloseable {
    /** The request it was made with. */
    ChangeRequest request();

    /**
     * Polls every followed stream now, on the calling thread, and delivers what changed; returns how
     * many events the listener acknowledged. For a subscription polled manually
     * ({@link ChangeRequest.Builder#manual()}) this is the only way events of polled streams arrive;
     * for a scheduled one it runs a poll early (and serializes with the scheduled ones).
     *
     * @throws SwitchboardException when reading a stream failed (the positions stay where they were)
     * @throws IllegalStateException once closed
     */
    int poll();

    /** The failure of the most recent poll or push, if it failed; cleared by the next success. */
    Optional<SwitchboardException> lastFailure();

    /** Whether it is still running. */
    boolean isOpen();

    @Override
    void close();
}
