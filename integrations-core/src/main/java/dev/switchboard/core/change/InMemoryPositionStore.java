package dev.switchboard.core.change;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link PositionStore#inMemory()}. */
final class InMemoryPositionStore implements PositionStore {
    private record Key(String subscriber, String connection, String stream) {}

    private final ConcurrentHashMap<Key, String> positions = new ConcurrentHashMap<>();

    @Override
    public Optional<String> load(String subscriber, String connection, String stream) {
        return Optional.ofNullable(positions.get(new Key(subscriber, connection, stream)));
    }

    @Override
    public void save(String subscriber, String connection, String stream, String position) {
        positions.put(new Key(subscriber, connection, stream), position);
    }

    @Override
    public void delete(String subscriber, String connection, String stream) {
        positions.remove(new Key(subscriber, connection, stream));
    }

    @Override
    public String toString() {
        return "PositionStore.inMemory[" + positions.size() + " positions]";
    }
}
