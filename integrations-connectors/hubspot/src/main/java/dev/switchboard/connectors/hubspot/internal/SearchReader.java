package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a CRM object incrementally through {@code POST /crm/v3/objects/{object}/search}, filtering
 * the modstamp to a time window ({@code GTE from}, {@code LT to}, epoch milliseconds) sorted
 * ascending, paging with {@code after}.
 *
 * <p>HubSpot pages through at most 10,000 results of one query (a later {@code after} is a 400).
 * When a window holds more than that, the reader reads up to the cap, then splits the window at the
 * modstamp it reached: the rest, {@code [last modstamp, to)}, is a new query starting again at zero.
 * No query crosses the cap, and no probe request is wasted. The records at the split modstamp come
 * again in the new query and are recognised by id. More records than the cap in one millisecond
 * cannot be paged at all, and fail plainly.
 *
 * <p>Search sorts by one property only, so records with equal modstamps may straddle a page boundary
 * in any id order: each page holds back the records that share the page's last modstamp and emits
 * them with the next page, sorted by (modstamp, id). A resume starts at the checkpoint's modstamp and
 * drops what the checkpoint already covers (same modstamp, id not greater).
 */
final class SearchReader implements StreamReader {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 200;

    private final String object;
    private final StreamCall call;
    private final HubSpotRecords records;
    private final String budgetKey;
    private final int resultCap;
    private final int limit;
    private final List<String> properties;
    private final @Nullable Position resumeAfter;
    private final @Nullable Instant resumeInstant;
    private final long to;
    private final List<Record> held = new ArrayList<>();
    private long from;
    private @Nullable String after;
    private int readInWindow;
    private boolean done;

    SearchReader(String object, StreamCall call, HubSpotRecords records, String budgetKey, int resultCap, Instant now) {
        this.object = object;
        this.call = call;
        this.records = records;
        this.budgetKey = budgetKey;
        this.resultCap = resultCap;
        int asked = call.request().pageSize();
        this.limit = asked <= 0 ? DEFAULT_LIMIT : Math.min(asked, MAX_LIMIT);
        this.properties = HubSpotObjects.propertiesFor(
                object, call.stream().schema(), call.request().fields());
        this.resumeAfter = call.resumeAfter();
        this.resumeInstant = resumeAfter == null ? null : HubSpotRecords.cursorInstant(resumeAfter.cursor());
        this.from = resumeInstant == null ? 0 : resumeInstant.toEpochMilli();
        // Changes made after the read began are the next read's: a fixed upper bound keeps pages stable.
        this.to = Math.max(from + 1, now.toEpochMilli() + 1);
    }

    @Override
    public Page nextPage() {
        if (done) {
            return new Page(List.of(), true);
        }
        int pageLimit = Math.min(limit, resultCap - readInWindow);
        JsonObject body = HubSpotErrors.send(call.http(), request(from, after, pageLimit));
        JsonArray results = body.array("results");
        Set<String> heldIds = new HashSet<>();
        held.forEach(r -> heldIds.add(r.id()));
        Instant last = null;
        for (JsonValue v : results == null ? JsonArray.empty() : results) {
            Record r = records.crmObject(object, (JsonObject) v);
            last = HubSpotRecords.cursorInstant(r.data().string(HubSpotObjects.CURSOR));
            if (!covered(r) && heldIds.add(r.id())) {
                held.add(r);
            }
        }
        readInWindow += results == null ? 0 : results.size();
        JsonObject paging = body.object("paging");
        JsonObject next = paging == null ? null : paging.object("next");
        after = next == null ? null : next.string("after");
        BigDecimal total = body.number("total");
        boolean more = after != null || (total != null && total.intValue() > readInWindow);
        if (more && readInWindow >= resultCap) {
            // The cap: what is left of the window becomes a new query from the modstamp reached.
            long reached = last == null ? from : last.toEpochMilli();
            if (reached <= from) {
                throw new PermanentException(
                        "hubspot",
                        "read " + object,
                        "more than " + resultCap + " " + object
                                + " share one modstamp millisecond; HubSpot's search cannot page through them");
            }
            from = reached;
            after = null;
            readInWindow = 0;
        } else if (after == null) {
            done = true;
            List<Record> rest = sorted(held);
            held.clear();
            return new Page(rest, true);
        }
        return new Page(releaseBeforeLastModstamp(), false);
    }

    /** Emits the held records older than the newest modstamp seen; keeps the newest, whose ties may continue. */
    private List<Record> releaseBeforeLastModstamp() {
        List<Record> sorted = sorted(held);
        if (sorted.isEmpty()) {
            return sorted;
        }
        Instant newest = HubSpotRecords.cursorInstant(
                sorted.get(sorted.size() - 1).data().string(HubSpotObjects.CURSOR));
        List<Record> out = new ArrayList<>();
        held.clear();
        for (Record r : sorted) {
            if (HubSpotRecords.cursorInstant(r.data().string(HubSpotObjects.CURSOR))
                    .isBefore(newest)) {
                out.add(r);
            } else {
                held.add(r);
            }
        }
        return out;
    }

    private boolean covered(Record r) {
        if (resumeAfter == null || resumeInstant == null) {
            return false;
        }
        int c = HubSpotRecords.cursorInstant(r.data().string(HubSpotObjects.CURSOR))
                .compareTo(resumeInstant);
        return c < 0 || (c == 0 && HubSpotRecords.compareIds(r.id(), resumeAfter.id()) <= 0);
    }

    private static List<Record> sorted(List<Record> in) {
        List<Record> out = new ArrayList<>(in);
        out.sort(HubSpotRecords.CURSOR_ORDER);
        return out;
    }

    private VendorRequest request(long from, @Nullable String after, int pageLimit) {
        String modstamp = HubSpotObjects.modstampProperty(object);
        JsonObject.Builder body = JsonObject.builder()
                .put(
                        "filterGroups",
                        JsonArray.of(JsonObject.builder()
                                .put("filters", JsonArray.of(filter(modstamp, "GTE", from), filter(modstamp, "LT", to)))
                                .build()))
                .put(
                        "sorts",
                        JsonArray.of(JsonObject.builder()
                                .put("propertyName", modstamp)
                                .put("direction", "ASCENDING")
                                .build()))
                .put(
                        "properties",
                        JsonArray.of(properties.stream()
                                .map(p -> (JsonValue) new JsonString(p))
                                .toList()))
                .put("limit", pageLimit);
        if (after != null) {
            body.put("after", after);
        }
        return VendorRequest.post("/crm/v3/objects/" + object + "/search")
                .jsonBody(body.build())
                .operation("search " + object)
                .budgetKey(budgetKey)
                .retrySafe(true) // a search changes nothing
                .build();
    }

    private static JsonObject filter(String property, String operator, long millis) {
        return JsonObject.builder()
                .put("propertyName", property)
                .put("operator", operator)
                .put("value", Long.toString(millis))
                .build();
    }
}
