package dev.switchboard.normalize;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where one value came from: the source record, and the source field that produced it.
 *
 * @param origin the source record (connector, connection, account, object, id, version)
 * @param sourceField the source field, e.g. {@code Customer_Tier__c}, {@code hs_custom_tier} or a nested
 *     {@code profile.email};
 *     null for a value derived from the record as a whole (such as a person's kind)
 */
public record Provenance(Origin origin, @Nullable String sourceField) {
    public Provenance {
        Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String toString() {
        return origin.connector() + ":" + origin.connection() + "/" + origin.object() + "/" + origin.sourceId()
                + (origin.sourceVersion() == null ? "" : "@" + origin.sourceVersion())
                + (sourceField == null ? "" : "#" + sourceField);
    }
}
