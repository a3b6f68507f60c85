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
 * <p>ACLs, from Slack's own facts: the tenant is the workspace (team id from the connection's settings).
 * Public channels and their messages are visible to the tenant ({@code TENANT}, owner the creator or
 * author). Private channels, group DMs (MPIMs) and DMs (IMs), and their messages, are {@code PRIVATE} to
 * the group {@code slack:channel:{id}} and to no owner: Slack shows a private conversation to its
 * current members only, and someone who left it no longer sees it, their own messages included. A
 * conversation is taken as private unless Slack says plainly it is a public channel
 * ({@link #isPrivate}): fail closed. A message that names another channel than the one it was read
 * from is private to that channel ({@link #message}). Users are visible to the tenant.
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

    /**
     * Whether a conversation object is private to its members: a DM ({@code is_im}), a group DM
     * ({@code is_mpim}), or any conversation that does not say {@code "is_private": false} (a DM's object
     * has no {@code is_private} at all). Only a plain public channel is not.
     */
    public static boolean isPrivate(@Nullable JsonObject conversation) {
        if (conversation == null) {
            return true;
        }
        return !Boolean.FALSE.equals(conversation.bool("is_private"))
                || Boolean.TRUE.equals(conversation.bool("is_im"))
                || Boolean.TRUE.equals(conversation.bool("is_mpim"));
    }

    /**
     * The ACL of a conversation's messages, without their author (which a private conversation's ACL does
     * not name anyway): what a reader compares with the row scope to decide whether to read the
     * conversation at all.
     */
    public Acl conversationAcl(String channelId, boolean privateChannel) {
        return acl(null, channelId, privateChannel);
    }

    /**
     * An ACL of the workspace visible to all of it: the widest any record of this connection has. A row
     * scope that does not admit it admits no record of the connection (the identity is of another
     * workspace, or there is none).
     */
    public Acl workspaceAcl() {
        return new Acl(null, team, Visibility.TENANT, Set.of());
    }

    public Record conversation(JsonObject channel) {
        String id = require(channel, "id");
        boolean isPrivate = isPrivate(channel);
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

    /**
     * A message of {@code channel}, with {@code channel} and {@code id} added to its fields. A message that
     * itself names another channel ({@code channel}, as Slack's message objects do outside a channel's
     * history) contradicts where it was read: it is made private to the channel it names, so that only
     * that channel's members see it whatever the channel read says (a vendor bug must not turn a private
     * channel's message into a public one's).
     */
    public Record message(String channelId, boolean privateChannel, JsonObject message) {
        String ts = require(message, "ts");
        String named = message.string("channel");
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
                .acl(
                        named != null && !named.equals(channelId)
                                ? acl(null, named, true)
                                : acl(author, channelId, privateChannel))
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
                ? new Acl(null, team, Visibility.PRIVATE, Set.of(channelRole(channelId)))
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
