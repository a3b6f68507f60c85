package dev.switchboard.core.cache;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.Page;
import java.util.Optional;

/**
 * Raw pages of reads, consulted by every read before it asks the connector for a page and fed after
 * (unless a change of the stream arrived while the page was read): a hit saves a vendor request. A change
 * feed's poll neither consults nor feeds it, since it reads to learn what changed. What a hit returns still goes through the whole read: drift check,
 * the access policy's row filter (per principal: pages of a {@code SHARED} connection are shared, what
 * each principal sees is not), the checkpoint, and the read's audit event, which counts cached records
 * like the rest. Pages are indexed by the ids of the records they hold: core calls
 * {@link #invalidate(ChangeEvent)} for every change it learns of (a write of the agent's own, a webhook,
 * a polled or pushed change) before any listener hears of it, and the cache must then drop every page
 * holding that record, or, when no page holds it (a record created since), every page of its stream: the
 * stream's pages no longer hold all there is. A read that misses a page reads the rest from the source. Implementations are thread-safe. No cache by default ({@link #none()});
 * integrations-memory provides the working-memory one.
 */
public interface ReadCache {
    /** The page cached under this key, if any. */
    Optional<Page> get(PageKey key);

    /** Caches a page as the connector returned it. */
    void put(PageKey key, Page page);

    /** Drops every page holding the record this event changed. */
    void invalidate(ChangeEvent event);

    /** No cache: every page is read from the source. */
    static ReadCache none() {
        return NoReadCache.INSTANCE;
    }

    /**
     * A small cache in this JVM's memory, at most {@code maxPages} pages (least recently used first
     * out), for tests and demos; it never expires pages by time.
     */
    static ReadCache inMemory(int maxPages) {
        return new InMemoryReadCache(maxPages);
    }
}
