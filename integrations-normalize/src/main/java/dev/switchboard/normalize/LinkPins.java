package dev.switchboard.normalize;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where an application keeps its {@linkplain LinkPin pins}, so that every build of an {@link EntityGraph}
 * ({@link EntityGraph.Builder#pins}) honours them. At most one pin per pair: pinning a pair again replaces
 * its pin. Implementations are thread-safe.
 */
public interface LinkPins {
    /** Every pin, in the order first pinned. */
    List<LinkPin> all();

    /** Keeps {@code pin}, replacing an earlier pin of the same pair; durable when this returns. */
    void pin(LinkPin pin);

    /** Removes the pin of the pair, if any; whether there was one. */
    boolean unpin(EntityRef a, EntityRef b);

    /** Pins held in memory, lost with the process: for tests and for graphs rebuilt from a list. */
    static LinkPins inMemory() {
        return new InMemoryLinkPins();
    }

    /**
     * Pins in a JSON-lines file (created on the first pin), rewritten whole through a temporary file and an
     * atomic move on each change, so a crash leaves either the old pins or the new ones.
     *
     * @throws UncheckedIOException when the file exists and cannot be read
     * @throws IllegalArgumentException when a line is not a pin, naming the file and line
     */
    static LinkPins file(Path file) {
        return new FileLinkPins(file);
    }
}

/** The in-memory store; also the state the file store writes out. */
class InMemoryLinkPins implements LinkPins {
    final Map<String, LinkPin> pins = new LinkedHashMap<>();

    InMemoryLinkPins() {}

    @Override
    public synchronized List<LinkPin> all() {
        return List.copyOf(pins.values());
    }

    @Override
    public synchronized void pin(LinkPin pin) {
        Objects.requireNonNull(pin, "pin");
        pins.put(pin.pairKey(), pin);
    }

    @Override
    public synchronized boolean unpin(EntityRef a, EntityRef b) {
        return pins.remove(LinkPin.same(a, b).pairKey()) != null;
    }

    @Override
    public synchronized String toString() {
        return getClass().getSimpleName() + "[" + pins.size() + " pins]";
    }
}

/** {@link #file(Path)}. */
final class FileLinkPins extends InMemoryLinkPins {
    private final Path file;

    FileLinkPins(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        if (Files.exists(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the link pins in " + file, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    LinkPin p = parse(lines.get(i), file, i + 1);
                    pins.put(p.pairKey(), p);
                }
            }
        }
    }

    @Override
    public synchronized void pin(LinkPin pin) {
        super.pin(pin);
        write();
    }

    @Override
    public synchronized boolean unpin(EntityRef a, EntityRef b) {
        boolean removed = super.unpin(a, b);
        if (removed) {
            write();
        }
        return removed;
    }

    private void write() {
        StringBuilder out = new StringBuilder();
        for (LinkPin p : pins.values()) {
            out.append(Json.write(json(p))).append('\n');
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the link pins to " + file, e);
        }
    }

    /** A pin as the file keeps it, one per line; also a graph store's pin row. */
    static JsonObject json(LinkPin p) {
        return JsonObject.builder()
                .put("a", ref(p.a()))
                .put("b", ref(p.b()))
                .put("same", Json.from(p.same()))
                .build();
    }

    /** The pin {@link #json} wrote. */
    static LinkPin pin(JsonObject o) {
        return new LinkPin(
                ref(Objects.requireNonNull(o.object("a"), "a")),
                ref(Objects.requireNonNull(o.object("b"), "b")),
                Objects.requireNonNull(o.bool("same"), "same"));
    }

    static JsonObject ref(EntityRef r) {
        return JsonObject.builder()
                .put("type", r.type().name())
                .put("connector", r.connector())
                .put("connection", r.connection())
                .put("object", r.object())
                .put("id", r.id())
                .build();
    }

    private static LinkPin parse(String line, Path file, int number) {
        try {
            return pin((JsonObject) Json.parse(line));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    file + " line " + number + " is not a link pin (" + e.getMessage()
                            + "): fix or remove the line; each line is {\"a\":{ref},\"b\":{ref},\"same\":true|false}",
                    e);
        }
    }

    static EntityRef ref(JsonObject o) {
        return new EntityRef(
                EntityType.valueOf(Objects.requireNonNull(o.string("type"), "type")),
                Objects.requireNonNull(o.string("connector"), "connector"),
                Objects.requireNonNull(o.string("connection"), "connection"),
                Objects.requireNonNull(o.string("object"), "object"),
                Objects.requireNonNull(o.string("id"), "id"));
    }
}
