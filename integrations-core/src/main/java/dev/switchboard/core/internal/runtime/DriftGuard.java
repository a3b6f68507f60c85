package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.internal.http.ConnectionHttp;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import io.micrometer.core.instrument.Counter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read's drift check: the source's metadata against the stream's contract when the read opens,
 * then every record as read, and the drift the connector's reader raises itself (Salesforce's
 * {@code INVALID_FIELD}). Decides, under the connection's {@link DriftPolicy}, whether a record
 * is delivered, quarantined, or stops the read; counts every drift as it is seen, and logs and
 * audits them once per (field, kind, shapes) per read when the read closes. Not thread-safe: it
 * belongs to one record stream.
 */
final class DriftGuard {
    /** Logs carry stream, field and shapes, never record values. */
    private static final Logger log = LoggerFactory.getLogger("dev.switchboard.drift");
    /** Ids kept per aggregated audit event; the count says how many there were. */
    static final int MAX_AUDITED_IDS = 1000;
    /**
     * The {@code field} tag of additive drift found in metadata: sources list hundreds of fields a
     * stream does not read (HubSpot), which must not become one time series each.
     */
    static final String ALL_FIELDS = "*";
    /** What the primary key and cursor must be, whatever the contract says: what checkpoints are made of. */
    private static final String KEY_SHAPE = "STRING | NUMBER";

    private final ConnectionRuntime connection;
    private final AgentContext context;
    private final StreamDescriptor stream;
    private final Schema contract;
    private final DriftPolicy policy;
    private final Set<String> keys;
    private final @Nullable Set<String> selected;
    private final Map<Seen, Tally> tallies = new LinkedHashMap<>();
    private int quarantined;

    /** What a drift led to; the {@code action} tag of {@code switchboard.drift}. */
    enum Action {
        REPORTED,
        QUARANTINED,
        FAILED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Seen(Drift drift, Action action) {}

    private static final class Tally {
        int count;
        final List<String> ids = new ArrayList<>();
    }

    /**
     * @param requestedFields the fields the caller asked for; a source that returns only those (SOQL,
     *     HubSpot properties) cannot be blamed for the others missing, so only these, the primary key
     *     and the cursor can be MISSING. Empty: every field.
     */
    DriftGuard(
            ConnectionRuntime connection, AgentContext context, StreamDescriptor stream, List<String> requestedFields) {
        this.connection = connection;
        this.context = context;
        this.stream = stream;
        this.contract = connection.contract(stream.name());
        this.policy = connection.driftPolicy();
        Set<String> k = new LinkedHashSet<>();
        k.add(stream.primaryKey());
        if (stream.cursorField() != null) {
            k.add(stream.cursorField());
        }
        this.keys = Set.copyOf(k);
        if (requestedFields.isEmpty()) {
            this.selected = null;
        } else {
            Set<String> s = new LinkedHashSet<>(requestedFields);
            s.addAll(keys);
            this.selected = Set.copyOf(s);
        }
    }

    /** Records quarantined by this read so far. */
    int quarantined() {
        return quarantined;
    }

    /**
     * Compares the contract with the source's metadata, at most once per stream and connection per
     * recheck interval ({@link Schema#diffMetadata}: nullability is checked per record, not here). Breaking drift on the primary key or cursor, or any breaking drift under
     * {@link DriftPolicy#FAIL}, stops the read before any record; the check then counts as not done,
     * so the next read asks again.
     */
    void checkMetadata(VendorHttp http) {
        Instant now = connection.parts().clock().instant();
        if (!connection.metadataDue(stream.name(), now)) {
            return;
        }
        Optional<Schema> described =
                connection.session().describe(stream, ConnectionHttp.withoutCallerInput(http)); // metadata
        if (described.isPresent()) {
            List<Drift> drifts = contract.diffMetadata(described.get()).drifts();
            List<Drift> breaking = drifts.stream().filter(Drift::breaking).toList();
            boolean fail = breaking.stream().anyMatch(d -> keys.contains(d.field()))
                    || (!breaking.isEmpty() && policy == DriftPolicy.FAIL);
            reportMetadata(drifts, fail);
            if (fail) {
                throw drift(
                        "the source's metadata no longer matches the contract of stream '" + stream.name() + "'",
                        breaking,
                        null);
            }
        }
        connection.metadataChecked(stream.name(), now);
    }

