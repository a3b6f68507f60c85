package dev.switchboard.connectors.slack;

import dev.switchboard.connectors.slack.internal.SlackDescriptors;
import dev.switchboard.connectors.slack.internal.SlackRecords;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.governance.AccountIdentity;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns what Slack says about one of its users, and the conversations that user is a member of, into the
 * {@link AccountIdentity} the row rule compares with the ACLs of Slack records, for an application's
 * {@link dev.switchboard.core.governance.AccountMapping}. Both facts are read through the Switchboard like
 * any other (its rate budgets, retries and audit apply): the user from the {@code users} stream, their
 * conversations with {@link #request(String)} ({@code users.conversations}).
 *
 * <p>Read them as a {@linkplain dev.switchboard.core.Principal#system(String) system principal}, ahead of
 * time (an AccountMapping is asked once per record and must answer from memory), and refresh them as
 * often as memberships may change; a user who joined a channel since sees its messages from the next refresh,
 * and one who left still sees them until then. For example, with the application's directory knowing each
 * of its users' Slack ids:
 *
 * <pre>{@code
 * AgentContext system = AgentContext.of(Principal.system("slack-directory"));
 * Connection slack = switchboard.connection("slack-acme");
 * Map<String, AccountIdentity> bySlackId = new ConcurrentHashMap<>();
 * for (Record user : readAll(slack, system, ReadRequest.of("users"))) {
 *     List<Record> conversations = readAll(slack, system, SlackMemberships.request(user.id()));
 *     AccountIdentity identity = SlackMemberships.identity("T0123ABCD", user, conversations);
 *     if (identity != null) {
 *         bySlackId.put(user.id(), identity);
 *     }
 * }
 * AccountMapping accounts = (principal, connection) -> connection.equals("slack-acme")
 *         ? bySlackId.get(directory.slackId(principal.userId())) // null: no Slack account, sees nothing there
 *         : AccountMapping.sameIds().identity(principal, connection);
 * PermissionPolicy policy = PermissionPolicy.custom().grant(...).accounts(accounts).build();
 * }</pre>
 *
 * <p>What this cannot know (see {@code docs/connectors/slack.md}): guests are given no identity (Slack shows
 * a guest only the channels they are in, which the workspace-wide ACL of a public channel cannot express, so
 * they see nothing rather than every public channel); people of other organizations in shared (Slack
 * Connect) channels have no identity either; and with a bot token Slack lists a user's private conversations
 * only where the app is a member too, which are the only ones whose messages it can read.
 */
public final class SlackMemberships {
    /** The filter of the {@code conversations} stream that names a Slack user ({@code users.conversations}). */
    public static final String USER_FILTER = "user";

    private SlackMemberships() {}

    /**
     * The read of the conversations {@code slackUserId} is a member of: public and private channels, group DMs
     * and DMs, of the {@code conversations} stream ({@code users.conversations}, paged by Slack's cursor).
     */
    public static ReadRequest request(String slackUserId) {
        Objects.requireNonNull(slackUserId, "slackUserId");
        return ReadRequest.of(SlackDescriptors.CONVERSATIONS).where(USER_FILTER, slackUserId);
    }

    /**
     * The groups of a member of these conversations, as the connector writes them into ACLs:
     * {@code slack:channel:{id}} for each (public channels included, whose records are visible workspace-wide
     * anyway).
     *
     * @throws IllegalArgumentException when a record is not of the {@code conversations} stream
     */
    public static Set<String> groups(Iterable<Record> conversations) {
        Set<String> groups = new LinkedHashSet<>();
        for (Record r : conversations) {
            if (!SlackDescriptors.CONVERSATIONS.equals(r.stream())) {
                throw new IllegalArgumentException(
                        "memberships are records of the conversations stream, not of '" + r.stream() + "'");
            }
            groups.add(SlackRecords.channelRole(r.id()));
        }
        return groups;
    }

    /**
     * The identity of a full member of workspace {@code teamId}: tenant {@code teamId}, user id the Slack user
     * id, groups {@link #groups(Iterable) those of their conversations}. Null, so that the principal sees no
     * record of the connection, when {@code user} is not a full member of that workspace: deactivated
     * ({@code deleted}), a guest ({@code is_restricted} or {@code is_ultra_restricted}), or of another
     * workspace ({@code is_stranger}, or a {@code team_id} that is neither {@code teamId} nor among
     * {@code enterprise_user.teams}).
     *
     * @param teamId the connection's {@code team_id} setting
     * @param user the user's record of the {@code users} stream
     * @param conversations what {@link #request(String)} read for that user
     * @throws IllegalArgumentException when {@code user} is not a record of the {@code users} stream, or a
     *     conversation not one of the {@code conversations} stream
     */
    public static @Nullable AccountIdentity identity(String teamId, Record user, Iterable<Record> conversations) {
        Objects.requireNonNull(teamId, "teamId");
        if (!SlackDescriptors.USERS.equals(user.stream())) {
            throw new IllegalArgumentException(
                    "a Slack user is a record of the users stream, not of '" + user.stream() + "'");
        }
        Set<String> groups = groups(conversations);
        JsonObject data = user.data();
        if (isTrue(data, "deleted")
                || isTrue(data, "is_restricted")
                || isTrue(data, "is_ultra_restricted")
                || isTrue(data, "is_stranger")
                || !inWorkspace(data, teamId)) {
            return null;
        }
        return new AccountIdentity(teamId, user.id(), groups);
    }

    private static boolean isTrue(JsonObject data, String field) {
        return Boolean.TRUE.equals(data.bool(field));
    }

    private static boolean inWorkspace(JsonObject data, String teamId) {
        if (teamId.equals(data.string("team_id"))) {
            return true;
        }
        JsonObject enterprise = data.object("enterprise_user");
        JsonArray teams = enterprise == null ? null : enterprise.array("teams");
        if (teams != null) {
            for (JsonValue t : teams) {
                if (t instanceof JsonString s && teamId.equals(s.value())) {
                    return true;
                }
            }
        }
        return false;
    }
}
