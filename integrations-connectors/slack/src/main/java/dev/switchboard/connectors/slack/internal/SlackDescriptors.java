package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;

/** The streams and actions of the Slack connector. */
public final class SlackDescriptors {
    private SlackDescriptors() {}

    public static final String CONVERSATIONS = "conversations";
    public static final String MESSAGES = "messages";
    public static final String USERS = "users";
    public static final String POST_MESSAGE = "post_message";
    public static final String REPLY_IN_THREAD = "reply_in_thread";

    static final Schema CONVERSATION_SCHEMA = Schema.builder()
            .required("id", FieldType.STRING)
            .required("is_archived", FieldType.BOOLEAN)
            .required("created", FieldType.INTEGER)
            // A DM's object (users.conversations lists them) has no name, is_channel or is_private.
            .optional("name", FieldType.STRING)
            .optional("is_channel", FieldType.BOOLEAN)
            .optional("is_private", FieldType.BOOLEAN)
            .optional("is_group", FieldType.BOOLEAN)
            .optional("is_im", FieldType.BOOLEAN)
            .optional("is_mpim", FieldType.BOOLEAN)
            .optional("is_general", FieldType.BOOLEAN)
            .optional("is_member", FieldType.BOOLEAN)
            .optional("creator", FieldType.STRING)
            .optional("updated", FieldType.INTEGER)
            .optional("name_normalized", FieldType.STRING)
            .optional("topic", FieldType.OBJECT)
            .optional("purpose", FieldType.OBJECT)
            .optional("num_members", FieldType.INTEGER)
            // The rest of what conversations.list answers (the shape of the real sample), so that none of
            // it is reported as drift.
            .optional("is_shared", FieldType.BOOLEAN)
            .optional("is_ext_shared", FieldType.BOOLEAN)
            .optional("is_org_shared", FieldType.BOOLEAN)
            .optional("is_pending_ext_shared", FieldType.BOOLEAN)
            .optional("is_global_shared", FieldType.BOOLEAN)
            .optional("is_org_default", FieldType.BOOLEAN)
            .optional("is_org_mandatory", FieldType.BOOLEAN)
            .optional("is_user_deleted", FieldType.BOOLEAN)
            .optional("is_moved", FieldType.INTEGER)
            .optional("unlinked", FieldType.INTEGER)
            .optional("priority", FieldType.NUMBER)
            .optional("user", FieldType.STRING)
            .optional("context_team_id", FieldType.STRING)
            .optional("conversation_host_id", FieldType.STRING)
            .optional("shared_team_ids", FieldType.ARRAY)
            .optional("internal_team_ids", FieldType.ARRAY)
            .optional("pending_shared", FieldType.ARRAY)
            .optional("pending_connected_team_ids", FieldType.ARRAY)
            .optional("previous_names", FieldType.ARRAY)
            .optional("properties", FieldType.OBJECT)
            // ... and what conversations.info adds.
            .optional("is_read_only", FieldType.BOOLEAN)
            .optional("is_thread_only", FieldType.BOOLEAN)
            .optional("is_non_threadable", FieldType.BOOLEAN)
            .optional("last_read", FieldType.STRING)
            .optional("locale", FieldType.STRING)
            .optional("connected_team_ids", FieldType.ARRAY)
            .optional("connected_limited_team_ids", FieldType.ARRAY)
            .build();

    static final Schema MESSAGE_SCHEMA = Schema.builder()
            .required("id", FieldType.STRING)
            .required("channel", FieldType.STRING)
            .required("ts", FieldType.STRING)
            .required("type", FieldType.STRING)
            .optional("user", FieldType.STRING)
            .optional("text", FieldType.STRING)
            .optional("team", FieldType.STRING)
            .optional("thread_ts", FieldType.STRING)
            .optional("reply_count", FieldType.INTEGER)
            .optional("reply_users_count", FieldType.INTEGER)
            .optional("latest_reply", FieldType.STRING)
            .optional("reply_users", FieldType.ARRAY)
            .optional("parent_user_id", FieldType.STRING)
            .optional("edited", FieldType.OBJECT)
            .optional("reactions", FieldType.ARRAY)
            // The rest of what conversations.history answers (the shape of the real sample).
            .optional("subtype", FieldType.STRING)
            .optional("client_msg_id", FieldType.STRING)
            .optional("username", FieldType.STRING)
            .optional("bot_id", FieldType.STRING)
            .optional("app_id", FieldType.STRING)
            .optional("bot_profile", FieldType.OBJECT)
            .optional("icons", FieldType.OBJECT)
            .optional("display_as_bot", FieldType.BOOLEAN)
            .optional("blocks", FieldType.ARRAY)
            .optional("attachments", FieldType.ARRAY)
            .optional("files", FieldType.ARRAY)
            .optional("x_files", FieldType.ARRAY)
            .optional("upload", FieldType.BOOLEAN)
            .optional("metadata", FieldType.OBJECT)
            .optional("root", FieldType.OBJECT)
            .optional("subscribed", FieldType.BOOLEAN)
            .optional("is_locked", FieldType.BOOLEAN)
            .optional("inviter", FieldType.STRING)
            .optional("topic", FieldType.STRING)
            .optional("purpose", FieldType.STRING)
            .optional("assistant_app_thread", FieldType.OBJECT)
            .build();

