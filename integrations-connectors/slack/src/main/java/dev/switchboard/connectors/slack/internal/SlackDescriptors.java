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
            .required("name", FieldType.STRING)
            .required("is_channel", FieldType.BOOLEAN)
            .required("is_private", FieldType.BOOLEAN)
            .required("is_archived", FieldType.BOOLEAN)
            .required("created", FieldType.INTEGER)
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

    public static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(SlackApi.CONNECTOR)
            .authKind(AuthKind.BEARER)
            .stream(new StreamDescriptor(CONVERSATIONS, CONVERSATION_SCHEMA, "id", null))
            .stream(new StreamDescriptor(MESSAGES, MESSAGE_SCHEMA, "id", "ts"))
            .stream(new StreamDescriptor(USERS, USER_SCHEMA, "id", null))
            // retrySafe=false: core must never resend the raw POST; the connector makes a lost answer safe
            // itself, by looking for its marker before posting again.
            .action(new ActionDescriptor(
                    POST_MESSAGE,
                    "Posts a message to a Slack channel, once even when repeated with" + " the same idempotency_key",
                    POST_MESSAGE_INPUT,
                    Effect.WRITE,
                    false))
            .action(new ActionDescriptor(
                    REPLY_IN_THREAD,
                    "Replies in a Slack thread, once even when repeated with the" + " same idempotency_key",
                    REPLY_IN_THREAD_INPUT,
                    Effect.WRITE,
                    false))
            .build();
}
