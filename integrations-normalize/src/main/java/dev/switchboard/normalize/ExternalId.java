package dev.switchboard.normalize;

import java.util.Locale;
import java.util.Objects;

/**
 * An id of the same thing in another system: a HubSpot company's {@code salesforceaccountid}, a
 * database row's CRM id. Records that share one are linked. Every entity also has its own,
 * {@code (connector, source id)}.
 *
 * @param system the other system, lower case, e.g. {@code salesforce}
 * @param id the id there
 */
public record ExternalId(String system, String id) {
    public ExternalId {
        system = Objects.requireNonNull(system, "system").trim().toLowerCase(Locale.ROOT);
        id = Objects.requireNonNull(id, "id").trim();
        if (system.isEmpty() || id.isEmpty()) {
            throw new IllegalArgumentException("an external id needs a system and an id");
        }
    }
}
