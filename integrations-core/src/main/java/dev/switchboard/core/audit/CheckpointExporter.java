package dev.switchboard.core.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where signed checkpoints go: somewhere the log's writer cannot change (another host, an object store with
 * retention, a directory the writer's account may create files in but not modify). {@link #export} returns when
 * the checkpoint is kept, and throws otherwise.
 */
@FunctionalInterface
public interface CheckpointExporter {
    /** Keeps {@code checkpoint}; throws if it could not. */
    void export(AuditCheckpoint checkpoint);

    /**
     * Writes each checkpoint to its own new file {@code <writer>-<seq 20 digits>.checkpoint.json} in
     * {@code directory} (created if missing), never replacing a file: a checkpoint that exists already is left as it
     * is. Mount the directory so that the writer can add files but not change or delete them (a write-once share, or
     * a directory of another account with a setgid drop box), and {@link #readDirectory} reads them back.
     */
    static CheckpointExporter directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return checkpoint -> {
            Path file = directory.resolve(
                    checkpoint.writerId() + "-" + String.format("%020d", checkpoint.seq()) + ".checkpoint.json");
            try {
                Files.createDirectories(directory);
                Path tmp = Files.createTempFile(directory, ".checkpoint", ".tmp");
                try {
                    Files.writeString(tmp, checkpoint.toJson() + "\n", StandardCharsets.UTF_8);
                    // createLink fails if the target exists: a checkpoint once written is never replaced.
                    Files.createLink(file, tmp);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // kept already (a retry after a failure reported late)
                } catch (UnsupportedOperationException e) {
                    Files.copy(tmp, file); // no hard links on this file system: copy fails if the target exists
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // kept already
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "could not export the audit checkpoint of writer " + checkpoint.writerId() + " at seq "
                                + checkpoint.seq() + " to " + directory + ": "
                                + e.getClass().getSimpleName(),
                        e);
            }
        };
    }

    /**
     * The checkpoints {@link #directory} wrote to {@code directory}, by writer and seq; an empty list if there is no
     * such directory. Their signatures are not checked here: the verifier checks them.
     *
     * @throws IllegalArgumentException if a checkpoint file is not a checkpoint
     */
    static List<AuditCheckpoint> readDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<AuditCheckpoint> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".checkpoint.json"))
                    .sorted()
                    .toList()) {
                found.add(AuditCheckpoint.parse(
                        Files.readString(file, StandardCharsets.UTF_8).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the audit checkpoints in " + directory, e);
        }
        found.sort(Comparator.comparing(AuditCheckpoint::writerId).thenComparingLong(AuditCheckpoint::seq));
        return List.copyOf(found);
    }
}
