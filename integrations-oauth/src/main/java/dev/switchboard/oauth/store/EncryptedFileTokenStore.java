package dev.switchboard.oauth.store;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenLease;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.KeyDestroyedException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.storage.AtomicFiles;
import dev.switchboard.oauth.internal.LegacyTokenBlob;
import dev.switchboard.oauth.internal.TokenFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} in one encrypted file, on any {@link java.nio.file.FileSystem}, shared safely by the processes
 * (and the store objects) that open the same file. Every write seals the whole store with {@link Keys} (AES-256-GCM
 * under the data key of scope {@code switchboard/token-file}, a fresh nonce each time, the file's name
 * authenticated) and replaces the file atomically ({@link AtomicFiles}: a temporary file in the same directory,
 * forced to disk, renamed over the store; the directory forced where the platform allows). A crash, or a full disk,
 * leaves the previous file, never a partial one; a failed write changes nothing and raises a
 * {@link TransientException} saying what to do. A file that is tampered with, truncated or sealed with keys this
 * store does not have fails with a {@link PermanentException} saying so; it is never read as an empty store.
 *
 * <p><b>Several processes.</b> Every change is a read-modify-write under an exclusive lock on a lock file beside the
 * token file ({@code <name>.lock}, {@link FileChannel#lock()}, held by the process until the write is renamed in
 * place; within one JVM a lock per file orders the store objects first): the file is read again under the lock, so a
 * process never writes over another's rotation. Reads take the file as it is (a rename replaces it whole). The
 * refresh leases, the keys' last versions (kept after a delete, so versions never repeat) and the reauthorization
 * marks live in the file too, so processes sharing it also share leases; lease times are the injected clock's (the
 * processes share one machine's clock). Lock files work on local disks; network file systems may not honour them.
 *
 * <p>A file written before envelope encryption (sealed directly under a master key, {@code SBT1}) is read with the
 * same master keys and rewritten in the current format when opened. For several machines use {@link JdbcTokenStore}
 * on PostgreSQL.
 */
public final class EncryptedFileTokenStore implements TokenStore {
    private static final Logger log = LoggerFactory.getLogger(EncryptedFileTokenStore.class);
    /** What the file's content is sealed under. */
    public static final KeyScope SCOPE = KeyScope.of("switchboard/token-file");

    /** Orders the store objects of this JVM on one file: a JVM cannot hold two file locks on one file. */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final Keys keys;
    private final Clock clock;
    private final ReentrantLock lock;
    /** The state last read or written, and the bytes it came from: re-read only when the file changed. */
    private TokenFile.State state = TokenFile.State.EMPTY;

    private byte @Nullable [] stateBytes;

    private EncryptedFileTokenStore(Path file, Keys keys, Clock clock) {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        this.keys = keys;
        this.clock = clock;
        this.lock = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    }

    /**
     * Opens the store in {@code file} (on any file system), creating it on the first write. Leftover temporary files
     * of an interrupted write are removed; a file of the format before envelope encryption is rewritten in the
     * current one.
     *
     * @param keys the keys that seal the file; their data key store must outlive the file (e.g.
     *     {@code DataKeyStore.file(...)} next to it, backed up with it)
     * @param clock the time the refresh leases expire by
     * @throws PermanentException if the file exists but cannot be decrypted and verified
     */
    public static EncryptedFileTokenStore open(Path file, Keys keys, Clock clock) {
        Path absolute = file.toAbsolutePath();
        EncryptedFileTokenStore store = new EncryptedFileTokenStore(absolute, keys, clock);
        AtomicBoolean legacy = new AtomicBoolean();
        store.change(current -> {
            AtomicFiles.removeLeftovers(absolute); // under the lock: another process's write is not a leftover
            legacy.set(store.legacy);
            return current;
        });
        if (legacy.get()) { // change() rewrote it
            log.info("Rewrote token file {} with envelope encryption", absolute.getFileName());
        }
        log.debug(
                "Opened token file {} with {} credentials",
                absolute.getFileName(),
                store.state.credentials().size());
        return store;
    }

    /** Whether the file last read was of the format before envelope encryption. */
    private boolean legacy;

    /** The file's state as it is now, read again if it changed. Call with {@link #lock} held. */
    private TokenFile.State read() {
        byte[] blob;
        try {
            blob = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            stateBytes = null;
            state = TokenFile.State.EMPTY;
            legacy = false;
            return state;
        } catch (IOException e) {
            throw new TransientException("token-store", "load", "cannot read token file " + file + ": " + e, e);
        }
        if (stateBytes != null && Arrays.equals(blob, stateBytes)) {
            return state;
        }
        byte[] plain;
        legacy = LegacyTokenBlob.isLegacy(blob);
        if (legacy) {
            plain = LegacyTokenBlob.open(keys.masterKeys(), blob, context(file), "file " + file.getFileName());
        } else {
            plain = openSealed(keys, blob, file);
        }
        try {
            state = TokenFile.decode(plain);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new PermanentException(
                    "token-store",
                    "load",
                    "the token file " + file.getFileName()
                            + " decrypted but its content is malformed; restore it from a backup",
                    e);
        }
        stateBytes = blob;
        return state;
    }

    private static byte[] openSealed(Keys keys, byte[] blob, Path file) {
        try {
            return keys.open(blob, context(file).getBytes(StandardCharsets.UTF_8));
        } catch (KeyDestroyedException e) {
            throw e;
        } catch (PermanentException e) {
            throw new PermanentException(
                    "token-store",
                    "load",
                    "the token file " + file.getFileName() + " cannot be read: " + e.getMessage()
                            + ". Nothing was changed: restore it from a backup or configure the right keys, or delete"
                            + " it and authorize the connections again");
        }
    }

    private static String context(Path file) {
        return "switchboard-token-file:" + file.getFileName();
    }

    /** A consistent view of the file, for reads. */
    private TokenFile.State view() {
        lock.lock();
        try {
            return read();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies {@code update} to the file's current state under the cross-process lock, and writes the result unless
     * it is the same state object. Throws leaving the file (and so this store) as it was.
     */
    private TokenFile.State change(Function<TokenFile.State, TokenFile.State> update) {
        lock.lock();
        try {
            Path dir = file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                TokenFile.State current = read();
                TokenFile.State next = update.apply(current);
                if (next != current || legacy) {
                    persist(next);
                }
                return next;
            }
        } catch (IOException e) {
            throw new TransientException(
                    "token-store",
                    "write",
                    "cannot lock token file " + file + " for writing (" + e + "); nothing was changed, try again",
                    e);
        } finally {
            lock.unlock();
        }
    }

    /** Writes {@code next}, or throws leaving the file (and so this store) as it was. */
    private void persist(TokenFile.State next) {
        byte[] blob = keys.seal(SCOPE, TokenFile.encode(next), context(file).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(file, blob, "token-store");
        state = next;
        stateBytes = blob;
        legacy = false;
    }

    @Override
    public Optional<Credential> load(String key) {
        return Optional.ofNullable(view().credentials().get(key));
    }

    @Override
    public long lastVersion(String key) {
        return view().lastVersion(key);
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, Credential next) {
        return store(key, expectedVersion, next, null);
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, Credential next, TokenLease lease) {
        return store(key, expectedVersion, next, lease);
    }

    @Override
    public boolean fencesWrites() {
        return true;
    }

    private boolean store(String key, long expectedVersion, Credential next, @Nullable TokenLease fence) {
        TokenStore.checkNextVersion(expectedVersion, next);
        AtomicBoolean stored = new AtomicBoolean();
        change(current -> {
            if (current.lastVersion(key) != expectedVersion || (fence != null && !holds(current, fence))) {
                return current;
            }
            stored.set(true);
            return current.withCredential(key, next);
        });
        return stored.get();
    }

    private boolean holds(TokenFile.State current, TokenLease lease) {
        TokenFile.Lease held = current.leases().get(lease.key());
        return held != null
                && held.owner().equals(lease.owner())
                && held.epoch() == lease.epoch()
                && held.expiresAt().isAfter(clock.instant());
    }

    @Override
    public boolean delete(String key) {
        AtomicBoolean deleted = new AtomicBoolean();
        change(current -> {
            if (!current.credentials().containsKey(key)) {
                return current;
            }
            deleted.set(true);
            return current.without(key);
        });
        return deleted.get();
    }

    @Override
    public boolean markNeedsReauthorization(String key, long version) {
        AtomicBoolean marked = new AtomicBoolean();
        change(current -> {
            Credential c = current.credentials().get(key);
            Long mark = current.marks().get(key);
            if (c == null || c.version() != version || (mark != null && mark == version)) {
                return current;
            }
            marked.set(true);
            return current.withMark(key, version);
        });
        return marked.get();
    }

    @Override
    public boolean needsReauthorization(String key, long version) {
        TokenFile.State current = view();
        Credential c = current.credentials().get(key);
        Long mark = current.marks().get(key);
        return c != null && c.version() == version && mark != null && mark == version;
    }

    @Override
    public Optional<TokenLease> acquireLease(String key, String owner, Duration ttl) {
        AtomicReferenceLease taken = new AtomicReferenceLease();
        change(current -> {
            Instant now = clock.instant();
            TokenFile.Lease held = current.leases().get(key);
            if (held != null && !held.owner().equals(owner) && held.expiresAt().isAfter(now)) {
                return current;
            }
            TokenFile.Lease mine = new TokenFile.Lease(owner, now.plus(ttl), held == null ? 1 : held.epoch() + 1);
            taken.lease = new TokenLease(key, owner, mine.epoch());
            return current.withLease(key, mine);
        });
        return Optional.ofNullable(taken.lease);
    }

    /** What a lease update found, out of its lambda. */
    private static final class AtomicReferenceLease {
        @Nullable
        TokenLease lease;
    }

    @Override
    public boolean tryLease(String key, String owner, Duration ttl) {
        return acquireLease(key, owner, ttl).isPresent();
    }

    @Override
    public boolean renewLease(TokenLease lease, Duration ttl) {
        return renew(lease.key(), lease.owner(), lease.epoch(), ttl);
    }

    @Override
    public boolean renewLease(String key, String owner, Duration ttl) {
        return renew(key, owner, -1, ttl);
    }

    /** Renews the owner's lease; {@code epoch} -1 renews whatever epoch the owner holds. */
    private boolean renew(String key, String owner, long epoch, Duration ttl) {
        AtomicBoolean renewed = new AtomicBoolean();
        change(current -> {
            Instant now = clock.instant();
            TokenFile.Lease held = current.leases().get(key);
            if (held == null
                    || !held.owner().equals(owner)
                    || (epoch >= 0 && held.epoch() != epoch)
                    || !held.expiresAt().isAfter(now)) {
                return current;
            }
            renewed.set(true);
            return current.withLease(key, new TokenFile.Lease(owner, now.plus(ttl), held.epoch()));
        });
        return renewed.get();
    }

    @Override
    public void releaseLease(TokenLease lease) {
        release(lease.key(), lease.owner(), lease.epoch());
    }

    @Override
    public void releaseLease(String key, String owner) {
        release(key, owner, -1);
    }

    /** Ends the lease at once, keeping its epoch so the next acquisition's is greater. */
    private void release(String key, String owner, long epoch) {
        try {
            change(current -> {
                TokenFile.Lease held = current.leases().get(key);
                if (held == null || !held.owner().equals(owner) || (epoch >= 0 && held.epoch() != epoch)) {
                    return current;
                }
                return current.withLease(key, new TokenFile.Lease(owner, Instant.EPOCH, held.epoch()));
            });
        } catch (TransientException e) {
            // The lease expires by itself; failing the refresh for it would be worse.
            log.warn("Could not release the refresh lease of '{}': {}", key, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "EncryptedFileTokenStore[" + file.getFileName() + "]";
    }
}
