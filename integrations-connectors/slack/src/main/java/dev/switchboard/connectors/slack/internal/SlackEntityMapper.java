package dev.switchboard.connectors.slack.internal;

import dev.switchboard.normalize.Coded;
import dev.switchboard.normalize.ContactKind;
import dev.switchboard.normalize.ContactPoint;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityMapper;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Message;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.PersonKind;
import dev.switchboard.normalize.Phone;
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
     * A member of the workspace is a {@link User} of the source (bots and apps flagged, a deactivated
     * account inactive). A member of another organization's workspace, met in a shared (Slack Connect)
     * channel ({@code team_id} is not this workspace's), is a customer's {@link Person}: linked with
     * the customer's records in other sources, never counted among the source's own users.
     */
    private static Entity.Builder user(SourceFields in) {
        Optional<Value<String>> team = in.text("team_id");
        if (team.isPresent() && !team.get().value().trim().equals(in.origin().account())) {
            return externalMember(in);
        }
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

    private static Entity.Builder externalMember(SourceFields in) {
        Optional<Value<Email>> email = in.email("profile.email"); // read once: a bad value is one issue
        Optional<Value<Phone>> phone = in.phone("profile.phone");
        return in.entity(EntityType.PERSON)
                .derived(Person.KIND, new Coded<>(PersonKind.CONTACT, "user"))
                .set(Person.NAME, in.text("real_name"))
                .set(Person.FIRST_NAME, in.text("profile.first_name"))
                .set(Person.LAST_NAME, in.text("profile.last_name"))
                .set(Person.EMAIL, email)
                .set(Person.PHONE, phone)
                .set(Person.EMAILS, in.contactPoints(ContactPoint.of(email, ContactKind.OTHER)))
                .set(Person.PHONES, in.contactPoints(ContactPoint.of(phone, ContactKind.OTHER)))
                .set(Person.TITLE, in.text("profile.title"))
                .set(Person.UPDATED_AT, in.timestamp("updated"));
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
