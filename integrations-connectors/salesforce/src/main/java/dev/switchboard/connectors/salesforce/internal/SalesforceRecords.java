package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps SOQL result rows into records: the {@code attributes} envelope is dropped from the data
 * (its {@code type} becomes the record source's object), {@code Id} is the id, {@code SystemModstamp}
 * the update time and source version, and the owner field with the org id, the org's default access to the
 * object ({@link SalesforceSharing}) and the users and groups the record is shared with form the ACL. A row
 * {@code queryAll} returns with {@code IsDeleted} true (a record in the recycle bin) becomes a
 * tombstone deleted at its {@code SystemModstamp}, which Salesforce moves when it deletes a record.
 */
public final class SalesforceRecords {
    public static final String CONNECTOR = "salesforce";

    private final String connection;
    private final @Nullable String orgId;

    /**
     * @param connection the connection id
     * @param orgId the org the connection reads (the ACL's tenant); without it records carry no ACL,
     *     which row-level policies deny
     */
    public SalesforceRecords(String connection, @Nullable String orgId) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.orgId = orgId;
    }

    /** The org the connection reads (the ACL's tenant), or null when the connection names none. */
    public @Nullable String orgId() {
        return orgId;
    }

    /** One row of a query answer as a record of {@code stream}, private to its owner. */
    public Record map(String stream, String ownerField, JsonObject row) {
        return map(stream, ownerField, row, Visibility.PRIVATE, Set.of());
    }

    /**
     * One row of a query answer as a record of {@code stream}, its ACL of this visibility (the org's default
     * for the object) with the owner and these roles (the users and groups it is shared with).
     */
    public Record map(String stream, String ownerField, JsonObject row, Visibility visibility, Set<String> roles) {
        JsonObject attributes = row.object("attributes");
        String id = row.string(SalesforceObjects.ID);
        if (id == null && attributes != null && attributes.string("url") != null) {
            // A row always carries its own URL, ending with its id, even when Id was not selected.
            String url = attributes.string("url");
            id = url.substring(url.lastIndexOf('/') + 1);
        }
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a " + stream + " row without Id");
        }
        String type = attributes == null || attributes.string("type") == null ? stream : attributes.string("type");
        JsonObject data = row.without("attributes");
        String modstamp = row.string(SalesforceObjects.CURSOR);
        Instant updatedAt = SalesforceTime.parseOrNull(modstamp != null ? modstamp : row.string("LastModifiedDate"));
        if (Boolean.TRUE.equals(row.bool(SalesforceObjects.IS_DELETED)) && updatedAt != null) {
            // Only the key and the cursor: a tombstone says which record went, and when.
            JsonObject.Builder key = JsonObject.builder().put(SalesforceObjects.ID, id);
            if (modstamp != null) {
                key.put(SalesforceObjects.CURSOR, modstamp);
            }
            return Record.builder().stream(stream)
                    .id(id)
                    .source(new RecordSource(CONNECTOR, connection, type))
                    .data(key.build())
                    .updatedAt(updatedAt)
                    .version(modstamp)
                    .acl(acl(ownerField, row, visibility, roles))
                    .deleted(updatedAt)
                    .build();
        }
        return Record.builder().stream(stream)
                .id(id)
                .source(new RecordSource(CONNECTOR, connection, type))
                .data(data)
                .updatedAt(updatedAt)
                .version(modstamp)
                .acl(acl(ownerField, row, visibility, roles))
                .build();
    }

    private @Nullable Acl acl(String ownerField, JsonObject row, Visibility visibility, Set<String> roles) {
        if (orgId == null) {
            return null;
        }
        if (ownerField.isEmpty()) {
            return Acl.tenant(orgId); // Users: no owner, no share the connector reads
        }
        String owner = row.string(ownerField);
        Set<String> granted = roles;
        if (owner != null && owner.startsWith(SalesforceSharing.GROUP_PREFIX)) {
            // A queue owns it (cases, leads): its members may read it, as a group's.
            Set<String> withQueue = new LinkedHashSet<>(roles);
            withQueue.add(SalesforceSharing.GROUP_ROLE + owner);
            granted = withQueue;
        }
        // Without an owner a record stays private unless the org's default is public: never wider.
        return new Acl(owner, orgId, visibility, granted);
    }
}
