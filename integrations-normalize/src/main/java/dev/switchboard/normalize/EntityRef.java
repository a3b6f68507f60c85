package dev.switchboard.normalize;

import java.util.Objects;

/**
 * A reference to an entity by its source identity: a contact's account, a ticket's requester.
 *
 * @param type the type of entity referred to
 * @param connector the connector id
 * @param connection the connection id
 * @param object the source object, e.g. {@code Account}, {@code companies}
 * @param id the id at the source
 */
public record EntityRef(EntityType type, String connector, String connection, String object, String id) {
    public EntityRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(id, "id");
    }

    /** A stable key, {@code connection/object/id}: unique across the sources of one Switchboard. */
    public String key() {
        return connection + "/" + object + "/" + id;
    }

    @Override
    public String toString() {
        return type + "[" + key() + "]";
    }
}
