package dev.switchboard.core.keys;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.storage.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@link DataKeyStore#file(Path)}: the keys in memory, written through to one JSON file on every change
 * ({@link AtomicFiles}: the previous content stays when a write fails, and the change is not made). Format version
 * 1: {@code {"format":"switchboard-data-keys","version":1,"keys":[{"scope","version","masterKeyId","wrapped"
 * (base64),"createdAt","destroyedAt"}]}}.
 */
final class FileDataKeyStore extends InMemoryDataKeyStore {
    private static final String NAME = "data-key-store";
    private static final String FORMAT = "switchboard-data-keys";
    private static final int VERSION = 1;

    private final Path file;

    private FileDataKeyStore(Path file) {
        this.file = file;
    }

    static FileDataKeyStore open(Path file) {
        Path absolute = file.toAbsolutePath();
        AtomicFiles.removeLeftovers(absolute);
        FileDataKeyStore store = new FileDataKeyStore(absolute);
        byte[] content;
        try {
            content = Files.readAllBytes(absolute);
        } catch (NoSuchFileException e) {
            return store;
        } catch (IOException e) {
            throw new TransientException(NAME, "open", "cannot read data key file " + absolute + ": " + e, e);
        }
        try {
            JsonObject json = Json.parseObject(content);
            if (!FORMAT.equals(json.string("format"))) {
                throw new IllegalArgumentException("not a data key file");
            }
            int version =
                    Objects.requireNonNull(json.number("version"), "version").intValueExact();
            if (version > VERSION) {
                throw new PermanentException(
                        NAME,
                        "open",
                        "data key file " + absolute.getFileName() + " is of format version " + version
                                + ", newer than this Switchboard knows (" + VERSION + "): upgrade Switchboard");
            }
            for (JsonValue v : Objects.requireNonNull(json.array("keys"), "keys")) {
                WrappedDataKey key = decode((JsonObject) v);
                store.keys.put(Id.of(key), key);
            }
        } catch (PermanentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PermanentException(
                    NAME,
                    "open",
                    "data key file " + absolute + " is damaged or is not a Switchboard data key file ("
                            + e.getClass().getSimpleName()
                            + "); restore it from a backup: without it, the data sealed with its keys cannot be read");
        }
        return store;
    }

    @Override
    void changed(TreeMap<Id, WrappedDataKey> next) {
        JsonArray.Builder keys = JsonArray.builder();
        for (WrappedDataKey key : next.values()) {
            keys.add(encode(key));
        }
        JsonObject json = JsonObject.builder()
                .put("format", FORMAT)
                .put("version", VERSION)
                .put("keys", keys.build())
                .build();
        AtomicFiles.write(file, Json.write(json).getBytes(StandardCharsets.UTF_8), NAME);
        super.changed(next);
    }

    private static JsonObject encode(WrappedDataKey key) {
        byte @Nullable [] wrapped = key.wrapped();
        return JsonObject.builder()
                .put("scope", key.scope().value())
                .put("version", key.version())
                .put("masterKeyId", nullable(key.masterKeyId()))
                .put(
                        "wrapped",
                        nullable(wrapped == null ? null : Base64.getEncoder().encodeToString(wrapped)))
                .put("createdAt", key.createdAt().toString())
                .put(
                        "destroyedAt",
                        nullable(
                                key.destroyedAt() == null
                                        ? null
                                        : key.destroyedAt().toString()))
                .build();
    }

    private static JsonValue nullable(@Nullable String value) {
        return value == null ? JsonNull.INSTANCE : new JsonString(value);
    }

    private static WrappedDataKey decode(JsonObject json) {
        String wrapped = json.string("wrapped");
        String destroyedAt = json.string("destroyedAt");
        return new WrappedDataKey(
                KeyScope.of(Objects.requireNonNull(json.string("scope"), "scope")),
                Objects.requireNonNull(json.number("version"), "version").intValueExact(),
                json.string("masterKeyId"),
                wrapped == null ? null : Base64.getDecoder().decode(wrapped),
                Instant.parse(Objects.requireNonNull(json.string("createdAt"), "createdAt")),
                destroyedAt == null ? null : Instant.parse(destroyedAt));
    }

    @Override
    public synchronized String toString() {
        return "DataKeyStore.file[" + file.getFileName() + ", " + keys.size() + " keys]";
    }
}
