package dev.switchboard.core;

import dev.switchboard.core.model.Record;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Records of one read, fetched page by page as they are consumed: never an unbounded list. Not
 * thread-safe; close it (try-with-resources) to end the read and emit its audit event.
 * {@link Iterator#next()} may throw a {@link dev.switchboard.core.error.SwitchboardException};
 * {@link #checkpoint()} still covers exactly the records returned before it.
 */
public interface RecordStream extends Iterable<Record>, AutoCloseable {
    /** A checkpoint covering every record returned so far; pass it to resume after them. */
    Checkpoint checkpoint();

    /**
     * What the read did so far: records delivered, withheld by the access policy, and quarantined (kept in the
     * quarantine store instead of being returned). Check it after the loop: a read that delivered nothing may
     * have quarantined everything.
     */
    ReadCounts counts();

    /** The records as a sequential {@link Stream}; closing the stream closes this. */
    default Stream<Record> stream() {
        Iterator<Record> it = iterator();
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    @Override
    void close();
}
