package dev.switchboard.core.storage;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a file's content so that a crash, a full disk or any other failure leaves either the old content or the
 * new, never a mix: the new content goes to a temporary file in the same directory, is forced to the device, and
 * is renamed over the file with {@code ATOMIC_MOVE}; then the directory is forced where the platform allows it.
 * Works on any {@link java.nio.file.FileSystem} (paths are never turned into {@code java.io.File}s).
 */
public final class AtomicFiles {
    private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {}

    /**
     * Replaces the content of {@code file} with {@code content}, creating its directory if needed.
     *
     * @param component who writes, for the error (e.g. {@code "token-store"})
     * @throws TransientException when writing failed (a full disk, a read-only file system, no permission): the
     *     message says what to do; the file's previous content is intact
     * @throws PermanentException when the file system cannot rename atomically
     */
    public static void write(Path file, byte[] content, String component) {
        Objects.requireNonNull(content, "content");
        Path target = file.toAbsolutePath();
        Path dir = Objects.requireNonNull(target.getParent(), "a file has a directory");
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            forceDirectory(dir);
        } catch (AtomicMoveNotSupportedException e) {
            throw new PermanentException(
                    component,
                    "write",
                    "the file system of " + target + " cannot rename a file atomically, so a failed write could"
                            + " leave it half written; keep the file on a file system that can (any local disk)");
        } catch (IOException e) {
            throw new TransientException(
                    component,
                    "write",
                    "cannot write " + target + " (" + e + "); its previous content is intact. " + advice(dir),
                    e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // removed by removeLeftovers at the next open
                }
            }
        }
    }

    private static String advice(Path dir) {
        long usable = usableSpace(dir);
        if (usable >= 0) {
            return usable + " bytes are free where it lives: if the disk is full, free space, then try again;"
                    + " otherwise check that the directory is writable";
        }
        return "If the disk is full, free space, then try again; otherwise check that the directory is writable";
    }

    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Removes the temporary files an interrupted {@link #write} of {@code file} left next to it. Failures are
     * logged, not thrown: leftovers are harmless.
     */
    public static void removeLeftovers(Path file) {
        Path target = file.toAbsolutePath();
        @Nullable Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "." + target.getFileName() + ".*.tmp")) {
            for (Path p : tmp) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("Could not remove leftover temporary files next to {}: {}", target.getFileName(), e.toString());
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform or file system can sync a directory (Windows, in-memory ones); the rename is atomic.
        }
    }
}
