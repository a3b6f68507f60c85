package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
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
        Map<String, String> filter = call.request().filter();
        for (String field : filter.keySet()) {
            if (!field.equals("email")) {
                throw new InvalidInputException(
                        "hubspot",
                        "read owners",
                        "owners can be filtered by email only (HubSpot's owners API has no other filter), not by '"
                                + field + "'");
            }
        }
        String email = filter.get("email");
        return new StreamReader() {
            private @Nullable String after;

            @Override
            public Page nextPage() {
                VendorRequest.Builder request = VendorRequest.get("/crm/v3/owners")
                        .query("limit", Integer.toString(limit(call)))
                        .operation("list owners")
                        .budgetKey(budgetKey);
                if (email != null) {
                    request.query("email", email);
                }
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
     * Association edges, through the v4 associations API: the objects of each side are listed 100 at a
     * time ({@code GET /crm/v3/objects/{from}}, ids only), and their associations read in one
     * {@code POST /crm/v4/associations/{from}/{to}/batch/read} per pair, following each object's own
     * {@code paging.next.after} (500 associations a page) until none is left, so no object's associations
     * are cut short. Pairs are read from one side only (contacts to companies, deals and tickets; companies
     * to deals and tickets; deals to tickets), so each edge comes once. A filter {@code fromObjectType}
     * narrows the read to one side; no other filter is honoured.
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
                        .query("limit", Integer.toString(MAX_LIST_LIMIT))
                        .query("properties", "hs_object_id")
                        .operation("list " + from + " ids")
                        .budgetKey(budgetKey);
                if (after != null) {
                    request.query("after", after);
                }
                JsonObject body = HubSpotErrors.send(call.http(), request.build());
                List<String> ids = new ArrayList<>();
                for (JsonValue v : results(body)) {
                    String id = v instanceof JsonObject o ? o.string("id") : null;
                    if (id != null) {
                        ids.add(id);
                    }
                }
                List<Record> page = new ArrayList<>();
                for (String to : tos) {
                    readAssociations(from, to, ids, page);
                }
                after = nextAfter(body);
                if (after == null) {
                    index++;
                }
                return new Page(page, index >= froms.size());
            }

            /** Every association of these objects to {@code to}, each object's pages followed to the end. */
            private void readAssociations(String from, String to, List<String> ids, List<Record> into) {
                List<JsonValue> inputs = new ArrayList<>();
                for (String id : ids) {
                    inputs.add(JsonObject.builder().put("id", id).build());
                }
                while (!inputs.isEmpty()) {
                    JsonObject answer = HubSpotErrors.send(
                            call.http(),
                            VendorRequest.post("/crm/v4/associations/" + from + "/" + to + "/batch/read")
                                    .jsonBody(JsonObject.builder()
                                            .put("inputs", JsonArray.of(inputs))
                                            .build())
                                    .operation("read " + from + " to " + to + " associations")
                                    .budgetKey(budgetKey)
                                    .retrySafe(true) // a batch read changes nothing
                                    .build());
                    inputs = new ArrayList<>();
                    for (JsonValue v : results(answer)) {
                        if (!(v instanceof JsonObject result)) {
                            continue;
                        }
                        JsonObject source = result.object("from");
                        String fromId = source == null ? null : source.string("id");
                        if (fromId == null) {
                            continue;
                        }
                        JsonArray edges = result.array("to");
                        for (JsonValue edge : edges == null ? JsonArray.empty() : edges) {
                            if (edge instanceof JsonObject e) {
                                into.add(records.associationV4(from, fromId, to, e));
                            }
                        }
                        String more = nextAfter(result);
                        if (more != null) {
                            inputs.add(JsonObject.builder()
                                    .put("id", fromId)
                                    .put("after", more)
                                    .build());
                        }
                    }
                }
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
        return perObject(
                call,
                objects,
                budgetKey,
                "/crm/v3/properties/",
                "properties",
                (object, v) -> records.property(object, (JsonObject) v));
    }

    /**
     * Pipelines, from {@code GET /crm/v3/pipelines/{objectType}} for deals and tickets (one answer each:
     * the pipelines API does not page). A filter {@code objectType} reads that type only, sent as named,
     * so a type HubSpot has no pipelines for comes back as HubSpot's error.
     */
    static StreamReader pipelines(StreamCall call, HubSpotRecords records, String budgetKey) {
        String only = call.request().filter().get("objectType");
        // The type goes into the path: only a name HubSpot could mean (deals, p_custom, 2-123) is sent.
        if (only != null && !only.matches("[A-Za-z0-9_-]{1,100}")) {
            throw new InvalidInputException(
                    "hubspot", "read pipelines", "objectType must be an object type name such as deals or tickets");
        }
        List<String> objects = only == null ? HubSpotObjects.PIPELINE_OBJECTS : List.of(only);
        return perObject(
                call,
                objects,
                budgetKey,
                "/crm/v3/pipelines/",
                "pipelines",
                (object, v) -> v instanceof JsonObject o ? records.pipeline(object, o) : null);
    }

    /**
     * One answer per object, from {@code GET {path}{object}} (APIs that do not page: properties, pipelines), each
     * result made into a record by {@code record} (null: skipped), one page per object.
     */
    private static StreamReader perObject(
            StreamCall call,
            List<String> objects,
            String budgetKey,
            String path,
            String what,
            BiFunction<String, JsonValue, @Nullable Record> record) {
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
                        VendorRequest.get(path + object)
                                .operation("list " + object + " " + what)
                                .budgetKey(budgetKey)
                                .build());
                List<Record> page = new ArrayList<>();
                for (JsonValue v : results(body)) {
                    Record r = record.apply(object, v);
                    if (r != null) {
                        page.add(r);
                    }
                }
                return new Page(page, index >= objects.size());
            }
        };
    }

    /** {@code GET /crm/v3/objects/notes}, paged by {@code after}, with each note's ticket associations. */
    static StreamReader notes(StreamCall call, HubSpotRecords records, String budgetKey) {
        return new StreamReader() {
            private @Nullable String after;

            @Override
            public Page nextPage() {
                VendorRequest.Builder request = VendorRequest.get("/crm/v3/objects/notes")
                        .query("limit", Integer.toString(limit(call)))
                        .query("properties", String.join(",", HubSpotObjects.NOTE_PROPERTIES))
                        .query("associations", "tickets")
                        .operation("list notes")
                        .budgetKey(budgetKey);
                if (after != null) {
                    request.query("after", after);
                }
                JsonObject body = HubSpotErrors.send(call.http(), request.build());
                List<Record> page = new ArrayList<>();
                for (JsonValue v : results(body)) {
                    if (v instanceof JsonObject o) {
                        page.add(records.note(o));
                    }
                }
                after = nextAfter(body);
                return new Page(page, after == null);
            }
        };
    }
}
