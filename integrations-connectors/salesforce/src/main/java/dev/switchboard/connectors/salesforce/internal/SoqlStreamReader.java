package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.connectors.salesforce.internal.SalesforceObjects.ObjectDef;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.governance.AccountIdentity;
import dev.switchboard.core.governance.RowScope;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.Visibility;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one sObject with SOQL: the first page from {@code /query?q=...} (a resumed read of an object that
 * can be deleted asks {@code /queryAll}, so the recycle bin's rows come as tombstones), the following ones from the
 * {@code nextRecordsUrl} locators (queryMore) until {@code done}. Rows come ordered by
 * (SystemModstamp, Id), each with its position.
 *
 * <p>A resumed read asks for every row stamped at or after the checkpoint's SystemModstamp minus the
 * look-back: Salesforce stamps a row when its transaction starts, so a long transaction commits rows
 * behind a checkpoint that has already moved past their stamp. The rows at or before the checkpoint's
 * (SystemModstamp, Id) are handed over again as overlap, which leaves the checkpoint where it was; with
 * a zero look-back the read asks only for rows strictly after it.
 *
 * <p>An expired locator ({@code INVALID_QUERY_LOCATOR}: 15 minutes idle, or too many open) restarts the
 * query strictly after the last row this reader returned, at most {@value #MAX_RESTARTS} times in a row
 * without a row in between. A field the org no longer has fails the query with {@code INVALID_FIELD},
 * which becomes {@link dev.switchboard.core.error.SchemaDriftException} ({@link SalesforceErrors}).
 */
final class SoqlStreamReader implements StreamReader {
    private static final Logger log = LoggerFactory.getLogger(SoqlStreamReader.class);
    static final int MAX_RESTARTS = 3;

    private final StreamCall call;
    private final ObjectDef object;
    private final SalesforceRecords records;
    private final SalesforceSharing sharing;
    private final String budgetKey;
    private final String operation;
    private final Duration lookback;
    private final boolean withDeletes;
    /** The fields of the stream's contract and those every read needs: what a read selects unless the request names fewer. */
    private final Set<String> readable;

    private final List<String> selected;
    private final @Nullable Position resume;
    private @Nullable String nextUrl;
    private boolean started;
    /** The last row handed over, overlap included: where a restarted query continues. */
    private @Nullable Position lastReturned;

    private int restarts;
    /** The org's defaults, read once this read needs them (the push-down decision or the first rows' ACLs). */
    private @Nullable Map<String, String> defaults;
    /** The owners the query is narrowed to ({@code OwnerId IN (...)}), or null when nothing is pushed down. */
    private @Nullable List<String> pushedOwners;

    SoqlStreamReader(
            StreamCall call,
            ObjectDef object,
            SalesforceRecords records,
            SalesforceSharing sharing,
            String budgetKey,
            Duration lookback) {
        this.call = call;
        this.object = object;
        this.records = records;
        this.sharing = sharing;
        this.budgetKey = budgetKey;
        this.operation = "read " + call.stream().name();
        this.lookback = lookback;
        this.resume = checkedResume(call.resumeAfter());
        // A read from the beginning has nothing to delete from its consumer's copy: query leaves the recycle
        // bin out. A resumed one asks queryAll, so records deleted since come as tombstones.
        this.withDeletes = call.stream().reportsDeletes() && object.deletable() && resume != null;
        this.readable = readableFields();
        this.selected = List.copyOf(call.request().fields().isEmpty() ? readable : selectedFields());
    }

    @Override
    public Page nextPage() {
        VendorResponse response;
        if (!started) {
            started = true;
            if (seesNothing()) {
                // The policy keeps nothing of this read for its principal: the org is not asked.
                return new Page(List.of(), true);
            }
            pushedOwners = pushedOwners();
            response = send(firstPage(query(resume, true)));
        } else if (nextUrl != null) {
            response = queryMore(nextUrl);
        } else {
            return new Page(List.of(), true);
        }
        if (!(response.json() instanceof JsonObject body) || !(body.get("records") instanceof JsonArray rows)) {
            throw new PermanentException(SalesforceRecords.CONNECTOR, operation, "a query answer without 'records'");
        }
        List<JsonObject> answered = new ArrayList<>(rows.size());
        for (JsonValue v : rows) {
            if (!(v instanceof JsonObject row)) {
                throw new PermanentException(
                        SalesforceRecords.CONNECTOR, operation, "a query row that is not an object");
            }
            answered.add(row);
        }
        Visibility visibility = Visibility.PRIVATE;
        Map<String, Set<String>> shares = Map.of();
        if (!answered.isEmpty() && !object.ownerField().isEmpty() && records.orgId() != null) {
            visibility = SalesforceSharing.visibility(object.name(), defaults());
            if (sharing.readsSharesOf(object.name(), visibility)) {
                List<String> ids = new ArrayList<>(answered.size());
                answered.forEach(r -> {
                    String id = r.string(SalesforceObjects.ID);
                    if (id != null) {
                        ids.add(id);
                    }
                });
                shares = sharing.shares(call.http(), budgetKey, object.name(), ids);
            }
        }
        Page.Builder page = Page.builder();
        for (JsonObject row : answered) {
            // Rows go out as read: core checks each against the stream's contract, under the connection's policy.
            String rowId = row.string(SalesforceObjects.ID);
            Record record = records.map(
                    call.stream().name(),
                    object.ownerField(),
                    row,
                    visibility,
                    rowId == null ? Set.of() : shares.getOrDefault(rowId, Set.of()));
            String stamp = row.string(SalesforceObjects.CURSOR);
            if (stamp == null) {
                // core stops the read on it: the contract promises a SystemModstamp
                page.addOverlap(record);
                continue;
            }
            Position at = Position.of(stamp, record.id());
            if (resume != null && !after(at, resume)) {
                page.addOverlap(record); // read again from the look-back: the checkpoint stays put
            } else {
                page.add(record, at);
            }
            lastReturned = at;
            restarts = 0;
        }
        Boolean done = body.bool("done");
        String next = body.string("nextRecordsUrl");
        if (Boolean.FALSE.equals(done) && (next == null || !SalesforceApi.isQueryLocator(next))) {
            throw new PermanentException(
                    SalesforceRecords.CONNECTOR,
                    operation,
                    "a query answer that is not done but has no query locator to continue from");
        }
        nextUrl = Boolean.FALSE.equals(done) ? next : null;
        return page.build(nextUrl == null);
    }

    private Map<String, String> defaults() {
        Map<String, String> d = defaults;
        if (d == null) {
            d = sharing.defaults(call.http(), budgetKey);
            defaults = d;
        }
        return d;
    }

    /**
     * Whether the policy keeps no record of this read for its principal: it says so, or the principal's
     * identity is in another org (every record's ACL is of this org, none public), or the connection names
     * no org (records then carry no ACL, which the row rule withholds).
     */
    private boolean seesNothing() {
        RowScope scope = call.rowScope();
        if (scope.keepsNothing()) {
            return true;
        }
        AccountIdentity identity = scope.identity();
        return identity != null && !identity.tenant().equals(records.orgId());
    }

    /**
     * The owners a read may be narrowed to: exactly what the row rule admits when the object's records are
     * private to their owners and carry no shares (the principal's own id, and the groups that may own a
     * record: queues); null, pushing nothing, whenever that is not the whole rule (a public default, shares
     * read, no identity), since the query may be wider than the rule but never narrower.
     */
    private @Nullable List<String> pushedOwners() {
        AccountIdentity identity = call.rowScope().identity();
        if (identity == null || object.ownerField().isEmpty()) {
            return null;
        }
        if (SalesforceSharing.visibility(object.name(), defaults()) != Visibility.PRIVATE
                || sharing.readsSharesOf(object.name(), Visibility.PRIVATE)) {
            return null;
        }
        List<String> owners = new ArrayList<>();
        if (identity.userId() != null) {
            owners.add(identity.userId());
        }
        for (String group : identity.groups()) {
            if (group.startsWith(SalesforceSharing.GROUP_ROLE)) {
                owners.add(group.substring(SalesforceSharing.GROUP_ROLE.length()));
            }
        }
        return owners.isEmpty() ? null : owners;
    }

    /** The next page from a locator, or, when it expired, from a new query after the last row returned. */
    private VendorResponse queryMore(String locator) {
        try {
            return send(VendorRequest.get(locator)
                    .operation("queryMore " + object.name())
                    .budgetKey(budgetKey)
                    .header("Sforce-Query-Options", "batchSize=" + batchSize())
                    .build());
        } catch (PermanentException e) {
            if (!e.vendorCode().filter("INVALID_QUERY_LOCATOR"::equals).isPresent()) {
                throw e;
            }
            if (++restarts > MAX_RESTARTS) {
                throw new TransientException(
                        SalesforceRecords.CONNECTOR,
                        operation,
                        "Salesforce expired the query locator " + restarts
                                + " times in a row before it returned a row (INVALID_QUERY_LOCATOR: too many open"
                                + " queries for this user, or more than 15 minutes between pages); resume from the"
                                + " checkpoint later",
                        e);
            }
            log.debug(
                    "{}: the query locator expired (INVALID_QUERY_LOCATOR); querying again after the last row",
                    operation);
            // Strictly after the last row handed over: the look-back was already re-read by this read.
            Position from = lastReturned != null ? lastReturned : resume;
            return send(firstPage(query(from, lastReturned == null)));
        }
    }

    private VendorRequest firstPage(String soql) {
        return VendorRequest.get(withDeletes ? SalesforceApi.QUERY_ALL : SalesforceApi.QUERY)
                .query("q", soql)
                .operation((withDeletes ? "queryAll " : "query ") + object.name())
                .budgetKey(budgetKey)
                .header("Sforce-Query-Options", "batchSize=" + batchSize())
                .build();
    }

    private VendorResponse send(VendorRequest request) {
        return SalesforceErrors.execute(call.http(), request, operation);
    }

    /** Whether {@code p} comes after {@code q} in (SystemModstamp, Id) order. */
    private static boolean after(Position p, Position q) {
        int byTime = SalesforceTime.parse(p.cursor()).compareTo(SalesforceTime.parse(q.cursor()));
        return byTime != 0 ? byTime > 0 : p.id().compareTo(q.id()) > 0;
    }

    private int batchSize() {
        int size = call.request().pageSize();
        return size <= 0 ? SalesforceApi.MAX_BATCH : Math.min(size, SalesforceApi.MAX_BATCH);
    }

    /**
     * The contract's fields (the declared ones, or those the connection pinned, an org's custom fields
     * and {@code CurrencyIsoCode} included), with Id, the cursor and the owner, which the checkpoint
     * and the ACL need, and IsDeleted where a row may come from the recycle bin.
     */
    private Set<String> readableFields() {
        Set<String> fields = new LinkedHashSet<>();
        call.stream().schema().fields().forEach(f -> fields.add(f.name()));
        fields.addAll(alwaysRead());
        return fields;
    }

    /** The requested fields (core checked they are in the contract), after those every read needs. */
    private List<String> selectedFields() {
        Set<String> fields = new LinkedHashSet<>(alwaysRead());
        fields.addAll(call.request().fields());
        return List.copyOf(fields);
    }

    private List<String> alwaysRead() {
        List<String> fields = new ArrayList<>(List.of(SalesforceObjects.ID, SalesforceObjects.CURSOR));
        if (!object.ownerField().isEmpty()) {
            fields.add(object.ownerField());
        }
        if (withDeletes) {
            fields.add(SalesforceObjects.IS_DELETED);
        }
        return fields;
    }

    /** The checkpoint's position, checked before it enters a query. */
    private @Nullable Position checkedResume(@Nullable Position after) {
        if (after == null) {
            return null;
        }
        try {
            SalesforceTime.parse(after.cursor());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    SalesforceRecords.CONNECTOR, operation, "the checkpoint's cursor is not a Salesforce timestamp");
        }
        if (!SalesforceApi.RECORD_ID.matcher(after.id()).matches()) {
            throw new InvalidInputException(
                    SalesforceRecords.CONNECTOR, operation, "the checkpoint's id is not a Salesforce id");
        }
        return after;
    }

    /** The SOQL of the first page, resumed from the checkpoint (with the look-back) or from its beginning. */
    String query() {
        return query(resume, true);
    }

    /**
     * The SOQL of a query after {@code from} (null: from the beginning); with {@code lookBack}, from the
     * look-back window before it. Every name is a field of the contract and an API name, every value a
     * literal of its field's type.
     */
    private String query(@Nullable Position from, boolean lookBack) {
        Soql soql;
        try {
            soql = Soql.from(object.name(), readable).select(selected);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    SalesforceRecords.CONNECTOR,
                    operation,
                    "the contract of stream " + object.name()
                            + " names a field that is not a Salesforce API name (" + e.getMessage()
                            + "); pin a contract of API names"
                            + " (ConnectionConfig.contract)");
        }
        Schema contract = call.stream().schema();
        for (Map.Entry<String, String> filter : call.request().filter().entrySet()) {
            if (!readable.contains(filter.getKey())) {
                throw new InvalidInputException(
                        SalesforceRecords.CONNECTOR,
                        operation,
                        "cannot filter on '" + abbreviate(filter.getKey()) + "': not a field of the contract of stream "
                                + object.name());
            }
            Schema.Field field = contract.field(filter.getKey()).orElse(null);
            FieldType type = field == null ? FieldType.STRING : field.type();
            try {
                soql = soql.whereEquals(filter.getKey(), type, filter.getValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                        SalesforceRecords.CONNECTOR,
                        operation,
                        "cannot filter " + filter.getKey() + " (" + type + ") on that value: " + e.getMessage());
            }
        }
        List<String> owners = pushedOwners;
        if (owners != null) {
            soql = soql.whereIn(object.ownerField(), owners);
        }
        if (from != null) {
            Instant cursor = SalesforceTime.parse(from.cursor());
            if (lookBack && !lookback.isZero()) {
                soql = soql.atOrAfter(SalesforceObjects.CURSOR, cursor.minus(lookback));
            } else {
                soql = soql.after(SalesforceObjects.CURSOR, cursor, SalesforceObjects.ID, from.id());
            }
        }
        return soql.orderBy(SalesforceObjects.CURSOR, SalesforceObjects.ID).text();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
