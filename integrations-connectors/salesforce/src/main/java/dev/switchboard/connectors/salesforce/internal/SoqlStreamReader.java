package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.connectors.salesforce.internal.SalesforceObjects.ObjectDef;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads one sObject with SOQL: the first page from {@code /query?q=...}, the following ones from
 * the {@code nextRecordsUrl} locators (queryMore) until {@code done}. Rows come ordered by
 * (SystemModstamp, Id); a resumed read asks only for rows after the checkpoint's (cursor, id). A
 * field the org no longer has fails the query with {@code INVALID_FIELD}, which becomes
 * {@link dev.switchboard.core.error.SchemaDriftException} ({@link SalesforceErrors}).
 */
final class SoqlStreamReader implements StreamReader {
    private final StreamCall call;
    private final ObjectDef object;
    private final SalesforceRecords records;
    private final String budgetKey;
    private final String operation;
    /** The fields of the stream's contract and those every read needs: what a read selects unless the request names fewer. */
    private final Set<String> readable;

    private final List<String> selected;
    private @Nullable String nextUrl;
    private boolean started;

    SoqlStreamReader(StreamCall call, ObjectDef object, SalesforceRecords records, String budgetKey) {
        this.call = call;
        this.object = object;
        this.records = records;
        this.budgetKey = budgetKey;
        this.operation = "read " + call.stream().name();
        this.readable = readableFields();
        this.selected = List.copyOf(call.request().fields().isEmpty() ? readable : selectedFields());
    }

    @Override
    public Page nextPage() {
        VendorRequest request;
        if (!started) {
            request = VendorRequest.get(SalesforceApi.QUERY)
                    .query("q", query())
                    .operation("query " + object.name())
                    .budgetKey(budgetKey)
                    .header("Sforce-Query-Options", "batchSize=" + batchSize())
                    .build();
            started = true;
        } else if (nextUrl != null) {
            request = VendorRequest.get(nextUrl)
                    .operation("queryMore " + object.name())
                    .budgetKey(budgetKey)
                    .header("Sforce-Query-Options", "batchSize=" + batchSize())
                    .build();
        } else {
            return new Page(List.of(), true);
        }
        VendorResponse response = SalesforceErrors.execute(call.http(), request, operation);
        if (!(response.json() instanceof JsonObject body) || !(body.get("records") instanceof JsonArray rows)) {
            throw new PermanentException(SalesforceRecords.CONNECTOR, operation, "a query answer without 'records'");
        }
        List<Record> page = new ArrayList<>(rows.size());
        for (JsonValue v : rows) {
            if (!(v instanceof JsonObject row)) {
                throw new PermanentException(
                        SalesforceRecords.CONNECTOR, operation, "a query row that is not an object");
            }
            // Rows go out as read: core checks each against the stream's contract, under the connection's policy.
            page.add(records.map(call.stream().name(), object.ownerField(), row));
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
        return new Page(page, nextUrl == null);
    }

    private int batchSize() {
        int size = call.request().pageSize();
        return size <= 0 ? SalesforceApi.MAX_BATCH : Math.min(size, SalesforceApi.MAX_BATCH);
    }

    /**
     * The contract's fields (the declared ones, or those the connection pinned, an org's custom fields
     * and {@code CurrencyIsoCode} included), with Id, the cursor and the owner, which the checkpoint
     * and the ACL need.
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
        return object.ownerField().isEmpty()
                ? List.of(SalesforceObjects.ID, SalesforceObjects.CURSOR)
                : List.of(SalesforceObjects.ID, SalesforceObjects.CURSOR, object.ownerField());
    }

    /** The SOQL of the first page; every name is a field of the contract and an API name, every value is escaped. */
    String query() {
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
        for (Map.Entry<String, String> filter : call.request().filter().entrySet()) {
            if (!readable.contains(filter.getKey())) {
                throw new InvalidInputException(
                        SalesforceRecords.CONNECTOR,
                        operation,
                        "cannot filter on '" + abbreviate(filter.getKey()) + "': not a field of the contract of stream "
                                + object.name());
            }
            try {
                soql = soql.whereEquals(filter.getKey(), filter.getValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(SalesforceRecords.CONNECTOR, operation, String.valueOf(e.getMessage()));
            }
        }
        Position after = call.resumeAfter();
        if (after != null) {
            Instant cursor;
            try {
                cursor = SalesforceTime.parse(after.cursor());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                        SalesforceRecords.CONNECTOR,
                        operation,
                        "the checkpoint's cursor is not a Salesforce timestamp");
            }
            if (!SalesforceApi.RECORD_ID.matcher(after.id()).matches()) {
                throw new InvalidInputException(
                        SalesforceRecords.CONNECTOR, operation, "the checkpoint's id is not a Salesforce id");
            }
            soql = soql.after(SalesforceObjects.CURSOR, cursor, SalesforceObjects.ID, after.id());
        }
        return soql.orderBy(SalesforceObjects.CURSOR, SalesforceObjects.ID).text();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