    /**
     * Judges one record as read: true to deliver it, false when it was quarantined (kept in the
     * store before this returns). Throws {@link SchemaDriftException} when the record must stop the
     * read, and a {@link PermanentException} when the store could not keep it: either way before the
     * checkpoint moves past it.
     */
    boolean admit(Record record) {
        List<Drift> drifts = contract.check(record.data());
        if (selected != null && !drifts.isEmpty()) {
            drifts = drifts.stream()
                    .filter(d -> d.kind() != Drift.Kind.MISSING || selected.contains(topLevel(d.field())))
                    .toList();
        }
        drifts = withKeyRule(record.data(), drifts);
        if (drifts.isEmpty()) {
            return true;
        }
        List<Drift> breaking = drifts.stream().filter(Drift::breaking).toList();
        List<Drift> onKeys =
                breaking.stream().filter(d -> keys.contains(d.field())).toList();
        if (!onKeys.isEmpty() || (!breaking.isEmpty() && policy == DriftPolicy.FAIL)) {
            note(record.id(), drifts, Action.FAILED);
            String where = onKeys.isEmpty()
                    ? ""
                    : " on its "
                            + (onKeys.stream().allMatch(d -> d.field().equals(stream.primaryKey()))
                                    ? "primary key"
                                    : "primary key or cursor field")
                            + ", which no policy can pass without skipping or repeating records";
            throw drift(
                    "record '" + record.id() + "' of stream '" + stream.name() + "' breaks the contract" + where,
                    breaking,
                    record.id());
        }
        if (breaking.isEmpty() || policy == DriftPolicy.REPORT) {
            note(record.id(), drifts, Action.REPORTED);
            return true;
        }
        List<Drift> ordered = new ArrayList<>(drifts);
        ordered.sort(Comparator.comparing((Drift d) -> !d.breaking()));
        QuarantinedRecord kept = new QuarantinedRecord(
                connection.id(),
                connection.descriptor().id(),
                stream.name(),
                record,
                ordered,
                policy,
                reason(breaking),
                connection.parts().clock().instant());
        try {
            connection.parts().quarantine().put(kept);
        } catch (RuntimeException e) {
            throw new PermanentException(
                    connection.descriptor().id(),
                    "read " + stream.name(),
                    "the quarantine store could not"
                            + " keep record '" + record.id()
                            + "', so the read stopped before it; fix the store, then resume from"
                            + " checkpoint()",
                    e);
        }
        quarantined++;
        counter("switchboard.records.quarantined").increment();
        note(record.id(), drifts, Action.QUARANTINED);
        return false;
    }

    /** The top-level field a drift's path starts with: {@code address} of {@code address.city} or {@code lines[].sku}. */
    private static String topLevel(String path) {
        int end = path.length();
        int dot = path.indexOf('.');
        int bracket = path.indexOf('[');
        if (dot >= 0) {
            end = dot;
        }
        if (bracket >= 0 && bracket < end) {
            end = bracket;
        }
        return path.substring(0, end);
    }

