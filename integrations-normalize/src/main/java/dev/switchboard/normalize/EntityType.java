package dev.switchboard.normalize;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kinds of entity every source is normalized into. */
public enum EntityType {
    /** A customer's person: a contact (a source's own users are {@link #USER}). */
    PERSON,
    /** An account or company. */
    ORGANIZATION,
    /** A case or ticket. */
    TICKET,
    /** An opportunity or deal. */
    DEAL,
    /** A chat message, possibly in a thread. */
    MESSAGE,
    /** A task, note, call or meeting. */
    ACTIVITY,
    /** A user of the source system: an agent, rep or record owner. */
    USER,
    /** A team, group or queue of users. */
    TEAM,
    /** One entry of a ticket's conversation. */
    COMMENT,
    /** A prospect not yet qualified into a contact. */
    LEAD,
    /** The ordered stages of deals or tickets. */
    PIPELINE,
    /** Anything no mapper claims: every source field kept, typed by its JSON type. */
    GENERIC;

    /** The standard fields of this type, in declaration order; none for {@link #GENERIC}. */
    public List<Field<?>> fields() {
        return switch (this) {
            case PERSON -> Person.FIELDS;
            case ORGANIZATION -> Organization.FIELDS;
            case TICKET -> Ticket.FIELDS;
            case DEAL -> Deal.FIELDS;
            case MESSAGE -> Message.FIELDS;
            case ACTIVITY -> Activity.FIELDS;
            case USER -> User.FIELDS;
            case TEAM -> Team.FIELDS;
            case COMMENT -> Comment.FIELDS;
            case LEAD -> Lead.FIELDS;
            case PIPELINE -> Pipeline.FIELDS;
            case GENERIC -> List.of();
        };
    }

    /** The standard field of this type with that name, e.g. {@code email} for {@link #PERSON}. */
    public Optional<Field<?>> field(String name) {
        return fields().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Parses a type name case-insensitively ({@code person}, {@code TICKET}). */
    public static EntityType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown entity type '" + name + "'; use one of " + List.of(values()), e);
        }
    }
}
