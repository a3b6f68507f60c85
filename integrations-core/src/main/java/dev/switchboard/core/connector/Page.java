package dev.switchboard.core.connector;

import dev.switchboard.core.model.Record;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of records from a {@link StreamReader}, with the position each record leaves the read at.
 *
 * <p>Positions are the connector's: for each record, the {@link Position} (partition, cursor, tie-break
 * id) a checkpoint taken right after it resumes from, or null for a record that must not move the
 * checkpoint (a record re-read from a look-back overlap before the position the read resumed from:
 * it is delivered again, at least once, and consumers apply it by id and version). A page built with
 * {@link #Page(List, boolean)} gives none: core then takes each record's position from the stream's
 * cursor field and id, in the stream's only partition, as connectors of one partition expect.
 *
 * <p>For an incremental stream the records of one partition are ordered by cursor value, then id.
 *
 * @param records the records of this page, possibly empty
 * @param positions empty, or one entry per record (nullable entries: see above)
 * @param last whether no page follows
 */
public record Page(List<Record> records, List<@Nullable Position> positions, boolean last) {
    public Page {
        records = List.copyOf(records);
        if (!positions.isEmpty() && positions.size() != records.size()) {
            throw new IllegalArgumentException("a page gives one position per record or none: " + records.size()
                    + " records, " + positions.size() + " positions");
        }
        positions = Collections.unmodifiableList(new ArrayList<>(positions));
    }

    /** A page whose positions core derives from the stream's cursor field (one partition). */
    public Page(List<Record> records, boolean last) {
        this(records, List.of(), last);
    }

    /** Whether the connector gave positions. */
    public boolean positioned() {
        return !positions.isEmpty();
    }

    /** Builds a page record by record, with positions. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects records with their positions. */
    public static final class Builder {
        private final List<Record> records = new ArrayList<>();
        private final List<@Nullable Position> positions = new ArrayList<>();

        private Builder() {}

        /** A record that leaves the read at {@code position}. */
        public Builder add(Record record, Position position) {
            records.add(Objects.requireNonNull(record, "record"));
            positions.add(Objects.requireNonNull(position, "position"));
            return this;
        }

        /** A record re-read from the look-back overlap: delivered again, the checkpoint stays where it is. */
        public Builder addOverlap(Record record) {
            records.add(Objects.requireNonNull(record, "record"));
            positions.add(null);
            return this;
        }

        public int size() {
            return records.size();
        }

        public Page build(boolean last) {
            return new Page(records, positions, last);
        }
    }
}