    /**
     * The primary key and cursor rule, which does not depend on how the contract declares them (a
     * pinned contract may mark them optional, or omit them): each must be present, non-null, and a
     * string or number, or the record breaks the contract on it. A breaking drift the contract
     * already found on a key stands; an additive one (the contract omits the key) gives way.
     */
    private List<Drift> withKeyRule(JsonObject data, List<Drift> drifts) {
        List<Drift> out = null;
        for (String key : keys) {
            // A record that matches its contract (the common case) allocates nothing here.
            if (!drifts.isEmpty()
                    && drifts.stream().anyMatch(d -> d.breaking() && d.field().equals(key))) {
                continue;
            }
            JsonValue value = data.get(key);
            Drift broken = value == null
                    ? new Drift(key, Drift.Kind.MISSING, keyShape(key), null)
                    : value.type() == JsonValue.Type.NULL
                            ? new Drift(key, Drift.Kind.NOW_NULLABLE, keyShape(key), "null")
                            : value instanceof JsonString || value instanceof JsonNumber
                                    ? null
                                    : new Drift(
                                            key,
                                            Drift.Kind.TYPE_CHANGED,
                                            keyShape(key),
                                            FieldType.of(value).name());
            if (broken == null) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(drifts);
            }
            out.removeIf(d -> d.field().equals(key));
            out.add(broken);
        }
        return out == null ? drifts : out;
    }

    /** The key's shape as the rule reads it: the contract's type when it names a scalar one, never nullable. */
    private String keyShape(String key) {
        return contract.field(key)
                .map(Schema.Field::type)
                .filter(t ->
                        t != FieldType.ANY && t != FieldType.BOOLEAN && t != FieldType.OBJECT && t != FieldType.ARRAY)
                .map(FieldType::name)
                .orElse(KEY_SHAPE);
    }

    /**
     * Runs connector code that reads the stream: breaking drift the connector names itself (Salesforce
     * turns {@code INVALID_FIELD} into {@link SchemaDriftException}) is counted, logged and audited
     * like the rest, with action {@code failed}, then rethrown.
     */
    <T> T fromConnector(Supplier<T> read) {
        try {
            return read.get();
        } catch (SchemaDriftException e) {
            List<String> ids = e.recordId().map(List::of).orElse(List.of());
            for (Drift d : e.drifts()) {
                count(d, Action.FAILED);
                log.warn(
                        "Schema drift named by the connector on connection '{}' stream '{}': {} {} ({}), policy {}, {}",
                        connection.id(),
                        stream.name(),
                        d.kind(),
                        d.field(),
                        shapes(d),
                        policy,
                        Action.FAILED.tag());
                audit(d, Action.FAILED, "connector", 1, ids, "");
            }
            throw e;
        }
    }

    /** Logs and audits what this read saw, once per (field, kind, shapes, action), and forgets it. */
    void report() {
        for (Map.Entry<Seen, Tally> e : tallies.entrySet()) {
            Drift d = e.getKey().drift();
            Tally t = e.getValue();
            String shapes = shapes(d);
            if (d.breaking()) {
                log.warn(
                        "Schema drift on connection '{}' stream '{}': {} {} ({}), {} record(s), policy {}, {}",
                        connection.id(),
                        stream.name(),
                        d.kind(),
                        d.field(),
                        shapes,
                        t.count,
                        policy,
                        e.getKey().action().tag());
            } else {
                log.info(
                        "Schema drift on connection '{}' stream '{}': {} {} ({}), {} record(s), policy {}, {}",
                        connection.id(),
                        stream.name(),
                        d.kind(),
                        d.field(),
                        shapes,
                        t.count,
                        policy,
                        e.getKey().action().tag());
            }
            audit(
                    d,
                    e.getKey().action(),
                    "records",
                    t.count,
                    t.ids,
                    t.count > t.ids.size() ? " (ids: the first " + t.ids.size() + ")" : "");
        }
        tallies.clear();
    }

    private void note(String id, List<Drift> drifts, Action recordAction) {
        for (Drift d : drifts) {
            // Additive drift changes nothing read under the contract: it is only ever reported.
            Action action = d.breaking() ? recordAction : Action.REPORTED;
            count(d, action);
            Tally t = tallies.computeIfAbsent(new Seen(d, action), k -> new Tally());
            t.count++;
            if (t.ids.size() < MAX_AUDITED_IDS) {
                t.ids.add(id);
            }
        }
    }

