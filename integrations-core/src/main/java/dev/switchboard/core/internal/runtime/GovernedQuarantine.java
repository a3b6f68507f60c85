package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.drift.QuarantineView;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.Operation;
import dev.switchboard.core.model.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@code Switchboard.quarantine(context)}: the store seen through the access policy, audited. */
final class GovernedQuarantine implements QuarantineView {
    private final SwitchboardRuntime switchboard;
    private final AgentContext context;

    GovernedQuarantine(SwitchboardRuntime switchboard, AgentContext context) {
        this.switchboard = switchboard;
        this.context = context;
    }

    private ConnectionRuntime authorized(String connection, String stream, String opName) {
        ConnectionRuntime runtime = switchboard.current(connection);
        if (runtime == null) {
            throw switchboard.unknown(connection);
        }
        runtime.stream(stream, opName);
        runtime.authorize(
                context, runtime.operation(stream, Effect.READ, Operation.Kind.QUARANTINE, List.of(), null), opName);
        return runtime;
    }

    /** The quarantined record as this principal may see it, or null when it may not. */
    private @Nullable QuarantinedRecord visible(QuarantinedRecord q) {
        Record seen = switchboard.spec().accessPolicy().filter(context, q.record());
        if (seen == null) {
            return null;
        }
        return seen == q.record()
                ? q
                : new QuarantinedRecord(
                        q.connection(),
                        q.connector(),
                        q.stream(),
                        seen,
                        q.drifts(),
                        q.policy(),
                        q.reason(),
                        q.quarantinedAt());
    }

    @Override
    public List<QuarantinedRecord> list(String connection, String stream) {
        String opName = "quarantine " + stream;
        ConnectionRuntime runtime = authorized(connection, stream, opName);
        List<QuarantinedRecord> all = switchboard.spec().quarantine().list(connection, stream);
        List<QuarantinedRecord> shown = new ArrayList<>(all.size());
        List<String> ids = new ArrayList<>();
        for (QuarantinedRecord q : all) {
            QuarantinedRecord v = visible(q);
            if (v != null) {
                shown.add(v);
                if (ids.size() < AuditEvent.MAX_RECORD_IDS) {
                    ids.add(v.id());
                }
            }
        }
        switchboard
                .auditor()
                .record(runtime.event(context, AuditEvent.Kind.QUARANTINE, AuditEvent.Outcome.SUCCEEDED, stream)
                        .records(ids, shown.size())
                        .detail("listed " + shown.size() + " of " + all.size() + " quarantined record(s)")
                        .build());
        return List.copyOf(shown);
    }

    @Override
    public Optional<QuarantinedRecord> release(String connection, String stream, String recordId) {
        String opName = "quarantine " + stream;
        ConnectionRuntime runtime = authorized(connection, stream, opName);
        Optional<QuarantinedRecord> held = switchboard.spec().quarantine().list(connection, stream).stream()
                .filter(q -> q.id().equals(recordId))
                .findFirst();
        QuarantinedRecord v = held.map(this::visible).orElse(null);
        Optional<QuarantinedRecord> released =
                v == null ? Optional.empty() : switchboard.spec().quarantine().release(connection, stream, recordId);
        switchboard
                .auditor()
                .record(runtime.event(
                                context,
                                AuditEvent.Kind.QUARANTINE,
                                released.isPresent() ? AuditEvent.Outcome.SUCCEEDED : AuditEvent.Outcome.DENIED,
                                stream)
                        .records(List.of(recordId), 1)
                        .detail(
                                released.isPresent()
                                        ? "released"
                                        : "not released: not quarantined, or not visible" + " to this principal")
                        .build());
        return released.map(q -> v == null ? q : v);
    }
}
