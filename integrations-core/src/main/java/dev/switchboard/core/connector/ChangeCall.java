package dev.switchboard.core.connector;

import java.util.Map;
import java.util.Objects;

/**
 * What core asks a connector that pushes a stream's changes ({@link StreamDescriptor#pushesChanges()})
 * to follow.
 *
 * @param stream the stream, with the connection's contract as its schema
 * @param subscriber the subscriber the events are for ({@code ChangeRequest.subscriber()}); a source that keeps a
 *     cursor of its own per consumer (a database's replication slot) keys it by connection, stream and subscriber,
 *     so each subscriber's acknowledgements move only its own cursor
 * @param resumeAfter the positions acknowledged last time, per partition; empty to start from the
 *     beginning (or, for a source that cannot replay its history, from now: say which in the
 *     connector's documentation)
 * @param credentials the connection's credential, for a connector that applies it itself
 */
public record ChangeCall(
        StreamDescriptor stream, String subscriber, Map<String, Position> resumeAfter, CallCredentials credentials) {
    public ChangeCall {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(subscriber, "subscriber");
        resumeAfter = Map.copyOf(resumeAfter);
        Objects.requireNonNull(credentials, "credentials");
    }
}