    private void reportMetadata(List<Drift> drifts, boolean fail) {
        List<Drift> added = new ArrayList<>();
        for (Drift d : drifts) {
            if (!d.breaking()) {
                added.add(d);
                continue;
            }
            Action action = fail ? Action.FAILED : Action.REPORTED;
            count(d, action);
            log.warn(
                    "Schema drift in the metadata of connection '{}' stream '{}': {} {} ({}), policy {}, {}",
                    connection.id(),
                    stream.name(),
                    d.kind(),
                    d.field(),
                    shapes(d),
                    policy,
                    action.tag());
            audit(d, action, "metadata", 1, List.of(), "");
        }
        if (!added.isEmpty()) {
            // Sources list far more fields than a stream reads (HubSpot: hundreds): one line and one event for all.
            List<String> names = added.stream().map(Drift::field).toList();
            count(ALL_FIELDS, Drift.Kind.ADDED, false, Action.REPORTED, names.size());
            String shown = names.size() <= 20
                    ? names.toString()
                    : names.subList(0, 20) + " and " + (names.size() - 20) + " more";
            log.info(
                    "The metadata of connection '{}' stream '{}' shows {} field(s) the contract lacks: {}",
                    connection.id(),
                    stream.name(),
                    names.size(),
                    shown);
            connection.audit(
                    context,
                    AuditEvent.Kind.DRIFT,
                    AuditEvent.Outcome.ALLOWED,
                    stream.name(),
                    List.of(),
                    "source=metadata kind=ADDED breaking=false fields=" + names.size() + " " + shown + " policy="
                            + policy + " action=reported");
        }
    }

    private void audit(Drift d, Action action, String source, int count, List<String> ids, String note) {
        AuditEvent.Outcome outcome = switch (action) {
            case REPORTED -> AuditEvent.Outcome.ALLOWED;
            case QUARANTINED -> AuditEvent.Outcome.DENIED;
            case FAILED -> AuditEvent.Outcome.FAILED;
        };
        connection.audit(
                context,
                AuditEvent.Kind.DRIFT,
                outcome,
                stream.name(),
                ids,
                "source=" + source + " field="
                        + d.field() + " kind=" + d.kind() + " breaking=" + d.breaking() + " expected=" + d.expected()
                        + " observed="
                        + d.observed() + " policy=" + policy + " action=" + action.tag() + " count=" + count + note);
    }

    private void count(Drift d, Action action) {
        count(d.field(), d.kind(), d.breaking(), action, 1);
    }

    private void count(String field, Drift.Kind kind, boolean breaking, Action action, int amount) {
        counter(
                        "switchboard.drift",
                        "field",
                        field,
                        "kind",
                        kind.name(),
                        "breaking",
                        Boolean.toString(breaking),
                        "action",
                        action.tag())
                .increment(amount);
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name)
                .tags("connector", connection.descriptor().id(), "connection", connection.id(), "stream", stream.name())
                .tags(tags)
                .register(connection.parts().meters());
    }

    private SchemaDriftException drift(String what, List<Drift> breaking, @Nullable String recordId) {
        return new SchemaDriftException(
                connection.descriptor().id(),
                "read " + stream.name(),
                what + ": " + breaking
                        + "; the read stopped before it. Pin a contract that accepts the new shape (ConnectionConfig.contract) or fix"
                        + " the source, then resume from checkpoint()",
                breaking,
                recordId,
                null);
    }

    private static String reason(List<Drift> breaking) {
        StringBuilder b = new StringBuilder();
        for (Drift d : breaking) {
            b.append(b.isEmpty() ? "" : "; ")
                    .append(d.kind())
                    .append(' ')
                    .append(d.field())
                    .append(": ")
                    .append(shapes(d));
        }
        return b.toString();
    }

    /** {@code expected STRING? observed INTEGER}: shapes only; UNKNOWN_VALUE's observed is the enumerated value. */
    private static String shapes(Drift d) {
        return "expected " + (d.expected() == null ? "nothing" : d.expected()) + ", observed "
                + (d.observed() == null ? "nothing" : d.observed());
    }
}