    static final Schema USER_SCHEMA = Schema.builder()
            .required("id", FieldType.STRING)
            .required("team_id", FieldType.STRING)
            .required("name", FieldType.STRING)
            .required("deleted", FieldType.BOOLEAN)
            .optional("real_name", FieldType.STRING)
            .optional("tz", FieldType.STRING)
            .optional("is_admin", FieldType.BOOLEAN)
            .optional("is_owner", FieldType.BOOLEAN)
            .optional("is_bot", FieldType.BOOLEAN)
            .optional("is_app_user", FieldType.BOOLEAN)
            .optional("updated", FieldType.INTEGER)
            .optional("profile", FieldType.OBJECT)
            // The rest of what users.list answers (the shape of the real sample).
            .optional("color", FieldType.STRING)
            .optional("tz_label", FieldType.STRING)
            .optional("tz_offset", FieldType.INTEGER)
            .optional("is_primary_owner", FieldType.BOOLEAN)
            .optional("is_restricted", FieldType.BOOLEAN)
            .optional("is_ultra_restricted", FieldType.BOOLEAN)
            .optional("is_email_confirmed", FieldType.BOOLEAN)
            .optional("is_workflow_bot", FieldType.BOOLEAN)
            .optional("has_2fa", FieldType.BOOLEAN)
            .optional("two_factor_type", FieldType.STRING)
            .optional("locale", FieldType.STRING)
            .optional("who_can_share_contact_card", FieldType.STRING)
            .optional("enterprise_user", FieldType.OBJECT)
            // ... and what users.info adds.
            .optional("enterprise_id", FieldType.STRING)
            .optional("enterprise_name", FieldType.STRING)
            .optional("is_connector_bot", FieldType.BOOLEAN)
            .optional("is_invited_user", FieldType.BOOLEAN)
            .optional("is_stranger", FieldType.BOOLEAN)
            .optional("teams", FieldType.ARRAY)
            .build();

    private static final String CHANNEL_PROPERTY = "\"channel\":{\"type\":\"string\",\"pattern\":\"^[CGD][A-Z0-9]+$\","
            + "\"description\":\"The channel id, e.g. C0123ABCD (not its name)\"}";
    private static final String TEXT_PROPERTY = "\"text\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":40000,"
            + "\"description\":\"The message, in Slack mrkdwn\"}";
    private static final String KEY_PROPERTY =
            "\"idempotency_key\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":100,"
                    + "\"description\":\"Pass the same key when repeating a call, so that the message is posted once\"}";

    static final JsonObject POST_MESSAGE_INPUT = (JsonObject) Json.parse("{\"type\":\"object\",\"properties\":{"
            + CHANNEL_PROPERTY + "," + TEXT_PROPERTY + "," + KEY_PROPERTY
            + "},\"required\":[\"channel\",\"text\"],\"additionalProperties\":false}");

    static final JsonObject REPLY_IN_THREAD_INPUT = (JsonObject) Json.parse("{\"type\":\"object\",\"properties\":{"
            + CHANNEL_PROPERTY + "," + TEXT_PROPERTY + "," + KEY_PROPERTY + ","
            + "\"thread_ts\":{\"type\":\"string\",\"pattern\":\"^[0-9]+\\\\.[0-9]+$\",\"description\":\"The ts of the thread's parent message\"},"
            + "\"reply_broadcast\":{\"type\":\"boolean\",\"description\":\"Also show the reply in the channel\"}"
            + "},\"required\":[\"channel\",\"thread_ts\",\"text\"],\"additionalProperties\":false}");

