package dev.switchboard.core.drift;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link QuarantineStore#inMemory()}: one map per (connection, stream), in insertion order. */
final class InMemoryQuarantineStore implements QuarantineStore {
    private final Map<String, LinkedHashMap<String, QuarantinedRecord>> streams = new LinkedHashMap<>();

    private static String key(String connectionId, String stream) {
        return connectionId + "\u0000" + stream;
    }

    @Override
    public synchronized void put(QuarantinedRecord record) {
        LinkedHashMap<String, QuarantinedRecord> kept =
                streams.computeIfAbsent(key(record.connection(), record.stream()), k -> new LinkedHashMap<>());
        QuarantinedRecord before = kept.get(record.id());
        if (before != null
                && Objects.equals(before.record().version(), record.record().version())) {
            return; // this version is kept already
        }
        kept.remove(record.id()); // another version goes to the end: the list stays oldest first
        kept.put(record.id(), record);
    }

    @Override
    public synchronized List<QuarantinedRecord> list(String connectionId, String stream) {
        return List.copyOf(streams.getOrDefault(key(connectionId, stream), new LinkedHashMap<>())
                .values());
    }

    @Override
    public synchronized Optional<QuarantinedRecord> release(String connectionId, String stream, String recordId) {
        LinkedHashMap<String, QuarantinedRecord> kept = streams.get(key(connectionId, stream));
        return Optional.ofNullable(kept == null ? null : kept.remove(recordId));
    }

    @Override
    public synchronized int count(String connectionId, String stream) {
        LinkedHashMap<String, QuarantinedRecord> kept = streams.get(key(connectionId, stream));
        return kept == null ? 0 : kept.size();
    }
}
