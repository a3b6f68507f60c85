package dev.switchboard.core.cache;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.model.Record;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link ReadCache#inMemory(int)}: an LRU map of pages with an index from record to pages. */
final class InMemoryReadCache implements ReadCache {
    private record RecordKey(String connection, String stream, String id) {}

    private final int maxPages;
    private final LinkedHashMap<PageKey, Page> pages;
    private final Map<RecordKey, Set<PageKey>> byRecord = new HashMap<>();

    InMemoryReadCache(int maxPages) {
        if (maxPages < 1) {
            throw new IllegalArgumentException("a cache holds at least one page");
        }
        this.maxPages = maxPages;
        this.pages = new LinkedHashMap<>(16, 0.75f, true);
    }

    @Override
    public synchronized Optional<Page> get(PageKey key) {
        return Optional.ofNullable(pages.get(key));
    }

    @Override
    public synchronized void put(PageKey key, Page page) {
        remove(key);
        pages.put(key, page);
        for (Record r : page.records()) {
            byRecord.computeIfAbsent(new RecordKey(key.connection(), r.stream(), r.id()), k -> new HashSet<>())
                    .add(key);
        }
        while (pages.size() > maxPages) {
            remove(pages.keySet().iterator().next());
        }
    }

    @Override
    public synchronized void invalidate(ChangeEvent event) {
        Set<PageKey> holding = byRecord.remove(new RecordKey(event.connection(), event.stream(), event.recordId()));
        if (holding != null) {
            holding.forEach(this::remove);
            return;
        }
        // A record no page holds is new to the cache: the stream's pages no longer hold all there is.
        pages.keySet().stream()
                .filter(k ->
                        k.connection().equals(event.connection()) && k.stream().equals(event.stream()))
                .toList()
                .forEach(this::remove);
    }

    /** Pages cached now. */
    synchronized int size() {
        return pages.size();
    }

    private void remove(PageKey key) {
        Page page = pages.remove(key);
        if (page == null) {
            return;
        }
        for (Record r : page.records()) {
            RecordKey rk = new RecordKey(key.connection(), r.stream(), r.id());
            Set<PageKey> keys = byRecord.get(rk);
            if (keys != null) {
                keys.remove(key);
                if (keys.isEmpty()) {
                    byRecord.remove(rk);
                }
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "ReadCache.inMemory[" + pages.size() + "/" + maxPages + " pages]";
    }
}
