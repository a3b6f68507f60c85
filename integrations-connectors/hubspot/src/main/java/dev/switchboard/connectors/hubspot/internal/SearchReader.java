package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.connector.CursorPosition;
import dev.switchboard.core.connector.Page;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a CRM object incrementally through {@code POST /crm/v3/objects/{object}/search}, filtering
 * the modstamp to a time window ({@code GTE from}, {@code LT to}, epoch milliseconds) sorted
 * ascending, paging with {@code after}.
 *
 * <p>HubSpot pages through at most 10,000 results of one query: a window whose {@code total} is
 * over that cap is split in two halves before any record of it is used, until every window fits.
 * Windows are read oldest first, so records come in modstamp order. Search sorts by one property
 * only, so records with equal modstamps may straddle a page boundary in any id order: each page
 * holds back the records that share the page's last modstamp and emits them with the next page,
 * sorted by (modstamp, id). A resume starts at the checkpoint's modstamp and drops what the
 * checkpoint already covers (same modstamp, id not greater).
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
  private final @Nullable CursorPosition resumeAfter;
  private final @Nullable Instant resumeInstant;
  /** Windows still to read, oldest first: [from, to) in epoch milliseconds. */
  private final Deque<long[]> windows = new ArrayDeque<>();
  private final List<Record> held = new ArrayList<>();
  private long @Nullable [] window;
  private @Nullable String after;
  private int splits;

  SearchReader(String object, StreamCall call, HubSpotRecords records, String budgetKey, int resultCap, Instant now) {
    this.object = object;
    this.call = call;
    this.records = records;
    this.budgetKey = budgetKey;
    this.resultCap = resultCap;
    int asked = call.request().pageSize();
    this.limit = asked <= 0 ? DEFAULT_LIMIT : Math.min(asked, MAX_LIMIT);
    this.properties = HubSpotObjects.propertiesFor(object, call.request().fields());
    this.resumeAfter = call.resumeAfter();
    this.resumeInstant = resumeAfter == null ? null : HubSpotRecords.cursorInstant(resumeAfter.cursor());
    long from = resumeInstant == null ? 0 : resumeInstant.toEpochMilli();
    long to = Math.max(from + 1, now.toEpochMilli() + 1);
    windows.add(new long[] {from, to});
  }

  /** How many times a window was split to stay under the result cap (for tests and metrics). */
  int splits() {
    return splits;
  }

  @Override
  public Page nextPage() {
    while (true) {
      if (window == null) {
        if (windows.isEmpty()) {
          List<Record> rest = sorted(held);
          held.clear();
          return new Page(rest, true);
        }
        window = windows.pollFirst();
        after = null;
      }
      JsonObject body = HubSpotErrors.send(call.http(), request(window, after));
      BigDecimal total = body.number("total");
      if (after == null && total != null && total.intValue() > resultCap) {
        split(window);
        window = null;
        continue;
      }
      JsonArray results = body.array("results");
      for (JsonValue v : results == null ? JsonArray.empty() : results) {
        Record r = records.crmObject(object, (JsonObject) v);
        if (!covered(r)) {
          held.add(r);
        }
      }
      JsonObject paging = body.object("paging");
      JsonObject next = paging == null ? null : paging.object("next");
      after = next == null ? null : next.string("after");
      if (after == null) {
        window = null;
        if (!windows.isEmpty()) {
          // Every record of the window is in hand: emit them all, the next window is strictly later.
          List<Record> page = sorted(held);
          held.clear();
          return new Page(page, false);
        }
        continue;
      }
      return new Page(releaseBeforeLastModstamp(), false);
    }
  }

  private void split(long[] w) {
    if (w[1] - w[0] <= 1) {
      throw new PermanentException("hubspot", "read " + object, "more than " + resultCap + " " + object
          + " share one modstamp millisecond; HubSpot's search cannot page through them");
    }
    long mid = w[0] + (w[1] - w[0]) / 2;
    windows.addFirst(new long[] {mid, w[1]});
    windows.addFirst(new long[] {w[0], mid});
    splits++;
  }

  /** Emits the held records older than the newest modstamp seen; keeps the newest, whose ties may continue. */
  private List<Record> releaseBeforeLastModstamp() {
    List<Record> sorted = sorted(held);
    if (sorted.isEmpty()) {
      return sorted;
    }
    Instant newest = HubSpotRecords.cursorInstant(sorted.get(sorted.size() - 1).data().string(HubSpotObjects.CURSOR));
    List<Record> out = new ArrayList<>();
    held.clear();
    for (Record r : sorted) {
      if (HubSpotRecords.cursorInstant(r.data().string(HubSpotObjects.CURSOR)).isBefore(newest)) {
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
    int c = HubSpotRecords.cursorInstant(r.data().string(HubSpotObjects.CURSOR)).compareTo(resumeInstant);
    return c < 0 || (c == 0 && HubSpotRecords.compareIds(r.id(), resumeAfter.id()) <= 0);
  }

  private static List<Record> sorted(List<Record> in) {
    List<Record> out = new ArrayList<>(in);
    out.sort(HubSpotRecords.CURSOR_ORDER);
    return out;
  }

  private VendorRequest request(long[] w, @Nullable String after) {
    String modstamp = HubSpotObjects.modstampProperty(object);
    JsonObject.Builder body = JsonObject.builder()
        .put("filterGroups", JsonArray.of(JsonObject.builder().put("filters", JsonArray.of(
            filter(modstamp, "GTE", w[0]), filter(modstamp, "LT", w[1]))).build()))
        .put("sorts", JsonArray.of(JsonObject.builder().put("propertyName", modstamp).put("direction", "ASCENDING").build()))
        .put("properties", JsonArray.of(properties.stream().map(p -> (JsonValue) new JsonString(p)).toList()))
        .put("limit", limit);
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
    return JsonObject.builder().put("propertyName", property).put("operator", operator).put("value", Long.toString(millis)).build();
  }
}
