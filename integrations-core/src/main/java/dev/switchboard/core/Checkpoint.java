package dev.switchboard.core;

import dev.switchboard.core.connector.Position;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Where a read stopped, as an opaque, versioned string to persist and pass back in
 * {@link ReadRequest#since}. It covers exactly the records the stream has returned (and those it
 * filtered out or quarantined before them): per partition (one per Slack channel, per table, per
 * HubSpot window) the position the connector gave the last of them, never a vendor page token, which
 * would expire. It also holds a digest of the request's filter: a read with another filter refuses it,
 * since its positions say nothing about the records that filter selects.
 *
 * <p>Its size is bounded by the number of partitions, whatever the read re-delivered from a
 * look-back overlap. The current format is {@code v2.}; checkpoints stored in the {@code v1.} format
 * (one cursor position, no filter digest) still parse, and resume under any filter as they did.
 */
public final class Checkpoint {
    private static final String V1 = "v1.";
    private static final String V2 = "v2.";

    private final String stream;
    private final @Nullable String filterDigest;
    private final Map<String, Position> positions;

    /**
     * Keeps {@code sortedPositions} as it is (a read advances one position per record, so no copy is made
     * here): an unmodifiable, sorted map no one else can change.
     */
    private Checkpoint(String stream, @Nullable String filterDigest, Map<String, Position> sortedPositions) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.filterDigest = filterDigest;
        this.positions = sortedPositions;
    }

    /** The start of a stream: nothing read yet, under any filter. */
    public static Checkpoint start(String stream) {
        return new Checkpoint(stream, null, Map.of());
    }

    /** The start of a stream read with the filter of this digest ({@link #filterDigest(Map)}). */
    public static Checkpoint start(String stream, String filterDigest) {
        return new Checkpoint(stream, Objects.requireNonNull(filterDigest, "filterDigest"), Map.of());
    }

    /** After one position of a stream (under any filter). */
    public static Checkpoint at(String stream, Position position) {
        return start(stream).with(position);
    }

    /**
     * The digest a checkpoint keeps of a read's filter: the first 16 hex digits of the canonical SHA-256
     * of the filter as a JSON object ({@code Json.canonicalDigest}).
     */
    public static String filterDigest(Map<String, String> filter) {
        // Most reads have no filter: its digest is computed once (a SHA-256 per read showed in profiles).
        return filter.isEmpty() ? NO_FILTER : digestOf(filter);
    }

    private static final String NO_FILTER = digestOf(Map.of());

    private static String digestOf(Map<String, String> filter) {
        return Json.canonicalDigest(Json.objectFrom(filter)).substring(0, 16);
    }

    /**
     * Reads a checkpoint written by {@link #value()}, in this version's format or the {@code v1.} one.
     *
     * @throws IllegalArgumentException if it is not one (unknown version, damaged)
     */
    public static Checkpoint parse(String value) {
        boolean v1 = value.startsWith(V1);
        if (!v1 && !value.startsWith(V2)) {
            throw new IllegalArgumentException(
                    "not a Switchboard checkpoint (expected prefix " + V2 + " or " + V1 + ")");
        }
        try {
            JsonObject o = Json.parseObject(Base64.getUrlDecoder().decode(value.substring(V2.length())));
            String stream = o.string("s");
            if (stream == null) {
                throw new IllegalArgumentException("checkpoint names no stream");
            }
            if (v1) {
                String cursor = o.string("c");
                String id = o.string("i");
                return cursor == null || id == null ? start(stream) : at(stream, Position.of(cursor, id));
            }
            Map<String, Position> positions = new TreeMap<>();
            JsonArray list = o.array("p");
            if (list != null) {
                for (JsonValue entry : list) {
                    if (!(entry instanceof JsonArray p) || p.size() != 3) {
                        throw new IllegalArgumentException("a position is [partition, cursor, id]");
                    }
                    Position position = new Position(text(p, 0), text(p, 1), text(p, 2));
                    if (positions.put(position.partition(), position) != null) {
                        throw new IllegalArgumentException("partition '" + position.partition() + "' appears twice");
                    }
                }
            }
            return new Checkpoint(stream, o.string("f"), Collections.unmodifiableMap(positions));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("damaged checkpoint: " + e.getMessage(), e);
        }
    }

    private static String text(JsonArray array, int i) {
        if (!(array.get(i) instanceof JsonString s)) {
            throw new IllegalArgumentException("a position holds strings");
        }
        return s.value();
    }

    public String stream() {
        return stream;
    }

    /** The digest of the filter the read used, when it says ({@code v1.} checkpoints and {@link #start(String)} do not). */
    public Optional<String> filterDigest() {
        return Optional.ofNullable(filterDigest);
    }

    /** The position reached per partition; empty at the start. */
    public Map<String, Position> positions() {
        return positions;
    }

    /** The position of the stream's only partition ({@link Position#SINGLE}), or empty at its start. */
    public Optional<Position> position() {
        return position(Position.SINGLE);
    }

    /** The position reached in {@code partition}, if any. */
    public Optional<Position> position(String partition) {
        return Optional.ofNullable(positions.get(partition));
    }

    /** This checkpoint with {@code position} reached in its partition. */
    public Checkpoint with(Position position) {
        TreeMap<String, Position> next = new TreeMap<>(positions);
        next.put(position.partition(), position);
        return new Checkpoint(stream, filterDigest, Collections.unmodifiableMap(next));
    }

    /** This checkpoint, marked as taken under the filter of {@code digest}. */
    public Checkpoint withFilterDigest(String digest) {
        return new Checkpoint(stream, digest, positions);
    }

    /** The string to persist (format {@code v2.}). */
    public String value() {
        JsonObject.Builder b = JsonObject.builder().put("s", stream);
        if (filterDigest != null) {
            b.put("f", filterDigest);
        }
        if (!positions.isEmpty()) {
            List<JsonValue> list = new ArrayList<>(positions.size());
            for (Position p : positions.values()) {
                list.add(Json.strings(List.of(p.partition(), p.cursor(), p.id())));
            }
            b.put("p", JsonArray.of(list));
        }
        return V2
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(b.build().toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c
                && stream.equals(c.stream)
                && Objects.equals(filterDigest, c.filterDigest)
                && positions.equals(c.positions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, filterDigest, positions);
    }

    @Override
    public String toString() {
        return value();
    }
}
