package dev.switchboard.core.drift;

import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A record a read kept aside instead of delivering it, because it broke its stream's contract.
 * Immutable. The record is kept exactly as the connector read it (before the access policy's row
 * filter), so it can be inspected and, once the contract is fixed, released and read again.
 *
 * @param connection the connection id
 * @param connector the connector id
 * @param stream the stream name
 * @param record the record as read; never coerced to the contract
 * @param drifts every difference from the contract this record shows (breaking first)
 * @param policy the drift policy the read ran under
 * @param reason a short reason, naming fields and kinds, never values
 * @param quarantinedAt when it was kept aside, by the injected clock
 */
public record QuarantinedRecord(
        String connection,
        String connector,
        String stream,
        Record record,
        List<Drift> drifts,
        DriftPolicy policy,
        String reason,
        Instant quarantinedAt) {
    public QuarantinedRecord {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(record, "record");
        drifts = List.copyOf(drifts);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(quarantinedAt, "quarantinedAt");
    }

    /** The record's id. */
    public String id() {
        return record.id();
    }

    /** Names the record and its drifts without its data, which may be personal. */
    @Override
    public String toString() {
        return "QuarantinedRecord[" + connection + "/" + stream + "/" + record.id() + ", " + reason + ", at "
                + quarantinedAt + "]";
    }
}
