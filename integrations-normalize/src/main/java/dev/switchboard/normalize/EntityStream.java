package dev.switchboard.normalize;

import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.model.Schema;
import java.util.Iterator;

/**
 * A {@link RecordStream} read as entities: same paging, same checkpoint (it covers exactly the
 * entities returned), same governance. Close it as you would the record stream.
 */
public final class EntityStream implements Iterable<Entity>, AutoCloseable {
    private final RecordStream records;
    private final Normalizer normalizer;
    private final Schema contract;
    // Set when a record failed to normalize: the record stream's checkpoint is already past it, so
    // the checkpoint from before it is kept, and a resume reads that record again.
    private @org.jspecify.annotations.Nullable Checkpoint beforeFailure;

    EntityStream(RecordStream records, Normalizer normalizer, Schema contract) {
        this.records = records;
        this.normalizer = normalizer;
        this.contract = contract;
    }

    /** Iterates once; {@code next()} can throw the {@link dev.switchboard.core.error.SwitchboardException} family. */
    @Override
    public Iterator<Entity> iterator() {
        Iterator<dev.switchboard.core.model.Record> it = records.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Entity next() {
                Checkpoint before = records.checkpoint();
                dev.switchboard.core.model.Record record = it.next();
                try {
                    return normalizer.normalize(record, contract);
                } catch (RuntimeException e) {
                    beforeFailure = before;
                    throw e;
                }
            }
        };
    }

    /** Where to resume: after the last entity returned (a record that failed to normalize is read again). */
    public Checkpoint checkpoint() {
        return beforeFailure != null ? beforeFailure : records.checkpoint();
    }

    @Override
    public void close() {
        records.close();
    }
}
