package dev.switchboard.core.drift;

import java.util.List;
import java.util.Optional;

/**
 * Where reads keep the records they quarantine. A read calls {@link #put} before its checkpoint
 * moves past the record; if {@code put} throws, the read fails before that record, so a record is
 * never lost. Records are keyed by (connection, stream, record id): {@code put} is idempotent per
 * version (a copy of the version already kept changes nothing, so a read repeated from an older
 * checkpoint keeps the first copy and its time), and a copy of another version replaces the earlier
 * one. Implementations must be thread-safe; a durable one ({@link JdbcQuarantineStore}) lets
 * quarantined records outlive the process. {@code dev.switchboard.testkit.QuarantineStoreContract}
 * is the test suite every implementation passes.
 */
public interface QuarantineStore {
    /**
     * Keeps {@code record}: nothing changes if this version of it is kept already; a copy of another
     * version is replaced, and the record goes to the end of {@link #list}.
     */
    void put(QuarantinedRecord record);

    /** The records quarantined for this stream of this connection, oldest first. */
    List<QuarantinedRecord> list(String connectionId, String stream);

    /**
     * Takes a record out of quarantine (it was handled, or the contract now accepts it and it will be
     * read again) and returns it; empty if it was not there.
     */
    Optional<QuarantinedRecord> release(String connectionId, String stream, String recordId);

    /**
     * Whether quarantined records outlive the process (a database table), so a read may move its
     * checkpoint past them without losing them on a restart.
     */
    default boolean durable() {
        return false;
    }

    /** How many records are quarantined for this stream of this connection. */
    default int count(String connectionId, String stream) {
        return list(connectionId, stream).size();
    }

    /**
     * A store in memory: records last as long as the process. The default of a Switchboard; use
     * {@link JdbcQuarantineStore} to keep them across restarts.
     */
    static QuarantineStore inMemory() {
        return new InMemoryQuarantineStore();
    }
}
