package dev.switchboard.core.connector;

import dev.switchboard.core.model.Record;
import java.util.List;

/**
 * One page of records from a {@link StreamReader}. For an incremental stream the records are
 * ordered by cursor value, then id.
 *
 * @param records the records of this page, possibly empty
 * @param last whether no page follows
 */
public record Page(List<Record> records, boolean last) {
    public Page {
        records = List.copyOf(records);
    }
}
