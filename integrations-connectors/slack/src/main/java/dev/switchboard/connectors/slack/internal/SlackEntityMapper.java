package dev.switchboard.connectors.slack.internal;

import dev.switchboard.normalize.Coded;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityMapper;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Message;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.PersonKind;
import dev.switchboard.normalize.SourceFields;
import dev.switchboard.normalize.Value;
import java.util.Optional;

/**
 * Maps the Slack connector's records into the unified model: {@code users} to {@link Person}
 * ({@link PersonKind#USER}), {@code messages} to {@link Message}. {@code conversations} are not
 * claimed and become generic entities. Flags such as {@code deleted} and {@code is_bot} stay in the
 * raw record. Found by {@link java.util.ServiceLoader}; stateless and thread-safe.
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

    private static Entity.Builder user(SourceFields in) {
        return in.entity(EntityType.PERSON)
                .derived(Person.KIND, new Coded<>(PersonKind.USER, "user"))
                .set(Person.NAME, in.text("real_name"))
                .set(Person.FIRST_NAME, in.text("profile.first_name"))
                .set(Person.LAST_NAME, in.text("profile.last_name"))
                .set(Person.EMAIL, in.email("profile.email"))
                .set(Person.PHONE, in.phone("profile.phone"))
                .set(Person.TITLE, in.text("profile.title"))
                // "updated" is in epoch seconds.
                .set(Person.UPDATED_AT, in.timestamp("updated"));
    }

    private static Entity.Builder message(SourceFields in) {
        Optional<Value<String>> channel = in.text("channel");
        return in.entity(EntityType.MESSAGE)
                .set(Message.TEXT, in.text("text"))
                .set(Message.AUTHOR, in.ref("user", EntityType.PERSON, "user"))
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
