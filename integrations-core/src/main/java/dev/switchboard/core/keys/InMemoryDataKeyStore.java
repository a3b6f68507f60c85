package dev.switchboard.core.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** {@link DataKeyStore#inMemory()}, and the state of {@link FileDataKeyStore}: one sorted map behind one lock. */
class InMemoryDataKeyStore implements DataKeyStore {
    /** (scope, version), ordered as {@link #list} pages. */
    record Id(String scope, int version) {
        static final Comparator<Id> ORDER = Comparator.comparing(Id::scope).thenComparingInt(Id::version);

        static Id of(WrappedDataKey key) {
            return new Id(key.scope().value(), key.version());
        }
    }

    final TreeMap<Id, WrappedDataKey> keys = new TreeMap<>(Id.ORDER);

    @Override
    public synchronized Optional<WrappedDataKey> find(KeyScope scope, int version) {
        return Optional.ofNullable(keys.get(new Id(scope.value(), version)));
    }

    @Override
    public synchronized Optional<WrappedDataKey> latest(KeyScope scope) {
        Map.Entry<Id, WrappedDataKey> e = keys.floorEntry(new Id(scope.value(), Integer.MAX_VALUE));
        return e != null && e.getKey().scope().equals(scope.value()) ? Optional.of(e.getValue()) : Optional.empty();
    }

    @Override
    public synchronized boolean add(WrappedDataKey key) {
        Id id = Id.of(key);
        if (keys.containsKey(id)) {
            return false;
        }
        TreeMap<Id, WrappedDataKey> next = new TreeMap<>(keys);
        next.put(id, key);
        changed(next);
        return true;
    }

    @Override
    public synchronized boolean rewrap(
            KeyScope scope, int version, String expectedMasterKeyId, String masterKeyId, byte[] wrapped) {
        Id id = new Id(scope.value(), version);
        WrappedDataKey current = keys.get(id);
        if (current == null || current.destroyed() || !expectedMasterKeyId.equals(current.masterKeyId())) {
            return false;
        }
        TreeMap<Id, WrappedDataKey> next = new TreeMap<>(keys);
        next.put(id, current.rewrapped(masterKeyId, wrapped));
        changed(next);
        return true;
    }

    @Override
    public synchronized int destroy(KeyScope scope, Instant at) {
        TreeMap<Id, WrappedDataKey> next = new TreeMap<>(keys);
        int destroyed = 0;
        for (WrappedDataKey key : keys.values()) {
            if (!key.destroyed() && scope.contains(key.scope())) {
                next.put(Id.of(key), key.destroy(at));
                destroyed++;
            }
        }
        if (destroyed > 0) {
            changed(next);
        }
        return destroyed;
    }

    @Override
    public synchronized List<WrappedDataKey> list(@Nullable WrappedDataKey after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit is at least 1: " + limit);
        }
        Map<Id, WrappedDataKey> rest = after == null ? keys : keys.tailMap(Id.of(after), false);
        List<WrappedDataKey> page = new ArrayList<>(Math.min(limit, rest.size()));
        for (WrappedDataKey key : rest.values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(key);
        }
        return List.copyOf(page);
    }

    /**
     * Makes {@code next} the state. A durable subclass writes it first and throws if it cannot, so a failed
     * write changes nothing.
     */
    void changed(TreeMap<Id, WrappedDataKey> next) {
        keys.clear();
        keys.putAll(next);
    }

    @Override
    public synchronized String toString() {
        return "DataKeyStore.inMemory[" + keys.size() + " keys]";
    }
}
