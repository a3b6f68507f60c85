package dev.switchboard.core.error;

import dev.switchboard.core.model.Drift;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The vendor's data broke the stream's pinned contract (a field removed or retyped, the cursor or
 * primary key changed). The read stopped before the checkpoint could move past the change.
 * {@link #recordId()} names the record that stopped it when core's read loop stopped on a record;
 * it is empty when the source's metadata or the connector itself (Salesforce's {@code INVALID_FIELD})
 * showed the drift.
 */
public final class SchemaDriftException extends SwitchboardException {
    private final List<Drift> drifts;
    private final @Nullable String recordId;

    public SchemaDriftException(String connector, String operation, String message, List<Drift> drifts) {
        this(connector, operation, message, drifts, null);
    }

    public SchemaDriftException(
            String connector, String operation, String message, List<Drift> drifts, @Nullable Throwable cause) {
        this(connector, operation, message, drifts, null, cause);
    }

    /**
     * @param recordId the id of the record that stopped the read (its message should name it too), or
     *     null when no single record did
     */
    public SchemaDriftException(
            String connector,
            String operation,
            String message,
            List<Drift> drifts,
            @Nullable String recordId,
            @Nullable Throwable cause) {
        super(connector, operation, message, cause);
        this.drifts = List.copyOf(drifts);
        this.recordId = recordId;
    }

    /** The breaking differences found. */
    public List<Drift> drifts() {
        return drifts;
    }

    /** The id of the record that stopped the read, when one record did (core's per-record check). */
    public Optional<String> recordId() {
        return Optional.ofNullable(recordId);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.GIVE_UP;
    }
}
