package dev.switchboard.core.cache;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.Page;
import java.util.Optional;

/** {@link ReadCache#none()}. */
enum NoReadCache implements ReadCache {
    INSTANCE;

    @Override
    public Optional<Page> get(PageKey key) {
        return Optional.empty();
    }

    @Override
    public void put(PageKey key, Page page) {}

    @Override
    public void invalidate(ChangeEvent event) {}

    @Override
    public String toString() {
        return "ReadCache.none";
    }
}
