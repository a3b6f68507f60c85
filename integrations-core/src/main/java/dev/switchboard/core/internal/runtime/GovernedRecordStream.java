package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ReadCounts;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.cache.PageKey;
import dev.switchboard.core.cache.ReadCache;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Pages from the read cache or the connector's reader, each record checked against the stream's
 * contract ({@link DriftGuard}: delivered, quarantined, or the read stops before it; drift the reader
 * raises itself is reported there too) and then passed through the access policy's row filter.
 * Tombstones skip the drift check and carry only their key and cursor fields. The checkpoint takes,
 * per partition, the position the connector gave each record returned, withheld or quarantined (a
 * record re-read from a look-back overlap leaves it where it is), so it covers exactly what the caller
 * has been given (and what it may never be given). On close: the drift seen, logged and audited once
 * per kind of drift, then one audit event with the first ids delivered and their count: a read of any
 * length holds no more than that.
 *
 * <p>The read cache is asked for each page while every page before it was a hit; from the first miss
 * on, the connector reads the rest (resumed from the checkpoint reached, or for a stream without a
 * cursor from its start, skipping the pages already delivered), and each page it reads is cached unless
 * a change of the stream arrived while it was read. A change feed's poll neither asks the cache nor
 * fills it: it reads to learn what changed.
 */
final class GovernedRecordStream implements RecordStream, Iterator<Record> {
    private final ConnectionRuntime connection;
    private final AgentContext context;
    private final StreamCall call;
    private final boolean feed;
    private final DriftGuard drift;
    private final ReadCache cache;
    private final String credentialKey;
    private final String cacheIdentity;
    private final String requestDigest;
    private final String startValue;
    private final List<String> deliveredIds = new ArrayList<>();
    private long delivered;
    private @Nullable List<Record> page;
    private @Nullable Page source;
    private int inPage;
    private int pageNumber;
    private final boolean caching;
    private boolean cacheUsable;
    private int cacheHits;
    private @Nullable StreamReader reader;
    private @Nullable Record next;
    private @Nullable Position nextPosition;
    private @Nullable Position lastPosition;
    /** The checkpoint as last built; {@link #pendingPosition}, when set, is past it. */
    private Checkpoint checkpoint;
    /** The latest position reached in the partition of the records being read, not yet in {@link #checkpoint}. */
    private @Nullable Position pendingPosition;

    private boolean lastPage;
    private boolean closed;
    private int withheld;
    private @Nullable SwitchboardException failure;

    GovernedRecordStream(
            ConnectionRuntime connection,
            AgentContext context,
            StreamCall call,
            Checkpoint start,
            String credentialKey,
            boolean feed) {
        this.connection = connection;
        this.context = context;
        this.call = call;
        this.feed = feed;
        this.drift = new DriftGuard(
                connection, context, call.stream(), call.request().fields());
        this.cache = connection.parts().readCache();
        // A change feed polls to learn what changed at the source: a cached page would hide exactly that.
        // Without a cache a read takes no cache bookkeeping (a lock shared by every read of the Switchboard).
        this.caching = !feed && cache != ReadCache.none();
        this.cacheUsable = caching;
        this.credentialKey = credentialKey;
        this.cacheIdentity = caching ? connection.cacheIdentity(credentialKey, context.principal()) : credentialKey;
        this.checkpoint = start;
        this.startValue = caching ? start.value() : ""; // part of the cache keys only
        // Only the cache's keys use it: a read without a cache takes no SHA-256 of its request.
        this.requestDigest = caching
                ? Json.canonicalDigest(JsonObject.builder()
                        .put("fields", Json.strings(call.request().fields()))
                        .put("filter", Json.objectFrom(call.request().filter()))
                        .put("pageSize", call.request().pageSize())
                        .build())
                : "";
    }

    @Override
    public Iterator<Record> iterator() {
        return this;
    }

    @Override
    public Checkpoint checkpoint() {
        Position pending = pendingPosition;
        if (pending != null) { // built on demand: a Checkpoint per record cost two map copies each
            checkpoint = checkpoint.with(pending);
            pendingPosition = null;
        }
        return checkpoint;
    }

    @Override
    public ReadCounts counts() {
        return new ReadCounts(delivered, withheld, drift.quarantined());
    }

    /**
     * How many record ids this read holds for its audit event: at most {@link AuditEvent#MAX_RECORD_IDS},
     * however many records it delivers (a read of any length runs in constant memory).
     */
    int idsHeld() {
        return deliveredIds.size();
    }

    /** The position the last record returned by {@link #next()} left the read at; null for an overlap record. */
    @Nullable
    Position lastPosition() {
        return lastPosition;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        SwitchboardException failed = failure;
        if (failed != null) {
            throw failed; // a failed read stays failed; resume from checkpoint() with a new read
        }
        while (next == null) {
            List<Record> records = page;
            if (records != null && inPage < records.size()) {
                Record candidate = records.get(inPage);
                Position position = positionOf(candidate, inPage);
                inPage++;
                admit(candidate, position);
                continue;
            }
            if (lastPage) {
                return false;
            }
            fetchPage();
        }
        return true;
    }

