package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code messages} stream: top-level messages and their thread replies of every channel the
 * token is a member of (or of the one channel a {@code channel} filter names), ordered by
 * {@code ts}, then id ({@code {channel}:{ts}}), and resumed after a {@link Position} with
 * {@code ts > v OR (ts = v AND id > id)}: a ts is unique within its channel only, so two channels can
 * share one and the channel id in the record id breaks the tie.
 *
 * <p>Slack returns a channel's history newest first and has no ascending order, so the reader
 * collects the messages newer than the checkpoint ({@code oldest}, inclusive) from every channel
 * before it emits the first, then emits them in order, {@code pageSize} records a page. Since it
 * holds the delta anyway, it asks Slack for 200 messages a request (Slack's recommended page) whatever
 * the page size: fewer requests against the Tier 3 budget, same memory. A reply does not bring
 * its parent back into {@code conversations.history}: to see new replies in older threads, the
 * history is read from {@code threadLookback} before the checkpoint, and every thread whose
 * {@code latest_reply} is after the checkpoint is read with {@code conversations.replies}.
 */
final class MessagesReader implements StreamReader {
    private static final Logger log = LoggerFactory.getLogger(MessagesReader.class);
    static final Comparator<Record> ORDER = Comparator.comparing(
                    (Record r) -> new BigDecimal(String.valueOf(r.data().string("ts"))))
            .thenComparing(Record::id);

    private final SlackApi api;
    private final SlackRecords records;
    private final StreamCall call;
    private final Duration threadLookback;
    private @Nullable List<Record> ordered;
    private int next;

    MessagesReader(SlackApi api, SlackRecords records, StreamCall call, Duration threadLookback) {
        this.api = api;
        this.records = records;
        this.call = call;
        this.threadLookback = threadLookback;
    }

    @Override
    public Page nextPage() {
        if (ordered == null) {
            ordered = collect();
        }
        int size = SlackSession.pageSize(call);
        int end = Math.min(ordered.size(), next + size);
        List<Record> page = ordered.subList(next, end);
        next = end;
        return new Page(page, next >= ordered.size());
    }

    private record Channel(String id, boolean isPrivate) {}

    private List<Record> collect() {
        Position after = call.resumeAfter();
        Map<String, Record> byId = new LinkedHashMap<>();
        for (Channel channel : channels()) {
            readChannel(channel, after, byId);
        }
        List<Record> result = new ArrayList<>();
        for (Record r : byId.values()) {
            if (isAfter(r, after)) {
                result.add(r);
            }
        }
        result.sort(ORDER);
        return result;
    }

    static boolean isAfter(Record r, @Nullable Position after) {
        if (after == null) {
            return true;
        }
        int c = SlackRecords.compareTs(String.valueOf(r.data().string("ts")), after.cursor());
        return c > 0 || (c == 0 && r.id().compareTo(after.id()) > 0);
    }

    private List<Channel> channels() {
        String only = call.request().filter().get("channel");
        if (only != null) {
            JsonObject envelope;
            try {
                envelope = api.read(call.http(), "conversations.info", only, Map.of("channel", only));
            } catch (PermanentException e) {
                throw refusedFilter(only, e, " (a wrong channel id, or the app is not a member of it)");
            }
            JsonObject channel = envelope.object("channel");
            return List.of(new Channel(only, channel != null && Boolean.TRUE.equals(channel.bool("is_private"))));
        }
        List<Channel> channels = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("types", "public_channel,private_channel");
            query.put("limit", "200");
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonObject envelope = api.read(call.http(), "conversations.list", null, query);
            JsonArray list = envelope.array("channels");
            for (JsonValue v : list == null ? JsonArray.empty() : list) {
                // A bot reads the history of channels it is a member of only; others would answer not_in_channel.
                if (v instanceof JsonObject c && c.string("id") != null && Boolean.TRUE.equals(c.bool("is_member"))) {
                    channels.add(new Channel(c.string("id"), Boolean.TRUE.equals(c.bool("is_private"))));
                }
            }
            cursor = SlackApi.nextCursor(envelope);
        } while (cursor != null);
        return channels;
    }

    private void readChannel(Channel channel, @Nullable Position after, Map<String, Record> byId) {
        Map<String, String> base = new LinkedHashMap<>();
        base.put("channel", channel.id());
        base.put("limit", String.valueOf(SlackSession.DEFAULT_PAGE));
        if (after != null) {
            base.put("oldest", SlackRecords.minus(after.cursor(), threadLookback));
            base.put("inclusive", "true");
        }
        Set<String> threads = new LinkedHashSet<>();
        String cursor = null;
        do {
            Map<String, String> query = new LinkedHashMap<>(base);
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonObject envelope = readChannelMethod(channel, "conversations.history", query);
            if (envelope == null) {
                return;
            }
            for (JsonValue v : messages(envelope)) {
                if (!(v instanceof JsonObject m) || m.string("ts") == null) {
                    continue;
                }
                Record r = records.message(channel.id(), channel.isPrivate(), m);
                byId.put(r.id(), r);
                BigDecimal replies = m.number("reply_count");
                String latest = m.string("latest_reply");
                if (replies != null
                        && replies.signum() > 0
                        && (after == null || latest == null || SlackRecords.compareTs(latest, after.cursor()) >= 0)) {
                    threads.add(m.string("ts"));
                }
            }
            cursor = SlackApi.nextCursor(envelope);
        } while (cursor != null);
        for (String threadTs : threads) {
            readThread(channel, threadTs, after, byId);
        }
    }

    private void readThread(Channel channel, String threadTs, @Nullable Position after, Map<String, Record> byId) {
        String cursor = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("channel", channel.id());
            query.put("ts", threadTs);
            query.put("limit", String.valueOf(SlackSession.DEFAULT_PAGE));
            if (after != null) {
                query.put("oldest", after.cursor());
                query.put("inclusive", "true");
            }
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonObject envelope = readChannelMethod(channel, "conversations.replies", query);
            if (envelope == null) {
                return;
            }
            for (JsonValue v : messages(envelope)) {
                if (v instanceof JsonObject m && m.string("ts") != null) {
                    Record r = records.message(channel.id(), channel.isPrivate(), m);
                    byId.putIfAbsent(r.id(), r); // the parent comes back first in every replies page
                }
            }
            cursor = SlackApi.nextCursor(envelope);
        } while (cursor != null);
    }

    /**
     * Calls a method about one channel. Returns null when the channel was deleted or left between
     * the listing and this call: skipped, not fatal. With a {@code channel} filter, Slack's refusal
     * of the channel is the caller's input.
     */
    private @Nullable JsonObject readChannelMethod(Channel channel, String method, Map<String, String> query) {
        try {
            return api.read(call.http(), method, channel.id(), query);
        } catch (PermanentException e) {
            if (call.request().filter().containsKey("channel")) {
                throw refusedFilter(channel.id(), e, "");
            }
            String code = e.vendorCode().orElse("");
            if (code.equals("channel_not_found") || code.equals("not_in_channel")) {
                log.info("Skipping Slack channel {}: {}", channel.id(), code);
                return null;
            }
            throw e;
        }
    }

    /** Slack's refusal of the channel a filter names, as the caller's input; other refusals as they are. */
    private static RuntimeException refusedFilter(String channel, PermanentException e, String hint) {
        String code = e.vendorCode().orElse(null);
        if (code == null || !SlackResponseClassifier.REQUEST_ERRORS.contains(code)) {
            return e;
        }
        return new InvalidInputException(
                SlackApi.CONNECTOR,
                "read messages",
                "Slack cannot read channel '" + channel + "': " + code + hint,
                List.of(),
                e);
    }

    private static JsonArray messages(JsonObject envelope) {
        JsonArray a = envelope.array("messages");
        return a == null ? JsonArray.empty() : a;
    }
}
