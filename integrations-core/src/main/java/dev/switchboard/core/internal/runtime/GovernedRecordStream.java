package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.connector.CursorPosition;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * Pages from a connector's reader, each record checked against the stream's contract
 * ({@link DriftGuard}: delivered, quarantined, or the read stops before it; drift the reader raises
 * itself is reported there too) and then passed through
 * the access policy's row filter. The checkpoint advances over every record returned, withheld or
 * quarantined before the next one, so it covers exactly what the caller has been given (and what
 * it may never be given). On close: the drift seen, logged and audited once per kind of drift, then
 * one audit event listing the ids delivered.
 */
final class GovernedRecordStream implements RecordStream, Iterator<Record> {
    private final ConnectionRuntime connection;
    private final AgentContext context;
    private final StreamCall call;
    private final ArrayDeque<Record> buffer = new ArrayDeque<>();
    private final List<String> delivered = new ArrayList<>();
    private final DriftGuard drift;
    private @Nullable StreamReader reader;
    private @Nullable Record next;
    // The record as the connector returned it: the checkpoint follows its cursor, which a policy
    // that removes fields may have taken out of the visible copy.
    private @Nullable Record nextAsRead;
    private Checkpoint checkpoint;
    private boolean lastPage;
    private boolean closed;
    private int withheld;
    private @Nullable SwitchboardException failure;

    GovernedRecordStream(ConnectionRuntime connection, AgentContext context, StreamCall call) {
        this.connection = connection;
        this.context = context;
        this.call = call;
        this.drift = new DriftGuard(
                connection, context, call.stream(), call.request().fields());
        this.checkpoint = call.resumeAfter() == null
                ? Checkpoint.start(call.stream().name())
                : Checkpoint.at(call.stream().name(), call.resumeAfter());
    }

    @Override
    public Iterator<Record> iterator() {
        return this;
    }

    @Override
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        if (failure != null) {
            throw failure; // a failed read stays failed; resume from checkpoint() with a new read
        }
        while (next == null) {
            Record candidate = buffer.poll();
            if (candidate != null) {
                boolean admitted;
                try {
                    admitted = drift.admit(candidate);
                } catch (SwitchboardException e) {
                    failure = e; // the checkpoint stays before the record that stopped the read
                    throw e;
                }
                if (!admitted) {
                    advance(candidate); // quarantined: kept in the store, so the checkpoint may pass it
                    continue;
                }
                Record visible = connection.parts().accessPolicy().filter(context, candidate);
                if (visible == null) {
                    withheld++;
                    advance(candidate);
                } else {
                    next = visible;
                    nextAsRead = candidate;
                }
                continue;
            }
            if (lastPage) {
                return false;
            }
            fetchPage();
        }
        return true;
    }

    private void fetchPage() {
        String opName = "read " + call.stream().name();
        try {
            Page page = connection.inContext(context, opName, () -> {
                if (reader == null) {
                    drift.checkMetadata(call.http());
                    reader = drift.fromConnector(() -> connection.session().openStream(call));
                }
                StreamReader open = reader;
                return drift.fromConnector(open::nextPage);
            });
            buffer.addAll(page.records());
            lastPage = page.last();
        } catch (SwitchboardException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Record r = java.util.Objects.requireNonNull(next);
        Record asRead = nextAsRead;
        advance(asRead == null ? r : asRead);
        next = null;
        nextAsRead = null;
        delivered.add(r.id());
        return r;
    }

    private void advance(Record r) {
        String cursorField = call.stream().cursorField();
        if (cursorField == null) {
            return;
        }
        JsonValue value = r.data().get(cursorField);
        String cursor = value instanceof JsonString s
                ? s.value()
                : value instanceof JsonNumber n ? n.value().toPlainString() : null;
        if (cursor != null) {
            checkpoint = Checkpoint.at(call.stream().name(), new CursorPosition(cursor, r.id()));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            drift.report();
            connection.audit(
                    context,
                    AuditEvent.Kind.READ,
                    failure == null ? AuditEvent.Outcome.SUCCEEDED : AuditEvent.Outcome.FAILED,
                    call.stream().name(),
                    delivered,
                    delivered.size() + " delivered, " + withheld + " withheld, " + drift.quarantined() + " quarantined"
                            + (failure == null
                                    ? ""
                                    : ", failed: " + failure.getClass().getSimpleName()));
        }
    }
}
