package dev.switchboard.normalize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link GraphStore} in this JVM's memory. One lock for every call: a write is staged whole before any row
 * changes, so it is all or nothing, and a reader never sees part of one.
 */
final class InMemoryGraphStore implements GraphStore {
    private final Map<String, Row> byKey = new HashMap<>();
    private final TreeMap<Long, Row> bySequence = new TreeMap<>();
    private long last;
    private boolean closed;

    @Override
    public synchronized List<Row> write(List<Write> writes) {
        open();
        // Staged first: a write refused halfway leaves the store as it was.
        List<Row> rows = new ArrayList<>(writes.size());
        Map<String, Long> firsts = new HashMap<>();
        long next = last;
        for (Write w : writes) {
            w.check();
            next++;
            Long first = firsts.get(w.key());
            if (first == null) {
                Row old = byKey.get(w.key());
                first = old == null ? next : old.firstSequence();
                firsts.put(w.key(), first);
            }
            rows.add(new Row(w.key(), w.kind(), first, next, w.deleted(), w.body()));
        }
        for (Row row : rows) {
            Row old = byKey.put(row.key(), row);
            if (old != null) {
                bySequence.remove(old.sequence());
            }
            bySequence.put(row.sequence(), row);
        }
        last = next;
        return List.copyOf(rows);
    }

    @Override
    public synchronized List<Row> changedAfter(long after, int limit) {
        open();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        List<Row> page = new ArrayList<>(Math.min(limit, 256));
        for (Row row : bySequence.tailMap(after, false).values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(row);
        }
        return List.copyOf(page);
    }

    @Override
    public synchronized long lastSequence() {
        open();
        return last;
    }

    @Override
    public synchronized int purgeDeleted(long sequence) {
        open();
        int dropped = 0;
        var it = bySequence.headMap(sequence, true).values().iterator();
        while (it.hasNext()) {
            Row row = it.next();
            if (row.deleted()) {
                it.remove();
                byKey.remove(row.key());
                dropped++;
            }
        }
        return dropped;
    }

    @Override
    public synchronized void close() {
        closed = true;
        byKey.clear();
        bySequence.clear();
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("this graph store is closed");
        }
    }

    @Override
    public String toString() {
        return "InMemoryGraphStore";
    }
}
