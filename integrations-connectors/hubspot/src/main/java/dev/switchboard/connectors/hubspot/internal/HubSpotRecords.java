package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.core.time.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Maps HubSpot's CRM objects into records: the envelope ({@code id}, {@code createdAt},
 * {@code updatedAt}, {@code archived}) and the properties flattened into one object, so the schema
 * can promise each property; version and updatedAt from the modstamp; an ACL with the owner
 * ({@code hubspot_owner_id}) in the portal.
 */
public final class HubSpotRecords {
    /** Records in cursor order: modstamp, then id (numeric, as HubSpot's ids are). */
    public static final Comparator<Record> CURSOR_ORDER = Comparator.comparing(
                    (Record r) -> cursorInstant(r.data().string(HubSpotObjects.CURSOR)))
            .thenComparing(Record::id, HubSpotRecords::compareIds);

    /** The envelope's fields ({@code id}, {@code createdAt}, {@code updatedAt}, {@code archived}); a chain of equals, as this runs for every property of every record. */
    private static boolean isEnvelope(String name) {
        return name.equals("id") || name.equals("createdAt") || name.equals("updatedAt") || name.equals("archived");
    }

    /** The ACL role of a HubSpot team: {@code hubspot:team:<id>}. */
    public static final String TEAM_ROLE = "hubspot:team:";
    /** The property naming a record's owner. */
    public static final String OWNER_PROPERTY = "hubspot_owner_id";
    /** The property naming a record's team. */
    public static final String TEAM_PROPERTY = "hubspot_team_id";

    /**
     * Who may read a CRM record, as the application's HubSpot permission set says (HubSpot does not expose
     * it per record): the whole portal, its owner and owner's team, or its owner only.
     */
    public enum RecordVisibility {
        /** Every user of the portal ("Everything"): the record is visible tenant-wide. */
        PORTAL,
        /** "Team only": private to its owner and the members of its team. */
        TEAM,
        /** "Owned only": private to its owner. */
        OWNER;

