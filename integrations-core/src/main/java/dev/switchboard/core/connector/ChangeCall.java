package dev.switchboard.core.connector;

import java.util.Map;
import java.util.Objects;

/**
 * What core asks a connector that pushes a stream's changes ({@link StreamDescriptor#pushesChanges()})
 * to follow.
 *
 * @param stream the stream, with the connection's contract as its schema
 * @param resumeAfter the positions acknowledged last time, per partition; empty to start from the
 *     beginning (or, for a source that cannot replay its history, from now: say which in the
 *     connector's documentation)
 * @param credentials the connection's credential, for a connector that applies it itself
 */
public record ChangeCall(StreamDescriptor stream, Map<String, Position> resumeAfter, CallCredentials credentials) {
    public ChangeCall {
        Objects.requireNonNull(stream, "stream");
        resumeAfter = Map.copyOf(resumeAfter);
        Objects.requireNonNull(credentials, "credentials");
    }
}
