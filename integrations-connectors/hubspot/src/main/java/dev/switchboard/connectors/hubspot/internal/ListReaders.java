package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The full (not incremental) streams, read with GET and {@code paging.next.after}. */
final class ListReaders {
    private static final int MAX_LIST_LIMIT = 100;

    private ListReaders() {}

    private static int limit(StreamCall call) {
        int asked = call.request().pageSize();
        return asked <= 0 ? MAX_LIST_LIMIT : Math.min(asked, MAX_LIST_LIMIT);
    }

    private static @Nullable String nextAfter(JsonObject body) {
        JsonObject paging = body.object("paging");
        JsonObject next = paging == null ? null : paging.object("next");
        return next == null ? null : next.string("after");
    }

    private static JsonArray results(JsonObject body) {
        JsonArray results = body.array("results");
        return results == null ? JsonArray.empty() : results;
    }

    /** {@code GET /crm/v3/owners}: the portal's users who can own records. */
    static StreamReader owners(StreamCall call, HubSpotRecords records, String budgetKey) {
        return new StreamReader() {
            private @Nullable String after;

            @Override
            public Page nextPage() {
                VendorRequest.Builder request = VendorRequest.get("/crm/v3/owners")
                        .query("limit", Integer.toString(limit(call)))
                        .operation("list owners")
                        .budgetKey(budgetKey);
                if (after != null) {
                    request.query("after", after);
                }
                JsonObject body = HubSpotErrors.send(call.http(), request.build());
                List<Record> page = new ArrayList<>();
                for (JsonValue v : results(body)) {
                    page.add(records.owner((JsonObject) v));
                }
                after = nextAfter(body);
                return new Page(page, after == null);
            }
        };
    }

    /**
     * Association edges, from {@code GET /crm/v3/objects/{from}?associations={to,...}}: each object
     * lists the ids it is associated with ({@code associations.{to}.results[{id, type}]}). Pairs are
     * read from one side only (contacts to companies, deals and tickets; companies to deals and
     * tickets; deals to tickets), so each edge comes once. A filter {@code fromObjectType} narrows the
     * read to one side.
     */
    static StreamReader associations(StreamCall call, HubSpotRecords records, String budgetKey) {
        List<String> froms = new ArrayList<>();
        String only = call.request().filter().get("fromObjectType");
        for (String from : HubSpotObjects.CRM_OBJECTS) {
            if (HubSpotObjects.ASSOCIATION_PAIRS.containsKey(from) && (only == null || only.equals(from))) {
                froms.add(from);
            }
        }
        return new StreamReader() {
            private int index;
            private @Nullable String after;

            @Override
            public Page nextPage() {
                if (index >= froms.size()) {
                    return new Page(List.of(), true);
                }
                String from = froms.get(index);
                List<String> tos = Objects.requireNonNull(
                        HubSpotObjects.ASSOCIATION_PAIRS.get(from), "froms holds keys of ASSOCIATION_PAIRS");
                VendorRequest.Builder request = VendorRequest.get("/crm/v3/objects/" + from)
                        .query("limit", Integer.toString(limit(call)))
                        .query("properties", "hs_object_id")
                        .query("associations", String.join(",", tos))
                        .operation("list " + from + " associations")
                        .budgetKey(budgetKey);
                if (after != null) {
                    request.query("after", after);
                }
                JsonObject body = HubSpotErrors.send(call.http(), request.build());
                List<Record> page = new ArrayList<>();
                for (JsonValue v : results(body)) {
                    JsonObject object = (JsonObject) v;
                    JsonObject associations = object.object("associations");
                    String fromId = object.string("id");
                    if (associations == null || fromId == null) {
                        continue;
                    }
                    for (String to : tos) {
                        JsonObject list = associations.object(to);
                        for (JsonValue edge : list == null ? JsonArray.empty() : results(list)) {
                            page.add(records.association(from, fromId, to, (JsonObject) edge));
                        }
                    }
                }
                after = nextAfter(body);
                if (after == null) {
                    index++;
                }
                return new Page(page, index >= froms.size());
            }
        };
    }

    /**
     * Property definitions, from {@code GET /crm/v3/properties/{object}} for each CRM object (one
     * answer each: the properties API does not page). A filter {@code objectType} narrows it to one.
     */
    static StreamReader properties(StreamCall call, HubSpotRecords records, String budgetKey) {
        List<String> objects = new ArrayList<>();
        String only = call.request().filter().get("objectType");
        for (String o : HubSpotObjects.CRM_OBJECTS) {
            if (only == null || only.equals(o)) {
                objects.add(o);
            }
        }
        return new StreamReader() {
            private int index;

            @Override
            public Page nextPage() {
                if (index >= objects.size()) {
                    return new Page(List.of(), true);
                }
                String object = objects.get(index++);
                JsonObject body = HubSpotErrors.send(
                        call.http(),
                        VendorRequest.get("/crm/v3/properties/" + object)
                                .operation("list " + object + " properties")
                                .budgetKey(budgetKey)
                                .build());
                List<Record> page = new ArrayList<>();
                for (JsonValue v : results(body)) {
                    page.add(records.property(object, (JsonObject) v));
                }
                return new Page(page, index >= objects.size());
            }
        };
    }
}
