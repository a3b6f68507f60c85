package dev.switchboard.oauth.store;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.oauth.internal.CredentialCodec;
import dev.switchboard.oauth.internal.LocalLeases;
import dev.switchboard.oauth.internal.Sealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} in one AES-256-GCM encrypted file, for a single application instance. Every
 * write seals the whole store with a fresh nonce under the {@link KeyProvider}'s current key (the key
 * id is in the header, so keys rotate), writes it to a temporary file in the same directory, forces
 * it to disk, renames it over the store atomically and forces the directory. A crash at any point
 * leaves either the old or the new file, never a partial one. A file that is tampered with, truncated
 * or sealed with an unknown key fails at {@link #open} with a {@link PermanentException} saying so;
 * it is never read as an empty store. Leases live in memory (one instance owns the file); for several
 * instances use {@link JdbcTokenStore} on PostgreSQL.
 */
public final class EncryptedFileTokenStore implements TokenStore {
    private static final Logger log = LoggerFactory.getLogger(EncryptedFileTokenStore.class);

    private final Path file;
    private final Sealer sealer;
    private final LocalLeases leases;
    private final Map<String, Credential> credentials;

    private EncryptedFileTokenStore(Path file, Sealer sealer, Clock clock, Map<String, Credential> credentials) {
        this.file = file;
        this.sealer = sealer;
        this.leases = new LocalLeases(clock);
        this.credentials = credentials;
    }

    /**
     * Opens the store in {@code file}, creating it on the first write. Leftover temporary files of an
     * interrupted write are removed.
     *
     * @throws PermanentException if the file exists but cannot be decrypted and verified
     */
    public static EncryptedFileTokenStore open(Path file, KeyProvider keys, Clock clock) {
        Path absolute = file.toAbsolutePath();
        Sealer sealer = new Sealer(keys, new SecureRandom());
        removeLeftovers(absolute);
        Map<String, Credential> loaded;
        try {
            byte[] blob = Files.readAllBytes(absolute);
            byte[] plain = sealer.open(blob, context(absolute), "file " + absolute.getFileName());
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
        log.debug("Opened token file {} with {} credentials", absolute.getFileName(), loaded.size());
        return new EncryptedFileTokenStore(absolute, sealer, clock, new LinkedHashMap<>(loaded));
    }

    private static String context(Path file) {
        return "switchboard-token-file:" + file.getFileName();
    }

    private static void removeLeftovers(Path file) {
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "." + file.getFileName() + ".*.tmp")) {
            for (Path p : tmp) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn(
                    "Could not remove leftover temporary token files next to {}: {}", file.getFileName(), e.toString());
        }
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

    private void persist(Map<String, Credential> all) {
        byte[] blob = sealer.seal(CredentialCodec.encodeAll(all), context(file));
        // open() made the path absolute, and the root directory cannot be a token file.
        Path dir = Objects.requireNonNull(file.getParent(), "an absolute file path has a parent");
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(blob);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new TransientException(
                    "token-store",
                    "store",
                    "cannot write token file " + file.getFileName() + "; the previous content is intact: " + e,
                    e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // removed at the next open
                }
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can sync a directory (Windows); the rename itself is atomic.
        }
    }

    @Override
    public String toString() {
        return "EncryptedFileTokenStore[" + file.getFileName() + "]";
    }
}
