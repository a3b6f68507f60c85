package dev.switchboard.normalize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A team, group or queue of the source's {@link User}s (a Salesforce queue, a HubSpot team).
 * Immutable; every value carries its {@link Provenance}.
 */
public final class Team extends Entity {
    /** Name. */
    public static final Field<String> NAME = Field.of(EntityType.TEAM, "name", ValueKind.TEXT, String.class);

    /** Its members, where the source lists them on the team. */
    public static final Field<List<EntityRef>> MEMBERS = Field.structured(EntityType.TEAM, "members", List.class);

    /** When the source created it. */
    public static final Field<Instant> CREATED_AT =
            Field.of(EntityType.TEAM, "createdAt", ValueKind.TIMESTAMP, Instant.class);

    /** When the source last changed it. */
    public static final Field<Instant> UPDATED_AT =
            Field.of(EntityType.TEAM, "updatedAt", ValueKind.TIMESTAMP, Instant.class);

    static final List<Field<?>> FIELDS = List.of(NAME, MEMBERS, CREATED_AT, UPDATED_AT);

    Team(Builder b) {
        super(b);
    }

    /** Name. */
    public Optional<String> name() {
        return get(NAME);
    }

    /** Its members; empty when the source does not list them on the team. */
    public List<EntityRef> members() {
        return get(MEMBERS).orElse(List.of());
    }
}
