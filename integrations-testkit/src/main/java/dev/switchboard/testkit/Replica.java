package dev.switchboard.testkit;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A consumer's copy of a source, built only from what reads and change feeds delivered: the invariant of
 * the freshness tests is that after a final catch-up read it holds exactly what the source holds.
 *
 * <p>It applies the way the core seams ask a consumer to: at least once, by (id, version). A record
 * re-delivered with a version it already holds changes nothing; an upsert older than what it holds (by the
 * record's {@code updatedAt}, or a tombstone's {@code deletedAt}) is ignored, so a late re-read of an
 * overlap cannot bring back an older copy or a deleted record. Records without times are applied in
 * delivery order. Not thread-safe: one consumer applies in order.
 */
public final class Replica {
    private final Map<String, Map<String, Record>> live = new TreeMap<>();
    private final Map<String, Map<String, Instant>> deleted = new TreeMap<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private long applied;
    private long ignored;

    /** Applies one record a read delivered: a tombstone removes it, an upsert replaces an older copy. */
    public Replica apply(Record record) {
        String stream = record.stream();
        String id = record.id();
        pending.remove(stream + "/" + id);
        Instant at = record.deleted() ? record.deletedAt() : record.updatedAt();
        if (at != null && olderThanHeld(stream, id, at)) {
            ignored++;
            return this;
        }
        applied++;
        if (record.deleted()) {
            live.computeIfAbsent(stream, s -> new TreeMap<>()).remove(id);
            if (at != null) {
                deleted.computeIfAbsent(stream, s -> new TreeMap<>()).put(id, at);
            }
        } else {
            live.computeIfAbsent(stream, s -> new TreeMap<>()).put(id, record);
            Map<String, Instant> gone = deleted.get(stream);
            if (gone != null) {
                gone.remove(id);
            }
        }
        return this;
    }

    /** Applies every record, in order. */
    public Replica applyAll(Iterable<Record> records) {
        for (Record r : records) {
            apply(r);
        }
        return this;
    }

    /**
     * Applies a change event: a delete removes the record; an upsert carrying the record applies it; an upsert
     * known only by id (most webhooks, writes) is remembered in {@link #pending()} until a read or a fetch
     * delivers the record.
     */
    public Replica apply(ChangeEvent event) {
        Record record = event.record();
        if (event.op() == ChangeEvent.Op.DELETE) {
            String key = event.stream() + "/" + event.recordId();
            pending.remove(key);
            Instant at = event.sourceTime();
            if (at != null && olderThanHeld(event.stream(), event.recordId(), at)) {
                ignored++;
                return this;
            }
            applied++;
            live.computeIfAbsent(event.stream(), s -> new TreeMap<>()).remove(event.recordId());
            if (at != null) {
                deleted.computeIfAbsent(event.stream(), s -> new TreeMap<>()).put(event.recordId(), at);
            }
            return this;
        }
        if (record != null) {
            return apply(record);
        }
        pending.add(event.stream() + "/" + event.recordId());
        return this;
    }

    private boolean olderThanHeld(String stream, String id, Instant at) {
        Record held = live.getOrDefault(stream, Map.of()).get(id);
        Instant heldAt = held == null ? deleted.getOrDefault(stream, Map.of()).get(id) : held.updatedAt();
        return heldAt != null && at.isBefore(heldAt);
    }

    /** The records held for one stream, by id, in id order. */
    public Map<String, Record> records(String stream) {
        return Map.copyOf(live.getOrDefault(stream, Map.of()));
    }

    /** The data held for one stream, by id: what to compare with the source's state. */
    public Map<String, JsonObject> data(String stream) {
        Map<String, JsonObject> out = new TreeMap<>();
        live.getOrDefault(stream, Map.of()).forEach((id, r) -> out.put(id, r.data()));
        return out;
    }

    /** The ids held for one stream, in order. */
    public Set<String> ids(String stream) {
        return new LinkedHashSet<>(live.getOrDefault(stream, Map.of()).keySet());
    }

    /** The held copy of a record, or null. */
    public @Nullable Record get(String stream, String id) {
        return live.getOrDefault(stream, Map.of()).get(id);
    }

    /** {@code stream/id} of upserts announced by id only and not yet delivered by a read. */
    public Set<String> pending() {
        return Set.copyOf(pending);
    }

    /** How many deliveries changed the replica. */
    public long applied() {
        return applied;
    }

    /** How many deliveries were older than what the replica held and changed nothing. */
    public long ignored() {
        return ignored;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Replica{");
        live.forEach((s, m) -> sb.append(s).append('=').append(m.size()).append(' '));
        return sb.append("pending=").append(pending.size()).append('}').toString();
    }
}
