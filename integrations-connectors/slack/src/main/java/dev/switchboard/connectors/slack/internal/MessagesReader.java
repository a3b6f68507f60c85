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
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code messages} stream: top-level messages and their thread replies of every channel the token
 * is a member of (or of the one channel a {@code channel} filter names), read channel by channel and
 * one Slack page per {@link #nextPage()}, so a read holds one page at a time and what it delivered
 * before a failure stays delivered.
 *
 * <p>Each channel is a partition: its {@link Position}'s cursor is the greatest ts the read delivered in
 * it (a ts only grows within a channel, so everything at or below it was there to be read), and its id
 * the read's fixed {@code latest}, up to which the read saw every change it can see. Slack lists a
 * channel newest first and has no ascending order, so a channel's records come newest first, without a
 * position, and the newest of them is held back and delivered last with the channel's position: a read
 * that stops inside a channel leaves that channel's checkpoint where it was and the next read delivers
 * its records again (at least once), never past one it did not deliver. Every Slack call of the read
 * carries the same {@code latest}, fixed when the read starts ({@link #SETTLE} before the clock's now,
 * a margin for the difference between this host's clock and Slack's): a message posted while the read
 * runs, in a channel already read or one still to come, is left to the next read whole, so no later
 * ts read elsewhere can carry a checkpoint past it.
 *
 * <p>A reply does not bring its parent back into {@code conversations.history}: to see new replies in
 * older threads, a resumed channel's history is read from {@code threadLookback} before its position,
 * and every thread whose {@code latest_reply} is after the position is read with
 * {@code conversations.replies}. Of what that look-back reads again, only messages that changed after
 * the position (an edit, a newer reply) are delivered again. Replies in threads older than the
 * look-back, and deletions, are not seen by polling (Slack's Events API delivers them: see
 * {@link SlackWebhooks}).
 *
 * <p>A cursor Slack refuses ({@code invalid_cursor}: it expired while the read paused) restarts the
 * channel from its checkpoint rather than failing the read, at most {@link #MAX_RESTARTS} times.
 *
 * <p>Push-down ({@link StreamCall#rowScope()}): a conversation whose messages' ACL the scope does not admit
 * (a private channel, DM or group DM not among the identity's groups) is not read at all: no
 * {@code conversations.history} or {@code conversations.replies} call is made for it, and its checkpoint
 * position is left as it was, so a later read by a member reads it from where that member's checkpoint is.
 * A scope that admits nothing of the workspace makes no Slack call. The decision uses the messages' own
 * ACL, so it admits exactly what the row rule would keep.
 */
final class MessagesReader implements StreamReader {
    private static final Logger log = LoggerFactory.getLogger(MessagesReader.class);
    /** How far behind the clock's now a read fixes its {@code latest}: host and Slack clocks differ. */
    static final Duration SETTLE = Duration.ofSeconds(10);

    static final int MAX_RESTARTS = 3;

    private final SlackApi api;
    private final SlackRecords records;
    private final StreamCall call;
    private final Duration threadLookback;
    private final String latest;

    private @Nullable Deque<Channel> channels;
    private @Nullable ChannelRead current;
    private int restarts;

    MessagesReader(SlackApi api, SlackRecords records, StreamCall call, Duration threadLookback, Instant now) {
        this.api = api;
        this.records = records;
        this.call = call;
        this.threadLookback = threadLookback;
        Instant fixed = now.minus(SETTLE);
        this.latest = SlackRecords.ts(fixed);
    }

    private record Channel(String id, boolean isPrivate) {}

    /** The read of one channel: its history page by page, each page's threads after it. */
    private final class ChannelRead {
        final Channel channel;
        final @Nullable Position resume;

        @Nullable
        String historyCursor;

        boolean historyDone;
        final Deque<String> threads = new ArrayDeque<>();

        @Nullable
        String threadCursor;
        /** What the last read of the channel covered: every change up to this ts was delivered. */
        final @Nullable String seenUpTo;
        /**
         * The record delivered last, with the channel's position: the newest after the position, or when
         * there is none, the last changed one the look-back read again.
         */
        @Nullable
        Record held;

        @Nullable
        BigDecimal heldTs;

        boolean heldIsNew;

        ChannelRead(Channel channel) {
            this.channel = channel;
            Position p = call.resumeAfter(channel.id());
            // A checkpoint from before channels were partitions holds one position for every channel.
            this.resume = p != null ? p : call.resumeAfter();
            this.seenUpTo = resume == null ? null : seenUpTo(resume);
        }
    }

    @Override
    public Page nextPage() {
        if (channels == null) {
            if (!call.rowScope().admits(records.workspaceAcl())) {
                channels = new ArrayDeque<>(); // nothing of this workspace is kept for the reader: ask Slack nothing
            } else {
                channels = new ArrayDeque<>(channels().stream()
                        .filter(c -> call.rowScope().admits(records.conversationAcl(c.id(), c.isPrivate())))
                        .toList());
            }
        }
        while (true) {
            ChannelRead read = current;
            if (read == null) {
                Channel next = channels.poll();
                if (next == null) {
                    return new Page(List.of(), true);
                }
                read = new ChannelRead(next);
                current = read;
                restarts = 0;
            }
            Page.Builder page = Page.builder();
            boolean called;
            try {
                called = step(read, page);
            } catch (PermanentException e) {
                if (!e.vendorCode().filter("invalid_cursor"::equals).isPresent() || restarts >= MAX_RESTARTS) {
                    throw e;
                }
                restarts++;
                log.info(
                        "Slack refused a cursor of channel {} (invalid_cursor); reading it again from its checkpoint",
                        read.channel.id());
                ChannelRead again = new ChannelRead(read.channel);
                Record held = read.held;
                if (held != null) {
                    page.addOverlap(held); // the new attempt reads it again
                }
                current = again;
                if (page.size() > 0) {
                    return page.build(false);
                }
                continue;
            }
            if (!called) {
                // The channel is read: its newest record goes last, with the channel's position.
                Record held = read.held;
                Position resume = read.resume;
                if (held != null) {
                    String cursor = read.heldIsNew || resume == null
                            ? String.valueOf(held.data().string("ts"))
                            : resume.cursor();
                    page.add(held, Position.in(read.channel.id(), cursor, latest));
                }
                current = null;
            }
            if (page.size() > 0 || called) {
                return page.build(false);
            }
        }
    }

    /** One Slack call of the channel's read; false when the channel has nothing left to call for. */
    private boolean step(ChannelRead read, Page.Builder page) {
        if (!read.threads.isEmpty()) {
            readThreadPage(read, page);
            return true;
        }
        if (!read.historyDone) {
            readHistoryPage(read, page);
            return true;
        }
        return false;
    }

    private void readHistoryPage(ChannelRead read, Page.Builder page) {
        Map<String, String> query = window(read.channel.id());
        if (read.resume != null) {
            query.put("oldest", SlackRecords.minus(read.resume.cursor(), threadLookback));
        }
        if (read.historyCursor != null) {
            query.put("cursor", read.historyCursor);
        }
        JsonObject envelope = readChannelMethod(read.channel, "conversations.history", query);
        if (envelope == null) {
            read.historyDone = true;
            return;
        }
        for (JsonValue v : messages(envelope)) {
            if (!(v instanceof JsonObject m) || m.string("ts") == null) {
                continue;
            }
            offer(read, m, page);
            BigDecimal replies = m.number("reply_count");
            String latestReply = m.string("latest_reply");
            if (replies != null
                    && replies.signum() > 0
                    && (read.resume == null
                            || latestReply == null
                            || SlackRecords.compareTs(latestReply, String.valueOf(read.seenUpTo)) > 0)) {
                read.threads.add(String.valueOf(m.string("ts")));
            }
        }
        read.historyCursor = SlackApi.nextCursor(envelope);
        read.historyDone = read.historyCursor == null;
    }

    private void readThreadPage(ChannelRead read, Page.Builder page) {
        String threadTs = read.threads.peek();
        Map<String, String> query = window(read.channel.id());
        query.put("ts", threadTs);
        if (read.seenUpTo != null) {
            query.put("oldest", read.seenUpTo);
        }
        if (read.threadCursor != null) {
            query.put("cursor", read.threadCursor);
        }
        JsonObject envelope = readChannelMethod(read.channel, "conversations.replies", query);
        String next = null;
        if (envelope != null) {
            for (JsonValue v : messages(envelope)) {
                // The parent comes first on every page; history delivered it.
                if (v instanceof JsonObject m && m.string("ts") != null && !threadTs.equals(m.string("ts"))) {
                    offer(read, m, page);
                }
            }
            next = SlackApi.nextCursor(envelope);
        }
        read.threadCursor = next;
        if (next == null) {
            read.threads.poll();
        }
    }

    /** The query every call of the read starts from: the channel, the page size, the fixed {@code latest}. */
    private Map<String, String> window(String channel) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("channel", channel);
        query.put("limit", String.valueOf(SlackSession.pageSize(call)));
        query.put("latest", latest);
        query.put("inclusive", "true");
        return query;
    }

    /**
     * Delivers a message read, unless it is one the look-back read again unchanged: at or before the
     * channel's position, and neither edited nor replied to after what the last read covered. One record
     * is held back, to go last with the channel's position: the newest after the position, or if there
     * is none, the last changed one.
     */
    private void offer(ChannelRead read, JsonObject m, Page.Builder page) {
        Record r = records.message(read.channel.id(), read.channel.isPrivate(), m);
        BigDecimal at = new BigDecimal(String.valueOf(m.string("ts")));
        Position resume = read.resume;
        boolean isNew = resume == null || at.compareTo(new BigDecimal(resume.cursor())) > 0;
        if (!isNew && !changedAfter(r, m, String.valueOf(read.seenUpTo))) {
            return;
        }
        Record held = read.held;
        BigDecimal heldTs = read.heldTs;
        if (held != null && heldTs != null && read.heldIsNew && (!isNew || at.compareTo(heldTs) <= 0)) {
            page.addOverlap(r);
            return;
        }
        if (held != null) {
            page.addOverlap(held);
        }
        read.held = r;
        read.heldTs = at;
        read.heldIsNew = isNew;
    }

    private static boolean changedAfter(Record r, JsonObject m, String seenUpTo) {
        String version = r.version();
        if (version != null && SlackRecords.compareTs(version, seenUpTo) > 0) {
            return true;
        }
        String latestReply = m.string("latest_reply");
        return latestReply != null && SlackRecords.compareTs(latestReply, seenUpTo) > 0;
    }

    /**
     * What the read that left a position covered: its fixed {@code latest}, which this reader keeps as
     * the position's id (a ts is unique within its channel, so no tie needs breaking). A position of an
     * older read (its id a record id) covered up to its cursor.
     */
    static String seenUpTo(Position position) {
        return position.id().matches("[0-9]+\\.[0-9]+") ? position.id() : position.cursor();
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
            return List.of(new Channel(only, SlackRecords.isPrivate(envelope.object("channel"))));
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
                    channels.add(new Channel(c.string("id"), SlackRecords.isPrivate(c)));
                }
            }
            cursor = SlackApi.nextCursor(envelope);
        } while (cursor != null);
        return channels;
    }

    /**
     * Calls a method about one channel. Returns null when the channel was deleted or left between the
     * listing and this call, or a thread's parent was deleted: skipped, not fatal. With a {@code channel}
     * filter, Slack's refusal of the channel is the caller's input.
     */
    private @Nullable JsonObject readChannelMethod(Channel channel, String method, Map<String, String> query) {
        try {
            return api.read(call.http(), method, channel.id(), query);
        } catch (PermanentException e) {
            String code = e.vendorCode().orElse("");
            if (code.equals("thread_not_found")) {
                log.info("Skipping a thread of Slack channel {}: its parent was deleted", channel.id());
                return null;
            }
            if (code.equals("invalid_cursor")) {
                throw e; // the reader restarts the channel
            }
            if (call.request().filter().containsKey("channel")) {
                throw refusedFilter(channel.id(), e, "");
            }
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
