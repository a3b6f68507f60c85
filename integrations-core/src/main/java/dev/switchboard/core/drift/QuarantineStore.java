package dev.switchboard.core.drift;

import java.util.List;
import java.util.Optional;

/**
 * Where reads keep the records they quarantine. A read calls {@link #put} before its checkpoint
 * moves past the record; if {@code put} throws, the read fails before that record, so a record is
 * never lost. Records are keyed by (connection, stream, record id): quarantining a record again
 * replaces the earlier copy. Implementations must be thread-safe; a durable one (a database table)
 * lets quarantined records outlive the process.
 */
public interface QuarantineStore {
  /** Keeps {@code record}, replacing any earlier copy of the same record. */
  void put(QuarantinedRecord record);

  /** The records quarantined for this stream of this connection, oldest first. */
  List<QuarantinedRecord> list(String connectionId, String stream);

  /**
   * Takes a record out of quarantine (it was handled, or the contract now accepts it and it will be
   * read again) and returns it; empty if it was not there.
   */
  Optional<QuarantinedRecord> release(String connectionId, String stream, String recordId);

  /** How many records are quarantined for this stream of this connection. */
  default int count(String connectionId, String stream) {
    return list(connectionId, stream).size();
  }

  /** A store in memory: records last as long as the process. The default of a Switchboard. */
  static QuarantineStore inMemory() {
    return new InMemoryQuarantineStore();
  }
}
