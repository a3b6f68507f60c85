package dev.switchboard.testkit.contract;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ContractCheck} found: per stream, every difference from the pinned contract
 * (additive or breaking, where it showed, in how many records), the records read and the errors.
 * Immutable. {@link #toText()} is for people, {@link #toJson()} for schedulers; neither holds a
 * credential.
 */
public final class ContractReport {
    private final String connection;
    private final String connector;
    private final Instant checkedAt;
    private final List<StreamResult> streams;

    public ContractReport(String connection, String connector, Instant checkedAt, List<StreamResult> streams) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.checkedAt = Objects.requireNonNull(checkedAt, "checkedAt");
        this.streams = List.copyOf(streams);
    }

    /** The overall outcome, as schedulers read it. */
    public enum Status {
        /** Every stream was checked and nothing breaking showed. */
        OK,
        /** Something breaking showed. */
        BREAKING,
        /** Nothing breaking showed, but some stream could not be read or described. */
        INCOMPLETE
    }

    public String connection() {
        return connection;
    }

    public String connector() {
        return connector;
    }

    public Instant checkedAt() {
        return checkedAt;
    }

    public List<StreamResult> streams() {
        return streams;
    }

    /** The result of one stream. */
    public Optional<StreamResult> stream(String name) {
        return streams.stream().filter(s -> s.stream().equals(name)).findFirst();
    }

    public boolean hasBreaking() {
        return streams.stream().anyMatch(StreamResult::hasBreaking);
    }

    /** Whether some stream could not be read or described. */
    public boolean hasErrors() {
        return streams.stream().anyMatch(s -> !s.errors().isEmpty());
    }

    public Status status() {
        return hasBreaking() ? Status.BREAKING : hasErrors() ? Status.INCOMPLETE : Status.OK;
    }

    /** Every breaking difference, of every stream. */
    public List<Difference> breaking() {
        return streams.stream().flatMap(s -> s.breaking().stream()).toList();
    }

    /** Every additive difference, of every stream. */
    public List<Difference> additive() {
        return streams.stream().flatMap(s -> s.additive().stream()).toList();
    }

    /**
     * For tests: passes when every stream was read and nothing breaking showed; else fails with this
     * report as text.
     *
     * @throws AssertionError naming every breaking difference and error
     */
    public ContractReport assertNoBreakingDrift() {
        if (status() != Status.OK) {
            throw new AssertionError("the contract check found "
                    + (hasBreaking() ? "breaking drift" : "streams it could not check") + ":\n" + toText());
        }
        return this;
    }

    /** The report for people: one line per difference and error, breaking ones marked. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append("Contract check of connection '")
                .append(connection)
                .append("' (connector ")
                .append(connector)
                .append(") at ")
                .append(checkedAt)
                .append(": ")
                .append(
                        switch (status()) {
                            case OK -> "no breaking drift";
                            case BREAKING -> "BREAKING DRIFT";
                            case INCOMPLETE -> "no breaking drift seen, but some streams could not be checked";
                        })
                .append('\n');
        for (StreamResult s : streams) {
            out.append("stream ")
                    .append(s.stream())
                    .append(": ")
                    .append(s.recordsRead())
                    .append(" records read")
                    .append(s.truncated() ? " (stopped at the limit)" : "")
                    .append(s.metadataChecked() ? ", metadata described" : ", no metadata described")
                    .append('\n');
            for (Difference d : s.differences()) {
                out.append("  ")
                        .append(d.breaking() ? "BREAKING " : "additive ")
                        .append(d.kind())
                        .append(' ')
                        .append(d.field())
                        .append(": expected ")
                        .append(d.expected() == null ? "(not in contract)" : d.expected())
                        .append(", observed ")
                        .append(d.observed() == null ? "(absent)" : d.observed())
                        .append(" [")
                        .append(d.seen().label());
                if (d.records() > 0) {
                    out.append(", ")
                            .append(d.records())
                            .append(d.records() == 1 ? " record" : " records")
                            .append(", e.g. ")
                            .append(String.join(", ", d.recordIds()));
                }
                out.append("]\n");
            }
            for (StreamError e : s.errors()) {
                out.append("  ERROR in ")
                        .append(e.phase())
                        .append(": ")
                        .append(e.type())
                        .append(e.nextStep() == null ? "" : " (next step " + e.nextStep() + ")")
                        .append(": ")
                        .append(e.message())
                        .append('\n');
            }
        }
        out.append("summary: ")
                .append(breaking().size())
                .append(" breaking, ")
                .append(additive().size())
                .append(" additive, ")
                .append(streams.stream().mapToInt(s -> s.errors().size()).sum())
                .append(" errors in ")
                .append(streams.size())
                .append(streams.size() == 1 ? " stream" : " streams")
                .append('\n');
        return out.toString();
    }

    /** The report as one JSON object, for schedulers and dashboards. */
    public String toJson() {
        return toJsonValue().toJson();
    }

    /** The report as a JSON value: {@code status}, counts, and per stream its differences and errors. */
    public JsonObject toJsonValue() {
        JsonArray.Builder list = JsonArray.builder();
        for (StreamResult s : streams) {
            JsonArray.Builder differences = JsonArray.builder();
            for (Difference d : s.differences()) {
                differences.add(JsonObject.builder()
                        .put("field", d.field())
                        .put("kind", d.kind().name())
                        .put("classification", d.breaking() ? "breaking" : "additive")
                        .put("expected", text(d.expected()))
                        .put("observed", text(d.observed()))
                        .put("seen", d.seen().label())
                        .put("records", d.records())
                        .put(
                                "recordIds",
                                JsonArray.of(d.recordIds().stream()
                                        .map(id -> (JsonValue) new JsonString(id))
                                        .toList()))
                        .build());
            }
            JsonArray.Builder errors = JsonArray.builder();
            for (StreamError e : s.errors()) {
                errors.add(JsonObject.builder()
                        .put("phase", e.phase())
                        .put("type", e.type())
                        .put("nextStep", text(e.nextStep()))
                        .put("message", e.message())
                        .build());
            }
            list.add(JsonObject.builder()
                    .put("stream", s.stream())
                    .put("recordsRead", s.recordsRead())
                    .put("truncated", s.truncated())
                    .put("metadataChecked", s.metadataChecked())
                    .put("breaking", s.breaking().size())
                    .put("additive", s.additive().size())
                    .put("differences", differences.build())
                    .put("errors", errors.build())
                    .build());
        }
        return JsonObject.builder()
                .put("connection", connection)
                .put("connector", connector)
                .put("checkedAt", checkedAt.toString())
                .put("status", status().name())
                .put("breaking", breaking().size())
                .put("additive", additive().size())
                .put("errors", streams.stream().mapToInt(s -> s.errors().size()).sum())
                .put("streams", list.build())
                .build();
    }

    private static JsonValue text(@Nullable String value) {
        return value == null ? JsonNull.INSTANCE : new JsonString(value);
    }

    @Override
    public String toString() {
        return "ContractReport[" + connection + ", " + status() + ", "
                + breaking().size() + " breaking, " + additive().size() + " additive]";
    }
}
