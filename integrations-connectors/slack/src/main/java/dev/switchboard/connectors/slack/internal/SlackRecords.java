package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps Slack objects to records. Data keeps Slack's fields as they came; messages gain the two
 * fields Slack's message objects lack: {@code channel} and {@code id} ({@code {channel}:{ts}}, since
 * a ts is unique only within its channel).
 *
 * <p>ACLs: the tenant is the workspace (team id from the connection's settings). Public channels and
 * their messages are visible to the tenant; private channels and their messages are {@code PRIVATE}
 * to their owner (creator or author) plus the role {@code slack:channel:{id}}, which an access
 * policy grants to the channel's members. Users are visible to the tenant.
 */
public final class SlackRecords {
    public static final String CONNECTOR = SlackApi.CONNECTOR;

    private final String connection;
    private final String team;

    public SlackRecords(String connection, String team) {
        this.connection = connection;
        this.team = team;
    }

    /** The role that sees a private channel and its messages. */
    public static String channelRole(String channelId) {
        return "slack:channel:" + channelId;
    }

    public Record conversation(JsonObject channel) {
        String id = require(channel, "id");
        boolean isPrivate = Boolean.TRUE.equals(channel.bool("is_private"));
        BigDecimal updated = channel.number("updated"); // milliseconds
        BigDecimal created = channel.number("created"); // seconds
        Instant updatedAt = updated != null
                ? Instant.ofEpochMilli(updated.longValue())
                : created != null ? Instant.ofEpochSecond(created.longValue()) : null;
        return Record.builder().stream("conversations")
                .id(id)
                .source(new RecordSource(CONNECTOR, connection, "conversation"))
                .data(channel)
                .updatedAt(updatedAt)
                .version(updated != null ? updated.toPlainString() : null)
                .acl(acl(channel.string("creator"), id, isPrivate))
                .build();
    }

    /** A message of {@code channel}, with {@code channel} and {@code id} added to its fields. */
    public Record message(String channelId, boolean privateChannel, JsonObject message) {
        String ts = require(message, "ts");
        String id = messageId(channelId, ts);
        JsonObject data = message.newBuilder()
                .put("channel", new JsonString(channelId))
                .put("id", new JsonString(id))
                .build();
        JsonObject edited = message.object("edited");
        String editedTs = edited == null ? null : edited.string("ts");
        String version = editedTs != null ? editedTs : ts;
        String author = message.string("user") != null ? message.string("user") : message.string("bot_id");
        return Record.builder().stream("messages")
                .id(id)
                .source(new RecordSource(CONNECTOR, connection, "message"))
                .data(data)
                .updatedAt(instant(version))
                .version(version)
                .acl(acl(author, channelId, privateChannel))
                .build();
    }

    public Record user(JsonObject user) {
        String id = require(user, "id");
        BigDecimal updated = user.number("updated"); // seconds
        return Record.builder().stream("users")
                .id(id)
                .source(new RecordSource(CONNECTOR, connection, "user"))
                .data(user)
                .updatedAt(updated == null ? null : Instant.ofEpochSecond(updated.longValue()))
                .version(updated == null ? null : updated.toPlainString())
                .acl(new Acl(id, team, Visibility.TENANT, Set.of()))
                .build();
    }

    private Acl acl(@Nullable String owner, String channelId, boolean privateChannel) {
        return privateChannel
                ? new Acl(owner, team, Visibility.PRIVATE, Set.of(channelRole(channelId)))
                : new Acl(owner, team, Visibility.TENANT, Set.of());
    }

    public static String messageId(String channelId, String ts) {
        return channelId + ":" + ts;
    }

    /** A Slack ts ({@code 1512085950.000216}: seconds, then microseconds) as an instant; null if malformed. */
    public static @Nullable Instant instant(@Nullable String ts) {
        if (ts == null) {
            return null;
        }
        try {
            BigDecimal v = new BigDecimal(ts);
            long seconds = v.longValue();
            long nanos =
                    v.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** An instant as a Slack ts (seconds, then six digits of microseconds). */
    public static String ts(Instant instant) {
        return String.format("%d.%06d", instant.getEpochSecond(), instant.getNano() / 1000);
    }

    /** Orders Slack timestamps numerically (they are decimal strings). */
    public static int compareTs(String a, String b) {
        return new BigDecimal(a).compareTo(new BigDecimal(b));
    }

    /** A ts {@code amount} earlier, for lookback windows; never below zero. */
    public static String minus(String ts, java.time.Duration amount) {
        BigDecimal v = new BigDecimal(ts).subtract(BigDecimal.valueOf(amount.toSeconds()));
        return v.signum() < 0 ? "0" : v.toPlainString();
    }

    private static String require(JsonObject o, String field) {
        String v = o.string(field);
        if (v == null) {
            throw new dev.switchboard.core.error.PermanentException(
                    CONNECTOR, "map", "a Slack object has no '" + field + "'");
        }
        return v;
    }
}
