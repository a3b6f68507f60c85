package dev.switchboard.normalize;

import dev.switchboard.core.model.Record;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The source record an entity was made from; shared by the provenance of all its values.
 *
 * @param connector the connector id, e.g. {@code salesforce}
 * @param connection the configured connection id
 * @param account the vendor account (Salesforce org, HubSpot portal, Slack team) when the record's
 *     ACL names it, else the connection id
 * @param object the source object or stream, e.g. {@code Contact}, {@code contacts}
 * @param sourceId the record's id at the source
 * @param sourceVersion the record's version at the source (SystemModstamp, updatedAt, ts), if known
 * @param updatedAt when the source last changed the record, if known
 */
public record Origin(
        String connector,
        String connection,
        String account,
        String object,
        String sourceId,
        @Nullable String sourceVersion,
        @Nullable Instant updatedAt) {
    public Origin {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(sourceId, "sourceId");
    }

    /** The origin of a record read through core. */
    public static Origin of(Record record) {
        String account = record.acl() == null
                ? record.source().connection()
                : record.acl().tenant();
        return new Origin(
                record.source().connector(),
                record.source().connection(),
                account,
                record.source().object(),
                record.id(),
                record.version(),
                record.updatedAt());
    }

    /** A reference to this record, as an entity of {@code type}. */
    public EntityRef ref(EntityType type) {
        return new EntityRef(type, connector, connection, object, sourceId);
    }
}
