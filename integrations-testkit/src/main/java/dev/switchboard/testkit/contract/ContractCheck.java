package dev.switchboard.testkit.contract;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a connection's streams against their pinned contracts ({@link Connection#contract}). For
 * each stream it reads up to a limit of records and checks each one ({@link Schema#check}), and
 * diffs the source's description of the stream ({@link Connection#describe}) against the contract
 * ({@link Schema#diffMetadata}, as core's read loop does). Core's read loop checks drift too; the
 * check needs the connection's drift policy to be {@link DriftPolicy#REPORT} so that records with
 * breaking drift still come back and the harness sees each one itself.
 *
 * <p>Under every policy, core stops a read on a record whose primary key or cursor breaks the rule
 * (absent, null, not a string or number), and before any record when the metadata shows them
 * changed; the connector may stop it too (Salesforce's {@code INVALID_FIELD}). The check then
 * reports the read's {@link SchemaDriftException} as an error and its drifts as differences: seen
 * in {@link Difference.Seen#RECORDS} when a record stopped the read (its id among the record ids;
 * it is not counted in {@link StreamResult#recordsRead()}), otherwise under
 * {@link Difference.Seen#CONNECTOR}, except those its own metadata diff lists already (the same
 * field and kind): each difference is listed once. A stream that cannot be read or described is
 * reported with its typed error; {@link #run()} throws only for a misconfigured check.
 *
 * <pre>{@code
 * ContractReport report = ContractCheck.on(connection, context).maxRecords(200).build().run();
 * report.assertNoBreakingDrift();          // in a test: fails with the report as text
 * System.out.println(report.toJson());     // on a schedule
 * }</pre>
 *
 * Thread-safe to run more than once; each run reads again.
 */
public final class ContractCheck {
    /** Records read per stream unless {@link Builder#maxRecords(int)} says otherwise. */
    public static final int DEFAULT_MAX_RECORDS = 500;
    /** How many ids of the records showing a difference the report keeps. */
    public static final int RECORD_IDS_KEPT = 3;

    private final Connection connection;
    private final AgentContext context;
    private final List<ReadRequest> requests;
    private final int maxRecords;
    private final Clock clock;

    private ContractCheck(Builder b, List<ReadRequest> requests) {
        this.connection = b.connection;
        this.context = b.context;
        this.requests = List.copyOf(requests);
        this.maxRecords = b.maxRecords;
        this.clock = b.clock;
    }

    /** A check of {@code connection}'s streams, read as {@code context}'s principal. */
    public static Builder on(Connection connection, AgentContext context) {
        return new Builder(connection, context);
    }

    /** A check of the connection {@code connectionId} of {@code switchboard}. */
    public static Builder on(Switchboard switchboard, String connectionId, AgentContext context) {
        return new Builder(switchboard.connection(connectionId), context);
    }

    /** The streams this check reads, in order. */
    public List<String> streams() {
        return requests.stream().map(ReadRequest::stream).toList();
    }

    /** Reads and describes every stream, and reports what departs from the contracts. */
    public ContractReport run() {
        List<StreamResult> results = new ArrayList<>();
        for (ReadRequest request : requests) {
            results.add(check(request));
        }
        return new ContractReport(connection.id(), connection.descriptor().id(), clock.instant(), results);
    }

    private StreamResult check(ReadRequest request) {
        String stream = request.stream();
        Schema contract = connection.contract(stream);
        RecordDifferences seen = new RecordDifferences(contract);
        SchemaDriftException stopped = null;
        List<StreamError> errors = new ArrayList<>();
        boolean truncated = false;
        try (RecordStream records = connection.read(context, request)) {
            Iterator<Record> it = records.iterator();
            // The limit is checked first: asking hasNext() past it could fetch a page the check never reads.
            while (seen.count() < maxRecords && it.hasNext()) {
                seen.add(it.next());
            }
            truncated = seen.count() >= maxRecords;
        } catch (SchemaDriftException e) {
            // Core (on a record, or on the metadata) or the connector stopped the read: its drifts are the news.
            stopped = e;
            errors.add(error("read", e));
        } catch (RuntimeException e) {
            errors.add(error("read", e));
        }
        List<Difference> metadata = new ArrayList<>();
        boolean described = false;
        try {
            Optional<Schema> description = connection.describe(context, stream);
            if (description.isPresent()) {
                described = true;
                for (Drift d : contract.diffMetadata(description.get()).drifts()) {
                    metadata.add(new Difference(
                            d.field(), d.kind(), d.expected(), d.observed(), Difference.Seen.METADATA, 0, List.of()));
                }
            }
        } catch (RuntimeException e) {
            errors.add(error("describe", e));
        }
        List<Difference> connectorDrift = new ArrayList<>();
        if (stopped != null && stopped.recordId().isPresent()) {
            seen.stoppedOn(stopped.recordId().get(), stopped.drifts());
        } else if (stopped != null) {
            for (Drift d : stopped.drifts()) {
                // Core's metadata check stopped the read: the harness's own diff of the same metadata lists it.
                if (metadata.stream().noneMatch(m -> m.field().equals(d.field()) && m.kind() == d.kind())) {
                    connectorDrift.add(new Difference(
                            d.field(), d.kind(), d.expected(), d.observed(), Difference.Seen.CONNECTOR, 0, List.of()));
                }
            }
        }
        List<Difference> all = new ArrayList<>(seen.differences());
        all.addAll(metadata);
        all.addAll(connectorDrift);
        return new StreamResult(stream, seen.count(), truncated, described, all, errors);
    }

    private static StreamError error(String phase, RuntimeException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String nextStep = e instanceof SwitchboardException s ? s.nextStep().name() : null;
        return new StreamError(phase, e.getClass().getSimpleName(), nextStep, message);
    }

    /** Each record's drifts, merged by field and kind, in the order first seen. */
    private static final class RecordDifferences {
        private final Schema contract;
        private final Map<String, Merged> byKey = new LinkedHashMap<>();
        private int count;

        RecordDifferences(Schema contract) {
            this.contract = contract;
        }

        int count() {
            return count;
        }

        void add(Record record) {
            count++;
            for (Drift d : contract.check(record.data())) {
                String observed = d.observed();
                if (d.kind() == Drift.Kind.ADDED && record.data().get(d.field()) instanceof JsonNull) {
                    observed = "null"; // Schema.check types a null as ANY; a reader wants to know it was null
                }
                merge(d, observed, record.id());
            }
        }

        /** The drifts of the record on which core stopped the read: never delivered, so not counted as read. */
        void stoppedOn(String recordId, List<Drift> drifts) {
            drifts.forEach(d -> merge(d, d.observed(), recordId));
        }

        private void merge(Drift d, @Nullable String observed, String recordId) {
            byKey.computeIfAbsent(d.field() + "\u0000" + d.kind(), k -> new Merged(d))
                    .add(observed, recordId);
        }

        List<Difference> differences() {
            return byKey.values().stream().map(Merged::difference).toList();
        }
    }

    private static final class Merged {
        private final Drift first;
        private final Set<String> observed = new LinkedHashSet<>();
        private final List<String> ids = new ArrayList<>();
        private int records;

        Merged(Drift first) {
            this.first = first;
        }

        void add(@Nullable String shape, String id) {
            if (shape != null) {
                observed.add(shape);
            }
            records++;
            if (ids.size() < RECORD_IDS_KEPT) {
                ids.add(id);
            }
        }

        Difference difference() {
            return new Difference(
                    first.field(),
                    first.kind(),
                    first.expected(),
                    observed.isEmpty() ? null : String.join(" | ", observed),
                    Difference.Seen.RECORDS,
                    records,
                    ids);
        }
    }

    /** Builds a {@link ContractCheck}; every stream of the connector unless {@link #streams} names some. */
    public static final class Builder {
        private final Connection connection;
        private final AgentContext context;
        private final List<String> streams = new ArrayList<>();
        private final Map<String, ReadRequest> requests = new LinkedHashMap<>();
        private int maxRecords = DEFAULT_MAX_RECORDS;
        private Clock clock = Clock.systemUTC();

        private Builder(Connection connection, AgentContext context) {
            this.connection = Objects.requireNonNull(connection, "connection");
            this.context = Objects.requireNonNull(context, "context");
        }

        /** Checks only these streams, in this order. */
        public Builder streams(String... streams) {
            return streams(List.of(streams));
        }

        /** Checks only these streams, in this order. */
        public Builder streams(Collection<String> streams) {
            this.streams.clear();
            this.streams.addAll(streams);
            return this;
        }

        /**
         * Reads a stream with this request (its filter, fields or page size) instead of a plain
         * {@code ReadRequest.of(stream)}: e.g. Slack's messages filtered to one channel. A checkpoint in
         * it is rejected: the check reads from the start.
         */
        public Builder request(ReadRequest request) {
            if (request.since() != null) {
                throw new IllegalArgumentException(
                        "the contract check reads from the start: pass a request without a checkpoint");
            }
            requests.put(request.stream(), request);
            return this;
        }

        /** The most records read per stream (default {@value #DEFAULT_MAX_RECORDS}). */
        public Builder maxRecords(int maxRecords) {
            if (maxRecords < 1) {
                throw new IllegalArgumentException("maxRecords must be at least 1, not " + maxRecords);
            }
            this.maxRecords = maxRecords;
            return this;
        }

        /** The clock that stamps the report (default the system's, UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalArgumentException if the connection's drift policy is not REPORT, or a stream
         *     named is not the connector's
         */
        public ContractCheck build() {
            DriftPolicy policy = connection.driftPolicy();
            if (policy != DriftPolicy.REPORT) {
                throw new IllegalArgumentException("connection '" + connection.id() + "' has drift policy " + policy
                        + ", which holds back records that break the contract; the check must see every record: configure the"
                        + " connection with driftPolicy(DriftPolicy.REPORT)");
            }
            List<String> known = connection.descriptor().streams().stream()
                    .map(StreamDescriptor::name)
                    .toList();
            List<String> names = streams.isEmpty() ? known : List.copyOf(new LinkedHashSet<>(streams));
            for (String name : names) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("connector '"
                            + connection.descriptor().id() + "' has no stream '" + name + "'; streams: " + known);
                }
            }
            for (String name : requests.keySet()) {
                if (!names.contains(name)) {
                    throw new IllegalArgumentException("a read request is given for stream '" + name
                            + "', which this check does not read; streams checked: " + names);
                }
            }
            return new ContractCheck(
                    this,
                    names.stream()
                            .map(n -> requests.getOrDefault(n, ReadRequest.of(n)))
                            .toList());
        }
    }
}