    /**
     * The output of both actions, as {@link SlackPoster} builds it: always channel, ts, idempotency_key
     * and already_posted; thread_ts when the message is in a thread.
     */
    static final JsonObject POST_OUTPUT = (JsonObject)
            Json.parse(
                    "{\"type\":\"object\",\"properties\":{"
                            + "\"channel\":{\"type\":\"string\",\"description\":\"The channel id posted to\"},"
                            + "\"ts\":{\"type\":\"string\",\"pattern\":\"^[0-9]+\\\\.[0-9]+$\","
                            + "\"description\":\"The message's timestamp: its id within the channel\"},"
                            + "\"thread_ts\":{\"type\":\"string\",\"pattern\":\"^[0-9]+\\\\.[0-9]+$\","
                            + "\"description\":\"The ts of the thread's parent message, when the message is in a thread\"},"
                            + "\"idempotency_key\":{\"type\":\"string\",\"minLength\":1,"
                            + "\"description\":\"The key in the message's metadata: the caller's, or a generated one;"
                            + " pass it again to repeat the call safely\"},"
                            + "\"already_posted\":{\"type\":\"boolean\","
                            + "\"description\":\"true when a message with this key was already there and nothing new was posted\"}"
                            + "},\"required\":[\"channel\",\"ts\",\"idempotency_key\",\"already_posted\"],\"additionalProperties\":false}");

    public static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(SlackApi.CONNECTOR)
            .authKind(AuthKind.BEARER)
            .stream(new StreamDescriptor(CONVERSATIONS, CONVERSATION_SCHEMA, "id", null)
                    .withDescription("One Slack channel of the workspace, public or private (private ones only when"
                            + " the app is a member), archived ones included: its id (C... or G..., what messages"
                            + " and actions take), name, is_private, is_archived, is_member (whether the app can read"
                            + " and post there), topic, purpose and num_members. A full read in Slack's order, with"
                            + " no cursor. ReadRequest.where(\"user\", a Slack user id U...) reads instead the"
                            + " conversations that user is a member of (channels, group DMs and DMs; private ones"
                            + " only where the app is a member too), without is_member and num_members; no other"
                            + " filter is accepted."))
            .stream(new StreamDescriptor(MESSAGES, MESSAGE_SCHEMA, "id", "ts")
                    .withDescription("One Slack message, top-level or a thread reply, from a channel the app is a"
                            + " member of: id ({channel}:{ts}), channel, ts, user, text (mrkdwn), thread_ts and"
                            + " reply_count, edited and reactions. Read channel by channel, newest first within a"
                            + " channel, with one checkpoint position per channel. An incremental read sees new"
                            + " replies only in threads whose parent is at most the connection's thread_lookback (7"
                            + " days by default) older than the channel's position, edits of top-level messages"
                            + " inside that look-back, and no deletions (webhooks deliver those). ReadRequest.where(\"channel\", a channel"
                            + " id) reads one channel; no other filter is accepted."))
            .stream(new StreamDescriptor(USERS, USER_SCHEMA, "id", null)
                    .withDescription("One member of the Slack workspace, people and bots alike: id (U... or W...,"
                            + " what a message's user holds), name, real_name, deleted (deactivated), is_bot,"
                            + " is_admin, tz and profile (display_name, title, phone; email only when the grant includes"
                            + " users:read.email). A full read in Slack's"
                            + " order, with no cursor; it takes no filter (ReadRequest.where fails with"
                            + " InvalidInputException)."))
            // retrySafe=false: core must never resend the raw POST; the connector makes a lost answer safe
            // itself, by looking for its marker before posting again.
            .action(new ActionDescriptor(
                            POST_MESSAGE,
                            "Posts text (Slack mrkdwn) as a new message to one Slack channel, given by its id"
                                    + " (C..., G... or D...), not its name; the app must be a member of the channel,"
                                    + " or Slack refuses the post (InvalidInputException naming not_in_channel)."
                                    + " Posted at most once: the message carries idempotency_key (or a generated key)"
                                    + " in its metadata, and a call repeated with the same key, or retried after a"
                                    + " lost answer, finds it among the channel's 200 most recent messages and returns"
                                    + " it with already_posted true instead of posting again. Does not edit or delete"
                                    + " messages, or post files or blocks. Returns channel, ts (the message's id in"
                                    + " the channel) and idempotency_key.",
                            POST_MESSAGE_INPUT,
                            Effect.WRITE,
                            false)
                    .withOutputSchema(POST_OUTPUT))
            .action(new ActionDescriptor(
                            REPLY_IN_THREAD,
                            "Posts text (Slack mrkdwn) as a reply in one Slack thread: channel (its id) and"
                                    + " thread_ts, the ts of the parent message (a message without replies becomes the"
                                    + " parent of a new thread); reply_broadcast true also shows the reply in the"
                                    + " channel. Posted at most once, as post_message is: a call repeated with the same"
                                    + " idempotency_key, or retried after a lost answer, finds the reply among the"
                                    + " thread's first 1,000 messages and returns it with already_posted true instead"
                                    + " of posting again. Does not edit or delete messages. Returns channel, ts of the"
                                    + " reply, thread_ts and idempotency_key.",
                            REPLY_IN_THREAD_INPUT,
                            Effect.WRITE,
                            false)
                    .withOutputSchema(POST_OUTPUT))
            .build();
}
