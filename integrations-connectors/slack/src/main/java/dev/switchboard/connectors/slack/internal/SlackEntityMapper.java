package dev.switchboard.connectors.slack.internal;

import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityMapper;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Message;
import dev.switchboard.normalize.SourceFields;
import dev.switchboard.normalize.User;
import dev.switchboard.normalize.Value;
import java.util.Optional;

/**
 * Maps the Slack connector's records into the unified model: {@code users} to {@link User} (bots
 * flagged, deactivated accounts inactive), {@code messages} to {@link Message}, their authors
 * references to users. {@code conversations} are not claimed and become generic entities. Found by {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public final class SlackEntityMapper implements EntityMapper {
    @Override
    public String connector() {
        return SlackRecords.CONNECTOR;
    }

    @Override
    public boolean maps(String stream) {
        return stream.equals(SlackDescriptors.USERS) || stream.equals(SlackDescriptors.MESSAGES);
    }

    @Override
    public Entity.Builder map(SourceFields in) {
        return switch (in.record().stream()) {
            case SlackDescriptors.USERS -> user(in);
            case SlackDescriptors.MESSAGES -> message(in);
            default -> throw new IllegalArgumentException("no mapping for Slack stream " + in.record().stream());
        };
    }

    /**
     * A member of the workspace: a user of the source, never a customer's person, even when a guest
     * or a member of a shared channel. Bots and apps are flagged; a deactivated account is inactive.
     */
    private static Entity.Builder user(SourceFields in) {
        return in.entity(EntityType.USER)
                .set(User.NAME, in.text("real_name"))
                .set(User.FIRST_NAME, in.text("profile.first_name"))
                .set(User.LAST_NAME, in.text("profile.last_name"))
                .set(User.EMAIL, in.email("profile.email"))
                .set(User.PHONE, in.phone("profile.phone"))
                .set(User.TITLE, in.text("profile.title"))
                .set(User.ACTIVE, in.bool("deleted").map(d -> new Value<>(!d.value(), d.provenance())))
                .set(User.BOT, bot(in))
                // "updated" is in epoch seconds.
                .set(User.UPDATED_AT, in.timestamp("updated"));
    }

    /**
     * A bot user ({@code is_bot}) or an app's user ({@code is_app_user}) is a bot; the value's
     * provenance is the flag that decided it.
     */
    private static Optional<Value<Boolean>> bot(SourceFields in) {
        Optional<Value<Boolean>> bot = in.bool("is_bot");
        if (bot.isPresent() && bot.get().value()) {
            return bot;
        }
        Optional<Value<Boolean>> app = in.bool("is_app_user");
        return app.isPresent() && app.get().value() ? app : bot;
    }

    private static Entity.Builder message(SourceFields in) {
        Optional<Value<String>> channel = in.text("channel");
        return in.entity(EntityType.MESSAGE)
                .set(Message.TEXT, in.text("text"))
                .set(Message.AUTHOR, in.ref("user", EntityType.USER, "user"))
                .set(Message.CHANNEL, channel)
                // The thread is named by its first message's id, {channel}:{thread_ts}, as messages' ids are.
                .set(
                        Message.THREAD,
                        in.text("thread_ts")
                                .flatMap(t -> channel.map(c ->
                                        new Value<>(SlackRecords.messageId(c.value(), t.value()), t.provenance()))))
                .set(Message.SENT_AT, in.timestamp("ts"))
                .set(Message.EDITED_AT, in.timestamp("edited.ts"))
                .set(Message.REPLY_COUNT, in.integer("reply_count"));
    }

    @Override
    public String toString() {
        return "SlackEntityMapper";
    }
}
