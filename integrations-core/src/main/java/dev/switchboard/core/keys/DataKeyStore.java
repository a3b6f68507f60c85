package dev.switchboard.core.keys;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link Keys} keeps the wrapped data keys, per scope and version. Keep it next to the data it protects and
 * back it up with that data: without its data keys, sealed data cannot be read. It holds no plaintext key.
 * Implementations are thread-safe and each method is atomic (across instances for a shared store, such as
 * {@link JdbcDataKeyStore} on PostgreSQL). {@code dev.switchboard.testkit.DataKeyStoreContract} is the suite every
 * implementation passes.
 */
public interface DataKeyStore {
    /** The given version of the scope's data key, live or destroyed. */
    Optional<WrappedDataKey> find(KeyScope scope, int version);

    /** The scope's newest version, live or destroyed; empty if the scope never had a data key. */
    Optional<WrappedDataKey> latest(KeyScope scope);

    /**
     * Adds a data key version; false, changing nothing, if that scope already has that version (another instance
     * made it first).
     */
    boolean add(WrappedDataKey key);

    /**
     * Replaces the wrapping of a live version if it is still wrapped by {@code expectedMasterKeyId}; false,
     * changing nothing, otherwise (another instance re-wrapped it, or it was destroyed).
     */
    boolean rewrap(KeyScope scope, int version, String expectedMasterKeyId, String masterKeyId, byte[] wrapped);

    /**
     * Destroys every live version of the data keys of {@code scope} and of the scopes within it
     * ({@link KeyScope#contains}): their wrapped bytes are deleted, the versions stay, destroyed at {@code at}.
     *
     * @return how many versions were destroyed
     */
    int destroy(KeyScope scope, Instant at);

    /**
     * Up to {@code limit} data keys, live and destroyed, after {@code after} (null: from the start), in the
     * store's order of (scope, version): a caller pages through all of them by passing the last one it got.
     */
    List<WrappedDataKey> list(@Nullable WrappedDataKey after, int limit);

    /**
     * Data keys in this JVM's memory: with them, <strong>everything sealed is unreadable after a restart</strong>.
     * For tests and demos.
     */
    static DataKeyStore inMemory() {
        return new InMemoryDataKeyStore();
    }

    /**
     * Data keys in one file, for a single application instance; any {@link java.nio.file.FileSystem}. Every change
     * replaces the file atomically (a crash or a full disk leaves the previous content). The file holds wrapped
     * keys only; a missing file is an empty store.
     *
     * @throws dev.switchboard.core.error.PermanentException if the file exists but is not a data key file
     */
    static DataKeyStore file(Path file) {
        return FileDataKeyStore.open(file);
    }
}