        /** The setting's value: {@code portal}, {@code team} or {@code owner}. */
        public static RecordVisibility parse(String value) {
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "portal" -> PORTAL;
                case "team" -> TEAM;
                case "owner" -> OWNER;
                default -> throw new IllegalArgumentException("must be portal, team or owner");
            };
        }
    }

    private final String connection;
    private final String portalId;
    private final RecordVisibility visibility;
    /** Shared by every record without an owner: built once, not per record. */
    private final Acl portalAcl;
    /** One provenance per object: records of one object share it, as they share an immutable value. */
    private final Map<String, RecordSource> sources = new ConcurrentHashMap<>();

    public HubSpotRecords(String connection, String portalId) {
        this(connection, portalId, RecordVisibility.PORTAL);
    }

    public HubSpotRecords(String connection, String portalId, RecordVisibility visibility) {
        this.connection = connection;
        this.portalId = portalId;
        this.visibility = visibility;
        this.portalAcl = Acl.tenant(portalId);
    }

    private RecordSource sourceOf(String object) {
        return sources.computeIfAbsent(object, o -> new RecordSource("hubspot", connection, o));
    }

    /** The portal (the ACL's tenant). */
    public String portalId() {
        return portalId;
    }

    /** Who may read CRM records of this connection. */
    public RecordVisibility visibility() {
        return visibility;
    }

    /**
     * A CRM record's ACL: its owner, and its team as the role {@code hubspot:team:<id>}; visible portal-wide,
     * or, with {@link RecordVisibility#TEAM} or {@link RecordVisibility#OWNER}, private (a record without an
     * owner, or team, is then visible to nobody but a system principal: never wider than HubSpot).
     */
    private Acl aclOf(@Nullable String owner, @Nullable String team) {
        String o = owner == null || owner.isBlank() ? null : owner;
        String t = team == null || team.isBlank() ? null : team;
        if (visibility == RecordVisibility.PORTAL) {
            if (o == null && t == null) {
                return portalAcl;
            }
            return new Acl(o, portalId, Visibility.TENANT, t == null ? Set.of() : Set.of(TEAM_ROLE + t));
        }
        Set<String> roles = visibility == RecordVisibility.TEAM && t != null ? Set.of(TEAM_ROLE + t) : Set.of();
        return new Acl(o, portalId, Visibility.PRIVATE, roles);
    }

    /** A CRM object ({@code contacts}, {@code tickets}, ...) as a record of the stream of the same name. */
    public Record crmObject(String object, JsonObject raw) {
        JsonObject props = raw.object("properties");
        JsonObject.Builder data = JsonObject.builder(4 + (props == null ? 0 : props.size()));
        String id = raw.string("id");
        if (id == null) {
            throw new IllegalArgumentException("a HubSpot " + object + " object without an id");
        }
        data.put("id", id);
        copy(raw, "createdAt", data);
        copy(raw, "updatedAt", data);
        copy(raw, "archived", data);
        if (props != null) {
            props.fields().forEach((name, value) -> {
                if (!isEnvelope(name)) { // a property never shadows the envelope
                    data.put(name, value);
                }
            });
        }
        JsonObject built = data.build();
        String updated = raw.string("updatedAt");
        String owner = props == null ? null : props.string(OWNER_PROPERTY);
        String team = props == null ? null : props.string(TEAM_PROPERTY);
        return Record.builder().stream(object)
                .id(id)
                .source(sourceOf(object))
                .data(built)
                .updatedAt(updated == null ? null : cursorInstant(updated))
                .version(updated)
                .acl(aclOf(owner, team))
                .build();
    }

    /**
     * An archived CRM object (from {@code GET /crm/v3/objects/{object}?archived=true}) as a tombstone: its
     * id, and {@code archivedAt} as its cursor, version and time of deletion; null without {@code archivedAt}.
     */
    public @Nullable Record archived(String object, JsonObject raw) {
        String id = raw.string("id");
        String archivedAt = raw.string("archivedAt");
        if (id == null || archivedAt == null) {
            return null;
        }
        Instant at = cursorInstant(archivedAt);
        JsonObject props = raw.object("properties");
        String owner = props == null ? null : props.string(OWNER_PROPERTY);
        String team = props == null ? null : props.string(TEAM_PROPERTY);
        return Record.builder().stream(object)
                .id(id)
                .source(sourceOf(object))
                .data(JsonObject.builder()
                        .put("id", id)
                        .put(HubSpotObjects.CURSOR, archivedAt)
                        .build())
                .updatedAt(at)
                .version(archivedAt)
                .acl(aclOf(owner, team))
                .deleted(at)
                .build();
    }

    /** An owner ({@code /crm/v3/owners}): a user of the portal. */
    public Record owner(JsonObject raw) {
        String id = raw.string("id");
        if (id == null) {
            throw new IllegalArgumentException("a HubSpot owner without an id");
        }
        String updated = raw.string("updatedAt");
        return Record.builder().stream("owners")
                .id(id)
                .source(sourceOf("owners"))
                .data(raw)
                .updatedAt(updated == null ? null : cursorInstant(updated))
                .version(updated)
                .acl(portalAcl)
                .build();
    }

    /** One association edge, from a list answer's {@code associations.{to}.results[{id, type}]}. */
    public Record association(String fromType, String fromId, String toType, JsonObject edge) {
        String toId = edge.string("id");
        if (toId == null) {
            throw new IllegalArgumentException("a HubSpot association without an id");
        }
        String id = fromType + "/" + fromId + "/" + toType + "/" + toId;
        JsonObject data = JsonObject.builder()
                .put("id", id)
                .put("fromObjectType", fromType)
                .put("fromId", fromId)
                .put("toObjectType", toType)
                .put("toId", toId)
                .put("associationType", edge.string("type"))
                .build();
        return Record.builder().stream("associations")
                .id(id)
                .source(sourceOf("associations"))
                .data(data)
                .acl(portalAcl)
                .build();
    }

    /**
     * One association edge from a v4 answer's {@code to[{toObjectId, associationTypes[{category, typeId,
     * label}]}]}: its type is the label of a labelled association, else HubSpot's unlabelled name
     * ({@code contact_to_company}).
     */
    public Record associationV4(String fromType, String fromId, String toType, JsonObject edge) {
        JsonValue toValue = edge.get("toObjectId");
        String toId = toValue instanceof dev.switchboard.core.json.JsonString s
                ? s.value()
                : edge.number("toObjectId") == null
                        ? null
                        : edge.number("toObjectId").toPlainString();
        if (toId == null) {
            throw new IllegalArgumentException("a HubSpot association without a toObjectId");
        }
        String type = singular(fromType) + "_to_" + singular(toType);
        dev.switchboard.core.json.JsonArray types = edge.array("associationTypes");
        if (types != null) {
            for (JsonValue t : types) {
                if (t instanceof JsonObject o && o.string("label") != null) {
                    type = o.string("label");
                    break;
                }
            }
        }
        String id = fromType + "/" + fromId + "/" + toType + "/" + toId;
        JsonObject data = JsonObject.builder()
                .put("id", id)
                .put("fromObjectType", fromType)
                .put("fromId", fromId)
                .put("toObjectType", toType)
                .put("toId", toId)
                .put("associationType", type)
                .build();
        return Record.builder().stream("associations")
                .id(id)
                .source(sourceOf("associations"))
                .data(data)
                .acl(portalAcl)
                .build();
    }

    private static String singular(String type) {
        return type.equals("companies") ? "company" : type.substring(0, type.length() - 1);
    }

    /** A property definition ({@code /crm/v3/properties/{object}}), with the field type it maps to. */
    public Record property(String objectType, JsonObject raw) {
        String name = raw.string("name");
        if (name == null) {
            throw new IllegalArgumentException("a HubSpot property definition without a name");
        }
        String id = objectType + "." + name;
        String type = raw.string("type");
        JsonObject.Builder data = JsonObject.builder().put("id", id).put("objectType", objectType);
        raw.fields().forEach(data::put);
        data.put(
                "switchboardType",
                HubSpotObjects.fieldType(type == null ? "string" : type).name());
        return Record.builder().stream("properties")
                .id(id)
                .source(sourceOf("properties"))
                .data(data.build())
                .acl(portalAcl)
                .build();
    }

    /**
     * A pipeline ({@code /crm/v3/pipelines/{objectType}}) as HubSpot sends it, with {@code objectType}, its
     * own id as {@code pipelineId}, and the record id {@code {objectType}.{pipelineId}} (the default deal
     * and ticket pipelines have ids of their own only within their object type).
     */
    public Record pipeline(String objectType, JsonObject raw) {
        String pipelineId = raw.string("id");
        if (pipelineId == null) {
            throw new IllegalArgumentException("a HubSpot pipeline without an id");
        }
        String id = objectType + "." + pipelineId;
        JsonObject.Builder data = JsonObject.builder();
        raw.fields().forEach(data::put);
        data.put("id", id).put("objectType", objectType).put("pipelineId", pipelineId);
        String updated = raw.string("updatedAt");
        return Record.builder().stream("pipelines")
                .id(id)
                .source(sourceOf("pipelines"))
                .data(data.build())
                .updatedAt(updated == null ? null : cursorInstant(updated))
                .version(updated)
                .acl(portalAcl)
                .build();
    }

    /**
     * A note ({@code /crm/v3/objects/notes?associations=tickets}) as a record of {@code notes}: a CRM
     * object, with {@code ticketId} the first ticket its {@code associations.tickets.results} name.
     */
    public Record note(JsonObject raw) {
        JsonObject assoc = raw.object("associations");
        JsonObject tickets = assoc == null ? null : assoc.object("tickets");
        dev.switchboard.core.json.JsonArray results = tickets == null ? null : tickets.array("results");
        String ticketId = null;
        if (results != null) {
            for (JsonValue v : results) {
                if (v instanceof JsonObject o && o.string("id") != null) {
                    ticketId = o.string("id");
                    break;
                }
            }
        }
        if (ticketId == null) {
            return crmObject("notes", raw);
        }
        // The ticket joins the properties so crmObject flattens it with them.
        JsonObject.Builder props = JsonObject.builder();
        JsonObject given = raw.object("properties");
        if (given != null) {
            given.fields().forEach(props::put);
        }
        JsonObject.Builder copy = JsonObject.builder();
        raw.fields().forEach(copy::put);
        return crmObject(
                "notes",
                copy.put("properties", props.put("ticketId", ticketId).build()).build());
    }

    private static void copy(JsonObject from, String name, JsonObject.Builder to) {
        JsonValue v = from.get(name);
        if (v != null) {
            to.put(name, v);
        }
    }

    /** HubSpot's timestamps ({@code 2023-02-24T03:00:14.155Z}, sometimes without millis). */
    public static Instant cursorInstant(@Nullable String value) {
        if (value == null) {
            return Instant.EPOCH;
        }
        return Timestamps.parse(value)
                .orElseThrow(() -> new DateTimeParseException("not a HubSpot timestamp", value, 0));
    }

    /** Numeric ids compare as numbers (shorter first), others as text. */
    public static int compareIds(String a, String b) {
        if (a.length() != b.length()
                && a.chars().allMatch(Character::isDigit)
                && b.chars().allMatch(Character::isDigit)) {
            return Integer.compare(a.length(), b.length());
        }
        return a.compareTo(b);
    }
}
