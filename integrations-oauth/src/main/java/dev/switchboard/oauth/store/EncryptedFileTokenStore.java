package dev.switchboard.oauth.store;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.KeyDestroyedException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.storage.AtomicFiles;
import dev.switchboard.oauth.internal.CredentialCodec;
import dev.switchboard.oauth.internal.LegacyTokenBlob;
import dev.switchboard.oauth.internal.LocalLeases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} in one encrypted file, for a single application instance, on any
 * {@link java.nio.file.FileSystem}. Every write seals the whole store with {@link Keys} (AES-256-GCM under the data
 * key of scope {@code switchboard/token-file}, a fresh nonce each time, the file's name authenticated) and replaces
 * the file atomically ({@link AtomicFiles}: a temporary file in the same directory, forced to disk, renamed over
 * the store; the directory forced where the platform allows). A crash, or a full disk, leaves the previous file,
 * never a partial one; a failed write changes nothing in memory either and raises a {@link TransientException}
 * saying what to do. A file that is tampered with, truncated or sealed with keys this store does not have fails at
 * {@link #open} with a {@link PermanentException} saying so; it is never read as an empty store.
 *
 * <p>A file written before envelope encryption (sealed directly under a master key, {@code SBT1}) is read with the
 * same master keys and rewritten in the current format when opened. Leases live in memory (one instance owns the
 * file); for several instances use {@link JdbcTokenStore} on PostgreSQL.
 */
public final class EncryptedFileTokenStore implements TokenStore {
    private static final Logger log = LoggerFactory.getLogger(EncryptedFileTokenStore.class);
    /** What the file's content is sealed under. */
    public static final KeyScope SCOPE = KeyScope.of("switchboard/token-file");

    private final Path file;
    private final Keys keys;
    private final LocalLeases leases;
    private final Map<String, Credential> credentials;

    private EncryptedFileTokenStore(Path file, Keys keys, Clock clock, Map<String, Credential> credentials) {
        this.file = file;
        this.keys = keys;
        this.leases = new LocalLeases(clock);
        this.credentials = credentials;
    }

    /**
     * Opens the store in {@code file} (on any file system), creating it on the first write. Leftover temporary files
     * of an interrupted write are removed; a file of the format before envelope encryption is rewritten in the
     * current one.
     *
     * @param keys the keys that seal the file; their data key store must outlive the file (e.g.
     *     {@code DataKeyStore.file(...)} next to it, backed up with it)
     * @throws PermanentException if the file exists but cannot be decrypted and verified
     */
    public static EncryptedFileTokenStore open(Path file, Keys keys, Clock clock) {
        Path absolute = file.toAbsolutePath();
        AtomicFiles.removeLeftovers(absolute);
        Map<String, Credential> loaded;
        boolean legacy = false;
        try {
            byte[] blob = Files.readAllBytes(absolute);
            byte[] plain;
            if (LegacyTokenBlob.isLegacy(blob)) {
                legacy = true;
                plain = LegacyTokenBlob.open(
                        keys.masterKeys(), blob, context(absolute), "file " + absolute.getFileName());
            } else {
                plain = openSealed(keys, blob, absolute);
            }
            try {
                loaded = CredentialCodec.decodeAll(plain);
            } catch (UncheckedIOException | IllegalArgumentException e) {
                throw new PermanentException(
                        "token-store",
                        "load",
                        "the token file " + absolute.getFileName()
                                + " decrypted but its content is malformed; restore it from a backup",
                        e);
            }
        } catch (NoSuchFileException e) {
            loaded = new LinkedHashMap<>();
        } catch (IOException e) {
            throw new TransientException("token-store", "load", "cannot read token file " + absolute + ": " + e, e);
        }
        EncryptedFileTokenStore store = new EncryptedFileTokenStore(absolute, keys, clock, new LinkedHashMap<>(loaded));
        if (legacy) {
            store.persist(store.credentials);
            log.info("Rewrote token file {} with envelope encryption", absolute.getFileName());
        }
        log.debug("Opened token file {} with {} credentials", absolute.getFileName(), loaded.size());
        return store;
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

    @Override
    public synchronized Optional<Credential> load(String key) {
        return Optional.ofNullable(credentials.get(key));
    }

    @Override
    public synchronized boolean compareAndSet(String key, long expectedVersion, Credential next) {
        TokenStore.checkNextVersion(expectedVersion, next);
        Credential current = credentials.get(key);
        long currentVersion = current == null ? 0 : current.version();
        if (currentVersion != expectedVersion) {
            return false;
        }
        Map<String, Credential> updated = new LinkedHashMap<>(credentials);
        updated.put(key, next);
        persist(updated);
        credentials.put(key, next);
        return true;
    }

    @Override
    public synchronized boolean delete(String key) {
        if (!credentials.containsKey(key)) {
            return false;
        }
        Map<String, Credential> updated = new LinkedHashMap<>(credentials);
        updated.remove(key);
        persist(updated);
        credentials.remove(key);
        return true;
    }

    @Override
    public boolean tryLease(String key, String owner, Duration ttl) {
        return leases.tryLease(key, owner, ttl);
    }

    @Override
    public boolean renewLease(String key, String owner, Duration ttl) {
        return leases.renewLease(key, owner, ttl);
    }

    @Override
    public void releaseLease(String key, String owner) {
        leases.releaseLease(key, owner);
    }

    /** Writes {@code all}, or throws leaving the file (and so this store) as it was. */
    private void persist(Map<String, Credential> all) {
        byte[] blob =
                keys.seal(SCOPE, CredentialCodec.encodeAll(all), context(file).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(file, blob, "token-store");
    }

    @Override
    public String toString() {
        return "EncryptedFileTokenStore[" + file.getFileName() + "]";
    }
}
