package dev.switchboard.connectors.jdbc.internal.cdc;

import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.connectors.jdbc.internal.RowIdentity;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.ChangeReader;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.fluent.logical.ChainedLogicalStreamBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one table through a logical replication slot ({@code pgoutput}): a {@link ChangeReader} core drives.
 *
 * <p><b>Positions.</b> Each event's position is {@code (cursor, id)} = (the LSN of its transaction's commit, as
 * {@code XXXXXXXX/XXXXXXXX}: 8 upper-case hex digits each side, so the text sorts as the LSN does and
 * {@code LogSequenceNumber.valueOf} reads it; the event's index within its transaction, 10 digits). Positions
 * are in commit order, then change order.
 *
 * <p><b>At least once, never past what core stored.</b> The slot's confirmed flush position (what PostgreSQL may
 * discard) advances to a transaction's end only once {@link #acknowledge} was called for its last event, or, with
 * no event outstanding, to where the server says it has sent everything. A reader opened with a position starts the
 * stream at that position's transaction and passes over every event at or before it, so after a clean stop nothing
 * repeats; after a crash only events delivered but not stored repeat.
 *
 * <p><b>One consumer per slot.</b> {@link #poll} first holds the slot's lease (a row in the lease table, expiring
 * in the database's time, renewed on each poll); without it, it waits and returns nothing. Taking an expired lease
 * whose owner still streams ends that owner's walsender. Losing the lease to another instance fails the poll with
 * a {@link TransientException}, so core opens a new reader from the position it stored.
 *
 * <p>Not thread-safe: core calls it from one thread.
 */
public final class PgChangeReader implements ChangeReader {
    private static final Logger log = LoggerFactory.getLogger(PgChangeReader.class);
    /** The longest one idle wait between two reads of the stream: it bounds the latency a change adds. */
    private static final long IDLE_SLEEP_MILLIS = 5;

    private final PostgresChangeFeedSettings settings;
    private final StreamTable table;
    private final String slot;
    private final String operation;
    private final PgSlotAdmin admin;
    private final Clock clock;
    private final MeterRegistry meters;
    private final RecordSource source;
    private final AtomicLong lag = new AtomicLong(-1);
    private final Gauge lagGauge;

    /** Events at or before this key were delivered and stored: passed over. */
    private @Nullable Key resume;
    /** The last position core acknowledged (or the resume position). */
    private @Nullable Key acked;
    /** The key of the last event made (or passed over) since the stream started. */
    private @Nullable Key lastEmitted;
    /** Transactions decoded but not yet flushed, in commit order. */
    private final ArrayDeque<Done> completed = new ArrayDeque<>();
    /** The LSN reported to the server as flushed. */
    private long flushed;

    private @Nullable Connection replication;
    private @Nullable PGReplicationStream stream;
    private final Map<Integer, PgOutput.Relation> relations = new HashMap<>();
    private boolean inTransaction;
    private long txLsn;
    private Instant txTime = Instant.EPOCH;
    private long txIndex;

    private boolean holding;
    private Instant nextRenew = Instant.MIN;
    private Instant nextLagCheck = Instant.MIN;
    private @Nullable SwitchboardException failure;
    private boolean closed;

    PgChangeReader(
            PostgresChangeFeedSettings settings,
            StreamTable table,
            String slot,
            @Nullable Key resume,
            PgSlotAdmin admin,
            MeterRegistry meters,
            Clock clock) {
        this.settings = settings;
        this.table = table;
        this.slot = slot;
        this.operation = "changes " + table.stream();
        this.admin = admin;
        this.clock = clock;
        this.meters = meters;
        this.resume = resume;
        this.acked = resume;
        this.source = new RecordSource(settings.connector(), settings.connection(), table.table());
        this.lagGauge = Gauge.builder("switchboard.cdc.slot.lag", lag, AtomicLong::get)
                .description("WAL a replication slot holds back (pg_current_wal_lsn() - confirmed_flush_lsn), in"
                        + " bytes; -1 until measured")
                .baseUnit("bytes")
                .tags("connection", settings.connection(), "slot", slot)
                .register(meters);
    }

    /** The replication slot (and publication) this reader follows. */
    public String slot() {
        return slot;
    }

    /** Whether this reader holds the slot's lease now. */
    public boolean holdsLease() {
        return holding;
    }

    @Override
    public List<ChangeEvent> poll(Duration maxWait) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("this change reader is closed");
        }
        SwitchboardException failed = failure;
        if (failed != null) {
            throw failed;
        }
        // One poll never outlasts a third of the lease: it is renewed between polls.
        Duration wait = maxWait.compareTo(settings.leaseDuration().dividedBy(3)) > 0
                ? settings.leaseDuration().dividedBy(3)
                : maxWait;
        long deadline = System.nanoTime() + wait.toNanos();
        measureLag();
        PGReplicationStream s;
        try {
            s = holdOrWait(deadline);
        } catch (SQLException e) {
            stopStream();
            throw transientFailure("could not take or renew the slot's lease, or start streaming", e);
        }
        if (s == null) {
            return List.of();
        }
        List<ChangeEvent> out = new ArrayList<>();
        try {
            while (true) {
                ByteBuffer buffer = s.readPending();
                if (buffer == null) {
                    if (!out.isEmpty() && !inTransaction) {
                        break; // a whole transaction is ready: hand it over now
                    }
                    if (System.nanoTime() >= deadline) {
                        break;
                    }
                    advanceWhenIdle(s);
                    Thread.sleep(IDLE_SLEEP_MILLIS);
                    continue;
                }
                if (!handle(PgOutput.decode(buffer), out) || out.size() >= settings.maxBatch()) {
                    break;
                }
            }
            flushCompleted();
        } catch (SQLException e) {
            stopStream();
            throw transientFailure("the replication stream failed", e);
        }
        SwitchboardException stop = failure;
        if (stop != null && out.isEmpty()) {
            throw stop;
        }
        return out;
    }

    /** The stream when this reader holds the lease (taking it, and starting the stream, if needed); else waits. */
    private @Nullable PGReplicationStream holdOrWait(long deadline) throws SQLException, InterruptedException {
        if (holding) {
            Instant now = clock.instant();
            if (!now.isBefore(nextRenew)) {
                if (!admin.renew(slot)) {
                    holding = false;
                    stopStream();
                    throw new TransientException(
                            settings.connector(),
                            operation,
                            "another instance took over replication slot " + slot + " (this instance's lease"
                                    + " expired); a new reader follows it as a standby",
                            null);
                }
                nextRenew = now.plus(renewEvery());
            }
        } else {
            if (!admin.tryAcquire(slot)) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
                return null;
            }
            holding = true;
            nextRenew = clock.instant().plus(renewEvery());
            log.info("Took the lease of replication slot {} for {} ({})", slot, table.stream(), settings.owner());
        }
        PGReplicationStream s = stream;
        if (s == null) {
            s = startStream();
        }
        return s;
    }

    private Duration renewEvery() {
        Duration fifth = settings.leaseDuration().dividedBy(5);
        return fifth.compareTo(Duration.ofSeconds(1)) < 0 ? fifth : Duration.ofSeconds(1);
    }

    private PGReplicationStream startStream() throws SQLException, InterruptedException {
        // An expired lease's owner may still stream: PostgreSQL lets one walsender use a slot, so end that one.
        // A walsender whose reader just closed exits by itself within moments: give it a second first.
        long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        OptionalInt pid = admin.activePid(slot);
        boolean warned = false;
        while (pid.isPresent()) {
            if (System.nanoTime() > grace) {
                if (!warned) {
                    log.warn(
                            "Replication slot {} is still streaming to backend {} whose lease is gone: terminating it",
                            slot,
                            pid.getAsInt());
                    warned = true;
                }
                admin.terminate(pid.getAsInt());
            }
            if (System.nanoTime() > deadline) {
                throw new SQLException("replication slot " + slot + " stays in use", PgSlotAdmin.OBJECT_IN_USE);
            }
            Thread.sleep(50);
            pid = admin.activePid(slot);
        }
        Properties props = new Properties();
        PGProperty.USER.set(props, settings.user());
        String password = settings.password();
        if (password != null) {
            PGProperty.PASSWORD.set(props, password);
        }
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.APPLICATION_NAME.set(props, "switchboard-cdc");
        Connection c = new org.postgresql.Driver().connect(settings.jdbcUrl(), props);
        if (c == null) {
            throw new PermanentException(
                    settings.connector(), operation, "the PostgreSQL driver does not accept the configured JDBC URL");
        }
        try {
            // Everything before the resume position's transaction was delivered and stored: start at it.
            Key from = max(resume, acked);
            resume = from;
            ChainedLogicalStreamBuilder builder = c.unwrap(PGConnection.class)
                    .getReplicationAPI()
                    .replicationStream()
                    .logical()
                    .withSlotName(slot)
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", slot)
                    .withStatusInterval((int) settings.statusInterval().toMillis(), TimeUnit.MILLISECONDS);
            if (from != null) {
                builder = builder.withStartPosition(LogSequenceNumber.valueOf(from.lsn()));
            }
            PGReplicationStream started = builder.start();
            replication = c;
            stream = started;
            relations.clear();
            completed.clear();
            inTransaction = false;
            lastEmitted = null;
            log.info(
                    "Following {} through replication slot {} from {}",
                    table.qualifiedName(),
                    slot,
                    from == null ? "the slot's confirmed position" : from);
            return started;
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Applies one message.
     *
     * @return false to stop reading now (a truncate the settings say to fail on)
     */
    private boolean handle(PgOutput.Message message, List<ChangeEvent> out) {
        if (message instanceof PgOutput.Begin b) {
            inTransaction = true;
            txLsn = b.finalLsn();
            txTime = b.commitTime();
            txIndex = 0;
        } else if (message instanceof PgOutput.Commit c) {
            inTransaction = false;
            completed.add(new Done(c.endLsn(), lastEmitted));
        } else if (message instanceof PgOutput.Relation r) {
            relations.put(r.oid(), r);
        } else if (message instanceof PgOutput.Insert i) {
            PgOutput.Relation r = ours(i.relation());
            if (r != null) {
                upsert(r, i.row(), null, out);
            }
        } else if (message instanceof PgOutput.Update u) {
            PgOutput.Relation r = ours(u.relation());
            if (r != null) {
                PgOutput.Tuple old = u.old();
                if (old != null) {
                    String oldId = id(r, old, null);
                    if (!oldId.equals(id(r, u.row(), old))) {
                        delete(r, old, out); // the key changed: the old record is gone
                    }
                }
                upsert(r, u.row(), u.oldKind() == 'O' ? old : null, out);
            }
        } else if (message instanceof PgOutput.Delete d) {
            PgOutput.Relation r = ours(d.relation());
            if (r != null) {
                delete(r, d.old(), out);
            }
        } else if (message instanceof PgOutput.Truncate t) {
            for (int oid : t.relations()) {
                if (ours(oid) == null) {
                    continue;
                }
                String where = lsnText(txLsn);
                if (settings.truncates() == PostgresChangeFeedSettings.Truncates.SKIP) {
                    log.warn(
                            "Table {} was truncated (transaction at {}): passed over as the settings say; consumers"
                                    + " of stream {} keep the rows it removed until they read it in full",
                            table.qualifiedName(),
                            where,
                            table.stream());
                } else {
                    // The events before it in this poll are handed over first; the next poll fails.
                    failure = new PermanentException(
                            settings.connector(),
                            operation,
                            "table " + table.qualifiedName() + " was truncated in the transaction committed at " + where
                                    + ": a truncate removes rows without a delete per row, so the change feed cannot"
                                    + " report it. Re-read stream '" + table.stream() + "' in full, then restart the"
                                    + " feed with PostgresChangeFeedSettings.truncates(SKIP) to pass over it");
                    return false;
                }
            }
        }
        return true; // Type, origin and logical messages carry nothing the feed reports
    }

    private PgOutput.@Nullable Relation ours(int oid) {
        PgOutput.Relation r = relations.get(oid);
        if (r == null) {
            throw new IllegalStateException("pgoutput sent a change of relation " + oid + " before its description");
        }
        return r.namespace().equals(table.schema()) && r.name().equals(table.table()) ? r : null;
    }

    /** The next key in this transaction, or null when it is at or before the resume position (passed over). */
    private @Nullable Key next() {
        Key key = new Key(txLsn, txIndex++);
        lastEmitted = key;
        Key from = resume;
        return from != null && key.compareTo(from) <= 0 ? null : key;
    }

    private void upsert(PgOutput.Relation r, PgOutput.Tuple row, PgOutput.@Nullable Tuple old, List<ChangeEvent> out) {
        Key key = next();
        if (key == null) {
            return;
        }
        String id = id(r, row, old);
        JsonObject data = data(r, row, old, false);
        if (data == null) {
            // An unchanged TOASTed value was not sent and the table's replica identity is not FULL: the event
            // names the record without its data, so the consumer reads it.
            out.add(new ChangeEvent(
                    settings.connection(),
                    table.stream(),
                    id,
                    ChangeEvent.Op.UPSERT,
                    null,
                    null,
                    txTime,
                    key.position(),
                    ChangeEvent.Origin.PUSH));
            return;
        }
        Record record;
        Function<JsonObject, Record> rows = table.records();
        if (rows != null) {
            record = rows.apply(data);
            if (!record.id().equals(id)) {
                // Deletes carry only the key, so their id must be the one reads give the row.
                throw new PermanentException(
                        settings.connector(),
                        operation,
                        "a change of " + table.qualifiedName() + " has record id '" + id + "' in the feed and '"
                                + record.id() + "' in reads: its key columns' types are not followed alike");
            }
            if (record.updatedAt() == null) {
                record = record.newBuilder().updatedAt(txTime).build();
            }
        } else {
            record = Record.builder().stream(table.stream())
                    .id(id)
                    .source(source)
                    .data(data)
                    .updatedAt(txTime)
                    .version(RowIdentity.version(data))
                    .acl(table.acl().apply(data))
                    .build();
        }
        out.add(ChangeEvent.of(settings.connection(), record, key.position(), ChangeEvent.Origin.PUSH));
    }

    private void delete(PgOutput.Relation r, PgOutput.Tuple old, List<ChangeEvent> out) {
        Key key = next();
        if (key == null) {
            return;
        }
        JsonObject data = data(r, old, null, true);
        if (data == null) {
            throw new IllegalStateException("a deleted row's key columns were not sent");
        }
        Record tombstone = Record.builder().stream(table.stream())
                .id(id(r, old, null))
                .source(source)
                .data(data)
                .updatedAt(txTime)
                // Not the digest of the key columns: a table of key columns only would give its live row's version.
                .version("deleted@" + key.position().cursor() + "/"
                        + key.position().id())
                .acl(table.acl().apply(data))
                .deleted(txTime)
                .build();
        out.add(ChangeEvent.of(settings.connection(), tombstone, key.position(), ChangeEvent.Origin.PUSH));
    }

    /**
     * The row's data in the stream's columns (only the key columns when {@code keysOnly}); null when a value was not
     * sent (unchanged TOAST) and {@code old} has no text for it.
     */
    private @Nullable JsonObject data(
            PgOutput.Relation r, PgOutput.Tuple row, PgOutput.@Nullable Tuple old, boolean keysOnly) {
        List<String> names = keysOnly ? table.keyColumns() : table.columns();
        JsonObject.Builder data = JsonObject.builder();
        if (names.isEmpty()) {
            for (int i = 0; i < r.columns().size(); i++) {
                JsonValue v = value(r, row, old, i);
                if (v == null) {
                    return null;
                }
                data.put(r.columns().get(i).name(), v);
            }
            return data.build();
        }
        for (String name : names) {
            int i = indexOf(r, name);
            if (i < 0) {
                continue; // dropped from the table: drift, which reads report
            }
            JsonValue v = value(r, row, old, i);
            if (v == null) {
                return null;
            }
            data.put(name, v);
        }
        return data.build();
    }

    private static @Nullable JsonValue value(
            PgOutput.Relation r, PgOutput.Tuple row, PgOutput.@Nullable Tuple old, int i) {
        PgOutput.Value v = row.values().get(i);
        if (v.kind() == 'u') {
            PgOutput.Value before = old == null ? null : old.values().get(i);
            if (before == null || before.kind() != 't') {
                return null;
            }
            v = before;
        }
        return PgTextValues.toJson(r.columns().get(i).typeOid(), v.text());
    }

    private static int indexOf(PgOutput.Relation r, String name) {
        for (int i = 0; i < r.columns().size(); i++) {
            if (r.columns().get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The record id of a row, by {@link RowIdentity#id} over its key columns' values. */
    private String id(PgOutput.Relation r, PgOutput.Tuple row, PgOutput.@Nullable Tuple old) {
        List<String> values = new ArrayList<>(table.keyColumns().size());
        for (String name : table.keyColumns()) {
            int i = indexOf(r, name);
            JsonValue v = i < 0 ? null : value(r, row, old, i);
            if (v == null) {
                throw new PermanentException(
                        settings.connector(),
                        operation,
                        "a change of " + table.qualifiedName() + " came without its key column '" + name + "'; set"
                                + " REPLICA IDENTITY FULL on the table");
            }
            values.add(keyText(v));
        }
        return RowIdentity.id(values);
    }

    /**
     * A key column's value as the text {@link RowIdentity#id} takes: a string as it is, a number in plain notation,
     * a boolean as {@code true}/{@code false}. The connector's reads must give the same text for the same value.
     */
    public static String keyText(JsonValue value) {
        if (value instanceof JsonString s) {
            return s.value();
        }
        if (value instanceof JsonNumber n) {
            return n.value().toPlainString();
        }
        if (value instanceof JsonBoolean b) {
            return b.value() ? "true" : "false";
        }
        throw new IllegalArgumentException("a key column's value cannot be " + value.type());
    }

    @Override
    public void acknowledge(Position position) {
        Key key = Key.parse(position);
        if (key == null) {
            log.debug("Ignoring the acknowledgement of a position this feed did not make: {}", position);
            return;
        }
        Key before = acked;
        if (before == null || key.compareTo(before) > 0) {
            acked = key;
        }
        try {
            flushCompleted();
        } catch (SQLException e) {
            stopStream();
            throw transientFailure("could not report the acknowledged position to the server", e);
        }
    }

    /** Reports the end of every transaction whose events were all acknowledged as flushed. */
    private void flushCompleted() throws SQLException {
        long target = flushed;
        Key upTo = acked;
        Done d;
        while ((d = completed.peek()) != null) {
            Key last = d.lastEvent();
            if (last == null || (upTo != null && last.compareTo(upTo) <= 0)) {
                target = Math.max(target, d.endLsn());
                completed.poll();
            } else {
                break;
            }
        }
        sendFlushed(target);
    }

    /**
     * With no transaction open and every event made so far acknowledged, everything the server sent is done:
     * report its last position (a transaction's end or a keepalive's), so an idle or filtered slot keeps moving and
     * holds back no WAL.
     */
    private void advanceWhenIdle(PGReplicationStream s) throws SQLException {
        Key last = lastEmitted;
        Key upTo = acked;
        if (inTransaction || !completed.isEmpty() || (last != null && (upTo == null || last.compareTo(upTo) > 0))) {
            return;
        }
        sendFlushed(s.getLastReceiveLSN().asLong());
    }

    private void sendFlushed(long lsn) throws SQLException {
        PGReplicationStream s = stream;
        if (lsn <= flushed || s == null) {
            return;
        }
        LogSequenceNumber at = LogSequenceNumber.valueOf(lsn);
        s.setAppliedLSN(at);
        s.setFlushedLSN(at);
        s.forceUpdateStatus();
        flushed = lsn;
    }

    private void measureLag() {
        Instant now = clock.instant();
        if (now.isBefore(nextLagCheck)) {
            return;
        }
        nextLagCheck = now.plus(settings.lagCheckInterval());
        try {
            OptionalLong bytes = admin.lag(slot);
            if (bytes.isPresent()) {
                lag.set(bytes.getAsLong());
                if (bytes.getAsLong() > settings.lagWarnBytes()) {
                    log.warn(
                            "Replication slot {} of connection {} holds back {} bytes of WAL (over {}): the server"
                                    + " keeps that WAL on disk until the feed catches up. If the feed is gone for"
                                    + " good, drop the slot (PostgresChangeFeed.dropSlot), or the disk fills",
                            slot,
                            settings.connection(),
                            bytes.getAsLong(),
                            settings.lagWarnBytes());
                }
            }
        } catch (SQLException e) {
            log.debug("Could not measure the lag of replication slot {}", slot, e);
        }
    }

    private TransientException transientFailure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "none" : e.getSQLState();
        // The driver's message is not kept: it may quote the connection's URL or values.
        return new TransientException(
                settings.connector(),
                operation,
                what + " for replication slot " + slot + " (SQLState " + state + "); a new reader resumes from the"
                        + " stored position",
                null);
    }

    private void stopStream() {
        PGReplicationStream s = stream;
        Connection c = replication;
        stream = null;
        replication = null;
        if (s != null) {
            try {
                s.close();
            } catch (SQLException | RuntimeException e) {
                log.debug("Closing the replication stream of slot {} failed", slot, e);
            }
        }
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("Closing the replication connection of slot {} failed", slot, e);
            }
        }
    }

    /** Stops following, gives up the lease, keeps the slot. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * Stops following and gives up the lease; with {@code drop}, also drops the replication slot and its
     * publication, so the server keeps no WAL for this feed (a later reader starts from the slot it creates then,
     * missing what changed in between).
     *
     * @throws TransientException when {@code drop} and the slot could not be dropped
     */
    public void close(boolean drop) {
        if (!closed) {
            closed = true;
            stopStream();
            if (holding) {
                holding = false;
                try {
                    admin.release(slot);
                } catch (SQLException e) {
                    log.debug("Releasing the lease of slot {} failed; it expires by itself", slot, e);
                }
            }
            meters.remove(lagGauge);
        }
        try {
            if (drop) {
                try {
                    admin.drop(slot, TimeUnit.SECONDS.toMillis(10));
                    log.info("Dropped replication slot {} and its publication", slot);
                } catch (SQLException e) {
                    throw transientFailure("could not drop the slot", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransientException(
                            settings.connector(), operation, "interrupted while dropping slot " + slot, e);
                }
            }
        } finally {
            admin.close();
        }
    }

    private static @Nullable Key max(@Nullable Key a, @Nullable Key b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** An LSN as {@code XXXXXXXX/XXXXXXXX}: sorts as text as it does as a number. */
    static String lsnText(long lsn) {
        return String.format("%08X/%08X", lsn >>> 32, lsn & 0xFFFFFFFFL);
    }

    /** A transaction decoded to its commit: flushable once its last event (or an earlier one) is acknowledged. */
    private record Done(long endLsn, @Nullable Key lastEvent) {}

    /** An event's place: its transaction's commit LSN, then its index in the transaction. */
    record Key(long lsn, long index) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compareUnsigned(lsn, o.lsn);
            return c != 0 ? c : Long.compare(index, o.index);
        }

        Position position() {
            return Position.of(lsnText(lsn), String.format("%010d", index));
        }

        /** The key of a position this feed made, or null for any other. */
        static @Nullable Key parse(Position p) {
            String cursor = p.cursor();
            int slash = cursor.indexOf('/');
            if (slash <= 0 || slash == cursor.length() - 1) {
                return null;
            }
            try {
                long hi = Long.parseLong(cursor.substring(0, slash), 16);
                long lo = Long.parseLong(cursor.substring(slash + 1), 16);
                if (hi < 0 || hi > 0xFFFFFFFFL || lo < 0 || lo > 0xFFFFFFFFL) {
                    return null;
                }
                return new Key((hi << 32) | lo, Long.parseLong(p.id()));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return lsnText(lsn) + "/" + index;
        }
    }
}
