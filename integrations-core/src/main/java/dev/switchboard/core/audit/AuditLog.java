package dev.switchboard.core.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the entries of one or more chains are stored, one chain per writer, each in the order appended. An
 * {@link AuditChain} appends; an {@link AuditVerifier} reads. Implementations are thread-safe. The stores here:
 * {@link JsonLinesAuditLog} (files, the embedded default) and {@link JdbcAuditLog} (H2, PostgreSQL).
 *
 * <p>A log stores and returns entries as they are: it neither computes nor checks MACs and hashes, so a verifier
 * sees exactly what an attacker who changed the storage left there.
 */
public interface AuditLog extends AutoCloseable {
    /**
     * Appends {@code entry} to its writer's chain; it is durable when this returns.
     *
     * @throws IllegalStateException if the entry does not follow the writer's last entry by sequence number (1 for
     *     an empty chain): another instance appends under the same writer id, or the log was changed under this one
     * @throws RuntimeException if it could not be stored; then it was not (a partial write is undone)
     */
    void append(AuditEntry entry);

    /** The writer's last entry, or empty for a chain with no entries. */
    Optional<AuditEntry> last(String writerId);

    /**
     * The writer's entries in the order stored (across rotated files), a line or row that cannot be read as
     * {@link AuditEntry#unreadable}. Holds the chain in memory.
     */
    List<AuditEntry> entries(String writerId);

    /** The writers with at least one entry, sorted. */
    Set<String> writers();

    /** Releases files or nothing; the default does nothing. */
    @Override
    default void close() {}

    /** A JSON-lines log in {@code directory}: see {@link JsonLinesAuditLog}. */
    static JsonLinesAuditLog.Builder jsonLines(Path directory) {
        return JsonLinesAuditLog.builder(directory);
    }
}
