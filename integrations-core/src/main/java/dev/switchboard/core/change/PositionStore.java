package dev.switchboard.core.change;

import java.util.Optional;

/**
 * Where change feeds keep each subscriber's position per stream: the checkpoint value
 * ({@code Checkpoint.value()}) of a polled stream, or a pushing connector's own position, as an opaque
 * string. A feed saves a position only after its listener returned for every event before it, so
 * after a crash only unacknowledged events repeat. Implementations are thread-safe and each call is
 * atomic; {@code dev.switchboard.testkit.PositionStoreContract} is the suite every implementation
 * passes. In memory by default; {@code JdbcPositionStore} keeps positions across restarts and shares
 * them between instances.
 */
public interface PositionStore {
    /** The position saved for this subscriber, connection and stream, if any. */
    Optional<String> load(String subscriber, String connection, String stream);

    /** Saves (replaces) the position. */
    void save(String subscriber, String connection, String stream, String position);

    /** Forgets the position: the subscriber's next feed of this stream starts from the beginning. */
    void delete(String subscriber, String connection, String stream);

    /** Positions in this JVM's memory: a restart starts every feed from the beginning. */
    static PositionStore inMemory() {
        return new InMemoryPositionStore();
    }
}
