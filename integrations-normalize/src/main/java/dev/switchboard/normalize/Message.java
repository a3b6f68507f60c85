package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A chat message, possibly a reply in a thread. Immutable; every value carries its {@link Provenance}. */
public final class Message extends Entity {
    /** The message text as sent (markup kept). */
    public static final Field<String> TEXT = Field.of(EntityType.MESSAGE, "text", ValueKind.TEXT, String.class);

    /** Who sent it. */
    public static final Field<EntityRef> AUTHOR = Field.ref(EntityType.MESSAGE, "author", EntityType.USER);

    /** The channel or conversation id. */
    public static final Field<String> CHANNEL = Field.of(EntityType.MESSAGE, "channel", ValueKind.TEXT, String.class);

    /** The id of the thread's first message; absent outside threads. */
    public static final Field<String> THREAD = Field.of(EntityType.MESSAGE, "thread", ValueKind.TEXT, String.class);

    /** When it was sent. */
    public static final Field<Instant> SENT_AT =
            Field.of(EntityType.MESSAGE, "sentAt", ValueKind.TIMESTAMP, Instant.class);

    /** When it was last edited. */
    public static final Field<Instant> EDITED_AT =
            Field.of(EntityType.MESSAGE, "editedAt", ValueKind.TIMESTAMP, Instant.class);

    /** Replies in its thread, for a thread's first message. */
    public static final Field<Long> REPLY_COUNT =
            Field.of(EntityType.MESSAGE, "replyCount", ValueKind.INTEGER, Long.class);

    static final List<Field<?>> FIELDS = List.of(TEXT, AUTHOR, CHANNEL, THREAD, SENT_AT, EDITED_AT, REPLY_COUNT);

    Message(Builder b) {
        super(b);
    }

    /** The message text as sent (markup kept). */
    public Optional<String> text() {
        return get(TEXT);
    }

    /** Who sent it. */
    public Optional<EntityRef> author() {
        return get(AUTHOR);
    }

    /** The channel or conversation id. */
    public Optional<String> channel() {
        return get(CHANNEL);
    }

    /** The id of the thread's first message; absent outside threads. */
    public Optional<String> thread() {
        return get(THREAD);
    }

    /** When it was sent. */
    public Optional<Instant> sentAt() {
        return get(SENT_AT);
    }

    /** When it was last edited. */
    public Optional<Instant> editedAt() {
        return get(EDITED_AT);
    }

    /** Replies in its thread, for a thread's first message. */
    public Optional<Long> replyCount() {
        return get(REPLY_COUNT);
    }
}