    /** Drift, then the row filter: sets {@link #next}, or moves the checkpoint past a record not delivered. */
    private void admit(Record candidate, @Nullable Position position) {
        Record record = candidate;
        if (record.deleted()) {
            record = tombstone(record);
        } else {
            boolean admitted;
            try {
                admitted = drift.admit(record);
            } catch (SwitchboardException e) {
                failure = e; // the checkpoint stays before the record that stopped the read
                throw e;
            }
            if (!admitted) {
                advance(position); // quarantined: kept in the store, so the checkpoint may pass it
                return;
            }
        }
        // A change feed's deletes are authorized per stream: one without ACL facts must still reach it.
        Record visible = feed && record.deleted()
                ? record
                : connection.parts().accessPolicy().filter(context, record);
        if (visible == null) {
            withheld++;
            advance(position);
        } else {
            next = visible;
            nextPosition = position;
        }
    }

    /** A tombstone as it leaves the read: its key and cursor fields, nothing else. */
    private Record tombstone(Record r) {
        String cursorField = call.stream().cursorField();
        JsonObject.Builder keys = JsonObject.builder(2);
        JsonValue id = r.data().get(call.stream().primaryKey());
        if (id != null) {
            keys.put(call.stream().primaryKey(), id);
        }
        JsonValue cursor = cursorField == null ? null : r.data().get(cursorField);
        if (cursorField != null && cursor != null) {
            keys.put(cursorField, cursor);
        }
        JsonObject trimmed = keys.build();
        return trimmed.equals(r.data()) ? r : r.newBuilder().data(trimmed).build();
    }

    /** The connector's position of the record, or one from the stream's cursor field in its only partition. */
    private @Nullable Position positionOf(Record r, int index) {
        Page p = Objects.requireNonNull(source);
        if (p.positioned()) {
            return p.positions().get(index);
        }
        String cursorField = call.stream().cursorField();
        if (cursorField == null) {
            return null;
        }
        JsonValue value = r.data().get(cursorField);
        String cursor = value instanceof JsonString s
                ? s.value()
                : value instanceof JsonNumber n ? n.value().toPlainString() : null;
        return cursor == null ? null : Position.of(cursor, r.id());
    }

    private void fetchPage() {
        String opName = "read " + call.stream().name();
        PageKey key = caching
                ? new PageKey(
                        connection.id(), cacheIdentity, call.stream().name(), requestDigest, startValue, pageNumber)
                : null;
        Page fetched = null;
        if (cacheUsable && key != null) {
            fetched = cache.get(key).orElse(null);
            counter(fetched != null ? "hit" : "miss").increment();
        }
        if (fetched != null) {
            cacheHits++;
        } else {
            ChangeHub changes = connection.switchboard().changes();
            long generation =
                    caching ? changes.generation(connection.id(), call.stream().name()) : 0;
            try {
                fetched = connection.inContext(context, opName, this::readFromConnector);
            } catch (SwitchboardException e) {
                failure = e;
                throw e;
            }
            if (key != null) {
                changes.cache(key, fetched, generation);
            }
        }
        pageNumber++;
        source = fetched;
        page = fetched.records();
        inPage = 0;
        lastPage = fetched.last();
    }

    private Page readFromConnector() {
        StreamReader open = reader;
        if (open == null) {
            drift.checkMetadata(call.http());
            boolean resumed = cacheUsable && pageNumber > 0;
            cacheUsable = false;
            StreamCall from = resumed && call.stream().incremental()
                    ? call.resumingFrom(checkpoint().positions())
                    : call;
            StreamReader opened = drift.fromConnector(() -> connection.session().openStream(from));
            reader = opened;
            open = opened;
            if (resumed && !call.stream().incremental()) {
                // No cursor to resume by: read again the pages the cache gave, and drop them.
                for (int skipped = 0; skipped < pageNumber; skipped++) {
                    StreamReader r = opened;
                    Page again = drift.fromConnector(r::nextPage);
                    if (again.last()) {
                        return new Page(List.of(), true);
                    }
                }
            }
        }
        StreamReader r = open;
        return drift.fromConnector(r::nextPage);
    }

    private Counter counter(String result) {
        return Counter.builder("switchboard.cache.pages")
                .description("Pages a read asked the read cache for, by result")
                .tags(
                        "connector",
                        connection.descriptor().id(),
                        "connection",
                        connection.id(),
                        "stream",
                        call.stream().name(),
                        "result",
                        result)
                .register(connection.parts().meters());
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Record r = Objects.requireNonNull(next);
        advance(nextPosition);
        lastPosition = nextPosition;
        next = null;
        nextPosition = null;
        delivered++;
        if (deliveredIds.size() < AuditEvent.MAX_RECORD_IDS) {
            deliveredIds.add(r.id());
        }
        return r;
    }

    private void advance(@Nullable Position position) {
        if (position == null) {
            return;
        }
        Position pending = pendingPosition;
        if (pending != null && !pending.partition().equals(position.partition())) {
            checkpoint = checkpoint.with(pending); // another partition's position must not be lost
        }
        pendingPosition = position;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            StreamReader r = reader;
            if (r != null) {
                r.close();
            }
        } finally {
            try {
                drift.report();
                connection
                        .switchboard()
                        .auditor()
                        .record(connection
                                .event(
                                        context,
                                        AuditEvent.Kind.READ,
                                        failure == null ? AuditEvent.Outcome.SUCCEEDED : AuditEvent.Outcome.FAILED,
                                        call.stream().name())
                                .records(deliveredIds, delivered)
                                .detail(delivered + " delivered, " + withheld + " withheld, " + drift.quarantined()
                                        + " quarantined"
                                        + (cacheHits == 0 ? "" : ", " + cacheHits + " page(s) from cache")
                                        + (feed ? ", change feed" : "")
                                        + (failure == null
                                                ? ""
                                                : ", failed: "
                                                        + failure.getClass().getSimpleName()))
                                .build());
            } finally {
                connection.exit();
            }
        }
    }
}
