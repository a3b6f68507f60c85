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
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@link DataKeyStore#file(Path)}: the keys in memory, written through to one JSON file on every change
 * ({@link AtomicFiles}: the previous content stays when a write fails, and the change is not made). Format version
 * 1: {@code {"format":"switchboard-data-keys","version":1,"keys":[{"scope","version","masterKeyId","wrapped"
 * (base64),"createdAt","destroyedAt"}]}}.
 *
 * <p>Several processes (and store objects) may share the file: every read takes the file as it is now (read again
 * when it changed), and every change is a read-modify-write under an exclusive {@link FileChannel#lock()} on
 * {@code <name>.lock} beside it, so a key another process added is found, and never written over.
 */
final class FileDataKeyStore extends InMemoryDataKeyStore {
    private static final String NAME = "data-key-store";
    private static final String FORMAT = "switchboard-data-keys";
    private static final int VERSION = 1;
    /** A JVM cannot hold two file locks on one file: its store objects on one file take turns first. */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final ReentrantLock jvmLock;
    /** The file's content the keys in memory came from (null: no file). */
    private byte @Nullable [] read;

    private FileDataKeyStore(Path file) {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        this.jvmLock = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    }

    static FileDataKeyStore open(Path file) {
        Path absolute = file.toAbsolutePath();
        FileDataKeyStore store = new FileDataKeyStore(absolute);
        synchronized (store) {
            store.locked(() -> {
                // Under the lock: another process's temporary file is not a leftover while it writes.
                AtomicFiles.removeLeftovers(absolute);
                return Boolean.TRUE;
            });
        }
        return store;
    }

    /** Takes the file's content as the keys in memory if it changed since last read. Call holding this monitor. */
    private void refresh() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            content = null;
        } catch (IOException e) {
            throw new TransientException(NAME, "open", "cannot read data key file " + file + ": " + e, e);
        }
        if (Arrays.equals(content, read)) {
            return;
        }
        TreeMap<Id, WrappedDataKey> parsed = content == null ? new TreeMap<>(Id.ORDER) : parse(file, content);
        keys.clear();
        keys.putAll(parsed);
        read = content;
    }

    private static TreeMap<Id, WrappedDataKey> parse(Path absolute, byte[] content) {
        TreeMap<Id, WrappedDataKey> parsed = new TreeMap<>(Id.ORDER);
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
                parsed.put(Id.of(key), key);
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
        return parsed;
    }

    /** Runs a change on the file's current keys, holding the cross-process lock. */
    private <T> T locked(Supplier<T> change) {
        jvmLock.lock();
        try {
            Path dir = file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                refresh();
                return change.get();
            }
        } catch (IOException e) {
            throw new TransientException(
                    NAME,
                    "write",
                    "cannot lock data key file " + file + " for writing (" + e + "); nothing was changed, try again",
                    e);
        } finally {
            jvmLock.unlock();
        }
    }

    @Override
    public synchronized Optional<WrappedDataKey> find(KeyScope scope, int version) {
        refresh();
        return super.find(scope, version);
    }

    @Override
    public synchronized Optional<WrappedDataKey> latest(KeyScope scope) {
        refresh();
        return super.latest(scope);
    }

    @Override
    public synchronized List<WrappedDataKey> list(@Nullable WrappedDataKey after, int limit) {
        refresh();
        return super.list(after, limit);
    }

    @Override
    public synchronized boolean add(WrappedDataKey key) {
        return locked(() -> super.add(key));
    }

    @Override
    public synchronized boolean rewrap(
            KeyScope scope, int version, String expectedMasterKeyId, String masterKeyId, byte[] wrapped) {
        return locked(() -> super.rewrap(scope, version, expectedMasterKeyId, masterKeyId, wrapped));
    }

    @Override
    public synchronized int destroy(KeyScope scope, Instant at) {
        return locked(() -> super.destroy(scope, at));
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
        byte[] content = Json.write(json).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, content, NAME);
        read = content;
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
