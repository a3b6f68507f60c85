package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.governance.AccountIdentity;
import dev.switchboard.core.governance.RowScope;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a CRM object incrementally: its live records through {@code POST /crm/v3/objects/{object}/search}
 * (partition {@link Position#SINGLE}, cursor the modstamp, tie-break the id), then its archived ones from
 * the recycling bin, {@code GET /crm/v3/objects/{object}?archived=true} (partition {@value #ARCHIVED},
 * cursor {@code archivedAt}), as tombstones.
 *
 * <p><b>Paging by key, never by offset.</b> Search's {@code after} is an offset into a result set that
 * moves while it is read: a record changed mid-read leaves the set, every later one shifts down, and one
 * is skipped. So every page is a fresh query from the first result, starting after the key reached:
 * {@code modstamp > m OR (modstamp = m AND hs_object_id > id)}, below a bound {@code to} fixed when the
 * read starts (a change made during the read is the next read's). Search sorts by one property only, so
 * a full page's last modstamp may continue on the next page in any id order: the page emits the records
 * before that modstamp, and the next query starts at it. When one whole page shares a single modstamp,
 * that millisecond is read by itself, sorted and paged by id ({@code modstamp = M AND hs_object_id > id}),
 * so any number of records in one millisecond is read, and the 10,000-result cap of one query is never
 * reached (no query pages with {@code after}).
 *
 * <p><b>Look-back overlap.</b> Search indexes changes asynchronously: a change can become visible after a
 * read already moved its checkpoint past the change's modstamp. A resumed read therefore starts
 * {@code lookback} before the checkpoint: the records at or before the checkpoint's position come again
 * as overlap (delivered, the checkpoint does not move; consumers apply by id and version), the records
 * after it as new. A change indexed later than the look-back is lost to polling (webhooks see it).
 *
 * <p><b>Deletes.</b> Search never returns archived records. The recycling bin cannot be filtered or sorted
 * by archive time, so it is listed whole (100 a page) and the archives after the partition's position
 * (less the look-back) are kept, sorted and returned as tombstones: memory grows with the deletes since
 * the checkpoint, not with the bin. A read from the start returns every archived record as a tombstone
 * once. Records purged from the bin (after 90 days, or a GDPR delete) are not seen.
 */
final class SearchReader implements StreamReader {
    /** The partition of archived records (tombstones). */
    static final String ARCHIVED = "archived";
    /** The most {@code where} fields a read may push down (search allows 6 filters a group; 2 are ours). */
    static final int MAX_WHERE = 4;

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 200;
    private static final int LIST_LIMIT = 100;

    private final String object;
    private final StreamCall call;
    private final HubSpotRecords records;
    private final String searchBudgetKey;
    private final String budgetKey;
    private final int limit;
    /** The properties every search asks for, as the request body's array: built once per read. */
    private final JsonArray propertiesAsked;

    private final String modstamp;
    private final Map<String, String> where;
    private final @Nullable Position resume;
    /** The resume position's modstamp, parsed once: every record of the first pages is compared with it. */
    private final long resumeMillis;

    private final @Nullable Position resumeArchived;
    private final Duration lookback;
    private final long to;

    // Live partition: the key reached; tieMillis >= 0 while one millisecond is read by id.
    private long fromMillis;
    private @Nullable String fromId;
    private boolean fromInclusive;
    private long tieMillis = -1;
    private @Nullable String tieAfterId;
    private boolean liveDone;

    // Archived partition: collected, then emitted in pages.
    private @Nullable List<Record> archived;
    private int archivedIndex;

    SearchReader(
            String object,
            StreamCall call,
            HubSpotRecords records,
            String searchBudgetKey,
            String budgetKey,
            Duration lookback,
            Instant now,
            AskedProperties askedProperties) {
        this.object = object;
        this.call = call;
        this.records = records;
        this.searchBudgetKey = searchBudgetKey;
        this.budgetKey = budgetKey;
        int asked = call.request().pageSize();
        this.limit = asked <= 0 ? DEFAULT_LIMIT : Math.min(asked, MAX_LIMIT);
        this.where = where(object, call);
        java.util.Set<String> extra = new java.util.TreeSet<>(where.keySet());
        if (records.visibility() != HubSpotRecords.RecordVisibility.PORTAL) {
            extra.add(HubSpotRecords.OWNER_PROPERTY); // the ACL needs them, whatever fields the caller named
            extra.add(HubSpotRecords.TEAM_PROPERTY);
        }
        this.propertiesAsked = askedProperties.propertiesFor(object, call, extra);
        this.modstamp = HubSpotObjects.modstampProperty(object);
        this.resume = call.resumeAfter(Position.SINGLE);
        this.resumeMillis = resume == null ? 0 : millis(resume.cursor());
        this.resumeArchived = call.resumeAfter(ARCHIVED);
        this.lookback = lookback;
        Position start = resume;
        if (start == null) {
            this.fromMillis = 0;
            this.fromId = null;
        } else if (lookback.isZero()) {
            this.fromMillis = millis(start.cursor()); // exactly after the position: no overlap
            this.fromId = start.id();
        } else {
            this.fromMillis = Math.max(0, millis(start.cursor()) - lookback.toMillis());
            this.fromId = null;
        }
        this.fromInclusive = true;
        // Changes made after the read began are the next read's: a fixed upper bound keeps the set still.
        this.to = Math.max(fromMillis + 1, now.toEpochMilli() + 1);
    }

    /**
     * The properties a search asks for, per object, kept for the next read of the same contract and fields: a
     * read used to rebuild the list and its JSON array at every start. Thread-safe; one per session, holding
     * one entry per object.
     */
    static final class AskedProperties {
        private record Asked(Schema contract, List<String> fields, JsonArray properties) {}

        private final Map<String, Asked> byObject = new java.util.concurrent.ConcurrentHashMap<>();

        JsonArray propertiesFor(String object, StreamCall call, java.util.Set<String> whereFields) {
            Schema contract = call.stream().schema();
            List<String> fields = call.request().fields();
            Asked last = byObject.get(object);
            // The same contract object (a connection's pinned contract is kept until it changes): no equals walk.
            if (last != null && last.contract() == contract && last.fields().equals(fields) && whereFields.isEmpty()) {
                return last.properties();
            }
            List<String> props = new ArrayList<>(HubSpotObjects.propertiesFor(object, contract, fields));
            whereFields.stream().filter(p -> !props.contains(p)).forEach(props::add);
            JsonArray properties = JsonArray.of(
                    props.stream().map(p -> (JsonValue) new JsonString(p)).toList());
            if (whereFields.isEmpty()) {
                byObject.put(object, new Asked(contract, List.copyOf(fields), properties));
            }
            return properties;
        }
    }

    /** The {@code where} filters, checked: properties of the stream's contract ({@code id} is the object id). */
    private static Map<String, String> where(String object, StreamCall call) {
        Map<String, String> filter = call.request().filter();
        if (filter.size() > MAX_WHERE) {
            throw new InvalidInputException(
                    "hubspot",
                    "read " + object,
                    "HubSpot's search takes at most " + MAX_WHERE + " where filters besides the connector's own; got "
                            + filter.size());
        }
        Map<String, String> out = new java.util.TreeMap<>();
        filter.forEach((field, value) -> {
            String property = field.equals("id") ? "hs_object_id" : field;
            boolean envelope =
                    List.of("createdAt", HubSpotObjects.CURSOR, "archived").contains(field);
            if (envelope
                    || (!field.equals("id")
                            && call.stream().schema().field(field).isEmpty())) {
                throw new InvalidInputException(
                        "hubspot",
                        "read " + object,
                        "'" + field + "' cannot be a where filter of " + object + ": use a property of the stream's"
                                + " contract (or id); createdAt, updatedAt and archived are not filters");
            }
            out.put(property, value);
        });
        return out;
    }

    @Override
    public Page nextPage() {
        if (seesNothing()) {
            // The policy keeps nothing of this read for its principal: the portal is not asked.
            liveDone = true;
            return new Page(List.of(), true);
        }
        if (!liveDone) {
            return tieMillis >= 0 ? tiePage() : livePage();
        }
        return archivedPage();
    }

    /** One query from the key reached, sorted by modstamp; see the class comment. */
    private Page livePage() {
        List<JsonValue> groups = new ArrayList<>();
        if (fromId == null) {
            groups.add(group(filter(modstamp, fromInclusive ? "GTE" : "GT", fromMillis), filter(modstamp, "LT", to)));
        } else {
            groups.add(group(filter(modstamp, "GT", fromMillis), filter(modstamp, "LT", to)));
            groups.add(group(filter(modstamp, "EQ", fromMillis), filter("hs_object_id", "GT", fromId)));
        }
        List<Found> found = search(groups, modstamp);
        if (found.size() < limit) {
            // The whole rest of the window came: every record of it, in key order.
            liveDone = true;
            return emit(inKeyOrder(found), false);
        }
        long lastMillis = found.get(found.size() - 1).millis();
        long firstMillis = found.get(0).millis();
        if (firstMillis == lastMillis) {
            // One millisecond fills the page: read it by id, then go on after it.
            tieMillis = lastMillis;
            tieAfterId = lastMillis == fromMillis ? fromId : null;
            return tiePage();
        }
        // The records before the page's last millisecond are complete; that millisecond may continue.
        List<Found> complete = new ArrayList<>(found.size());
        for (Found f : found) {
            if (f.millis() < lastMillis) {
                complete.add(f);
            }
        }
        fromMillis = lastMillis;
        fromId = null;
        fromInclusive = true;
        return emit(inKeyOrder(complete), false);
    }

    /** One page of the millisecond {@link #tieMillis}, sorted by id from {@link #tieAfterId}. */
    private Page tiePage() {
        JsonObject eq = filter(modstamp, "EQ", tieMillis);
        JsonValue g = tieAfterId == null ? group(eq) : group(eq, filter("hs_object_id", "GT", tieAfterId));
        List<Found> found = search(List.of(g), "hs_object_id");
        List<Found> ordered = inKeyOrder(found);
        if (!ordered.isEmpty()) {
            tieAfterId = ordered.get(ordered.size() - 1).record().id();
        }
        if (found.size() < limit) {
            // The millisecond is read whole: go on after it.
            fromMillis = tieMillis;
            fromId = null;
            fromInclusive = false;
            tieMillis = -1;
            tieAfterId = null;
        }
        return emit(ordered, false);
    }

    /** The records a page returns: overlap (at or before the resume position) or new, with positions. */
    private Page emit(List<Found> sorted, boolean last) {
        Page.Builder page = Page.builder();
        for (Found f : sorted) {
            Record r = f.record();
            if (resume != null && !after(f.millis(), r.id(), resumeMillis, resume.id())) {
                page.addOverlap(r); // re-read from the look-back: the checkpoint stays
            } else {
                page.add(r, Position.of(f.cursor(), r.id()));
            }
        }
        return page.build(last);
    }

    /**
     * Whether {@code at} comes after {@code resume}: a later modstamp, or the same and a greater id. A
     * record at the resume position itself was delivered before.
     */
    static boolean after(Position at, Position resume) {
        return after(millis(at.cursor()), at.id(), millis(resume.cursor()), resume.id());
    }

    private static boolean after(long atMillis, String atId, long resumeMillis, String resumeId) {
        int c = Long.compare(atMillis, resumeMillis);
        return c > 0 || (c == 0 && HubSpotRecords.compareIds(atId, resumeId) > 0);
    }

    /** The archived partition: the bin listed whole once, the archives after its position kept. */
    private Page archivedPage() {
        List<Record> tombstones = archived;
        if (tombstones == null) {
            tombstones = collectArchived();
            archived = tombstones;
        }
        Page.Builder page = Page.builder();
        while (archivedIndex < tombstones.size() && page.size() < limit) {
            Record r = tombstones.get(archivedIndex++);
            Instant at = r.deletedAt();
            Position position = Position.in(ARCHIVED, at == null ? "" : at.toString(), r.id());
            if (resumeArchived != null && !after(position, resumeArchived)) {
                page.addOverlap(r);
            } else {
                page.add(r, position);
            }
        }
        return page.build(archivedIndex >= tombstones.size());
    }

    private List<Record> collectArchived() {
        long since = resumeArchived == null ? Long.MIN_VALUE : millis(resumeArchived.cursor()) - lookback.toMillis();
        List<Record> out = new ArrayList<>();
        String after = null;
        do {
            VendorRequest.Builder request = VendorRequest.get("/crm/v3/objects/" + object)
                    .query("archived", "true")
                    .query("limit", Integer.toString(LIST_LIMIT))
                    .operation("list archived " + object)
                    .budgetKey(budgetKey);
            List<String> asked = new ArrayList<>(where.keySet());
            asked.remove("hs_object_id");
            if (records.visibility() != HubSpotRecords.RecordVisibility.PORTAL) {
                // A tombstone's ACL needs them: without, it would be private to nobody, not wider.
                asked.add(HubSpotRecords.OWNER_PROPERTY);
                asked.add(HubSpotRecords.TEAM_PROPERTY);
            }
            if (!asked.isEmpty()) {
                request.query("properties", String.join(",", asked));
            }
            if (after != null) {
                request.query("after", after);
            }
            JsonObject body = HubSpotErrors.send(call.http(), request.build());
            JsonArray results = body.array("results");
            for (JsonValue v : results == null ? JsonArray.empty() : results) {
                if (!(v instanceof JsonObject raw)) {
                    continue;
                }
                Record tombstone = records.archived(object, raw);
                Instant at = tombstone == null ? null : tombstone.deletedAt();
                if (tombstone == null || at == null || at.toEpochMilli() >= to || at.toEpochMilli() < since) {
                    continue;
                }
                if (matchesWhere(raw)) {
                    out.add(tombstone);
                }
            }
            JsonObject paging = body.object("paging");
            JsonObject next = paging == null ? null : paging.object("next");
            after = next == null ? null : next.string("after");
        } while (after != null);
        out.sort(Comparator.comparing((Record r) -> r.deletedAt() == null ? Instant.EPOCH : r.deletedAt())
                .thenComparing(Record::id, HubSpotRecords::compareIds));
        return out;
    }

    private boolean matchesWhere(JsonObject raw) {
        JsonObject props = raw.object("properties");
        for (Map.Entry<String, String> w : where.entrySet()) {
            String value = w.getKey().equals("hs_object_id")
                    ? raw.string("id")
                    : props == null ? null : props.string(w.getKey());
            if (!w.getValue().equals(value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the policy keeps nothing of this read: it says so, or the principal's identity is in another
     * portal (every record's ACL is of this portal, none public).
     */
    private boolean seesNothing() {
        RowScope scope = call.rowScope();
        AccountIdentity identity = scope.identity();
        return scope.keepsNothing() || (identity != null && !identity.tenant().equals(records.portalId()));
    }

    /**
     * The filter groups the row scope narrows a search to, each ANDed with every group of the query (HubSpot
     * ORs groups): with {@code owner} visibility the principal's owner id; with {@code team}, that or one of
     * its teams ({@code IN}). Empty, pushing nothing, when records are visible portal-wide, the scope has no
     * identity, or the narrowed query would pass HubSpot's limits (5 groups, 6 filters a group, 18 in all):
     * the search may be wider than the row rule, never narrower.
     */
    private List<List<JsonObject>> scopeGroups(int queryGroups, int filtersPerGroup) {
        AccountIdentity identity = call.rowScope().identity();
        HubSpotRecords.RecordVisibility visibility = records.visibility();
        if (identity == null || visibility == HubSpotRecords.RecordVisibility.PORTAL) {
            return List.of();
        }
        List<List<JsonObject>> out = new ArrayList<>();
        if (identity.userId() != null) {
            out.add(List.of(filter(HubSpotRecords.OWNER_PROPERTY, "EQ", identity.userId())));
        }
        if (visibility == HubSpotRecords.RecordVisibility.TEAM) {
            List<JsonValue> teams = new ArrayList<>();
            for (String g : identity.groups()) {
                if (g.startsWith(HubSpotRecords.TEAM_ROLE)) {
                    teams.add(new JsonString(g.substring(HubSpotRecords.TEAM_ROLE.length())));
                }
            }
            if (!teams.isEmpty()) {
                out.add(List.of(JsonObject.builder(3)
                        .put("propertyName", HubSpotRecords.TEAM_PROPERTY)
                        .put("operator", "IN")
                        .put("values", JsonArray.of(teams))
                        .build()));
            }
        }
        if (out.isEmpty()) {
            return List.of(); // nothing to narrow by: the row rule withholds every record, the read stays whole
        }
        int groups = queryGroups * out.size();
        int filters = groups * (filtersPerGroup + 1);
        if (groups > 5 || filtersPerGroup + 1 > 6 || filters > 18) {
            return List.of();
        }
        return out;
    }

    private List<Found> search(List<JsonValue> groups, String sortBy) {
        List<JsonValue> withWhere = groups;
        if (!where.isEmpty()) {
            withWhere = new ArrayList<>(groups.size());
            for (JsonValue g : groups) {
                JsonArray filters = ((JsonObject) g).array("filters");
                List<JsonValue> all = new ArrayList<>(filters == null ? List.of() : filters.elements());
                where.forEach((p, v) -> all.add(filter(p, "EQ", v)));
                withWhere.add(
                        JsonObject.builder(1).put("filters", JsonArray.of(all)).build());
            }
        }
        int widest = 0;
        for (JsonValue g : withWhere) {
            JsonArray filters = ((JsonObject) g).array("filters");
            widest = Math.max(widest, filters == null ? 0 : filters.size());
        }
        List<List<JsonObject>> scope = scopeGroups(withWhere.size(), widest);
        if (!scope.isEmpty()) {
            List<JsonValue> narrowed = new ArrayList<>(withWhere.size() * scope.size());
            for (JsonValue g : withWhere) {
                JsonArray filters = ((JsonObject) g).array("filters");
                for (List<JsonObject> s : scope) {
                    List<JsonValue> all = new ArrayList<>(filters == null ? List.of() : filters.elements());
                    all.addAll(s);
                    narrowed.add(JsonObject.builder(1)
                            .put("filters", JsonArray.of(all))
                            .build());
                }
            }
            withWhere = narrowed;
        }
        JsonObject body = JsonObject.builder(4)
                .put("filterGroups", JsonArray.of(withWhere))
                .put(
                        "sorts",
                        JsonArray.of(JsonObject.builder(2)
                                .put("propertyName", sortBy)
                                .put("direction", "ASCENDING")
                                .build()))
                .put("properties", propertiesAsked)
                .put("limit", limit)
                .build();
        JsonObject answer = HubSpotErrors.send(
                call.http(),
                VendorRequest.post("/crm/v3/objects/" + object + "/search")
                        .jsonBody(body)
                        .operation("search " + object)
                        .budgetKey(searchBudgetKey)
                        .retrySafe(true) // a search changes nothing
                        .build());
        JsonArray results = answer.array("results");
        List<Found> out = new ArrayList<>(results == null ? 0 : results.size());
        for (JsonValue v : results == null ? JsonArray.empty() : results) {
            out.add(found(records.crmObject(object, (JsonObject) v)));
        }
        return out;
    }

    /**
     * The record with its modstamp as the search filter sees it (the modstamp property, else updatedAt),
     * parsed here once: usually the same text as updatedAt, which building the record parsed already.
     */
    private Found found(Record r) {
        String updated = r.data().string(HubSpotObjects.CURSOR);
        String value = r.data().string(modstamp);
        String cursor = value != null ? value : String.valueOf(updated);
        Instant updatedAt = r.updatedAt();
        long millis = updatedAt != null && cursor.equals(updated) ? updatedAt.toEpochMilli() : millis(cursor);
        return new Found(r, cursor, millis);
    }

    /** A record found by search, with its key's modstamp parsed once for the order and the resume test. */
    private record Found(Record record, String cursor, long millis) {}

    private static long millis(String cursor) {
        return HubSpotRecords.cursorInstant(cursor).toEpochMilli();
    }

    /**
     * The records in key order (modstamp, then id). Search sorts by one property, so a page is usually in
     * order already but for ids within one millisecond: checked in one pass, sorted only when not.
     */
    private static List<Found> inKeyOrder(List<Found> in) {
        for (int i = 1; i < in.size(); i++) {
            if (KEY_ORDER.compare(in.get(i - 1), in.get(i)) > 0) {
                List<Found> out = new ArrayList<>(in);
                out.sort(KEY_ORDER);
                return out;
            }
        }
        return in;
    }

    private static final Comparator<Found> KEY_ORDER = Comparator.comparingLong(Found::millis)
            .thenComparing(f -> f.record().id(), HubSpotRecords::compareIds);

    private static JsonValue group(JsonObject... filters) {
        return JsonObject.builder(1)
                .put("filters", JsonArray.of(List.of(filters)))
                .build();
    }

    private static JsonObject filter(String property, String operator, long millis) {
        return filter(property, operator, Long.toString(millis));
    }

    private static JsonObject filter(String property, String operator, String value) {
        return JsonObject.builder(3)
                .put("propertyName", property)
                .put("operator", operator)
                .put("value", value)
                .build();
    }
}
