package dev.switchboard.core;

import dev.switchboard.core.connector.CursorPosition;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a read stopped, as an opaque, versioned string to persist and pass back in
 * {@link ReadRequest#since}. It covers exactly the records the stream has returned (and those it
 * filtered out or quarantined before them): the cursor value and id of the last one, never a vendor
 * page token, which would expire.
 */
public final class Checkpoint {
    private static final String PREFIX = "v1.";

    private final String stream;
    private final @Nullable CursorPosition position;

    private Checkpoint(String stream, @Nullable CursorPosition position) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.position = position;
    }

    /** The start of a stream: nothing read yet. */
    public static Checkpoint start(String stream) {
        return new Checkpoint(stream, null);
    }

    public static Checkpoint at(String stream, CursorPosition position) {
        return new Checkpoint(stream, Objects.requireNonNull(position));
    }

    /**
     * Reads a checkpoint written by {@link #value()}.
     *
     * @throws IllegalArgumentException if it is not one (wrong version, damaged)
     */
    public static Checkpoint parse(String value) {
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a Switchboard checkpoint (expected prefix " + PREFIX + ")");
        }
        try {
            JsonObject o = Json.parseObject(Base64.getUrlDecoder().decode(value.substring(PREFIX.length())));
            String stream = o.string("s");
            if (stream == null) {
                throw new IllegalArgumentException("checkpoint names no stream");
            }
            String cursor = o.string("c");
            String id = o.string("i");
            return new Checkpoint(stream, cursor == null || id == null ? null : new CursorPosition(cursor, id));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("damaged checkpoint: " + e.getMessage(), e);
        }
    }

    public String stream() {
        return stream;
    }

    /** The last record covered, or empty at the start. */
    public Optional<CursorPosition> position() {
        return Optional.ofNullable(position);
    }

    /** The string to persist. */
    public String value() {
        JsonObject.Builder b = JsonObject.builder().put("s", stream);
        if (position != null) {
            b.put("c", position.cursor()).put("i", position.id());
        }
        return PREFIX
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(b.build().toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && stream.equals(c.stream) && Objects.equals(position, c.position);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, position);
    }

    @Override
    public String toString() {
        return value();
    }
}
