package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.Schema.Field;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The CRM objects read as incremental streams: the properties asked for and the schema promised. */
public final class HubSpotObjects {
    private HubSpotObjects() {}

    /** The CRM objects read through the search API, in the order associations are read from. */
    public static final List<String> CRM_OBJECTS = List.of("contacts", "companies", "deals", "tickets");

    /** The record field that incremental reads order and resume by (HubSpot's modstamp). */
    public static final String CURSOR = "updatedAt";

    // Every HubSpot property value is a JSON string (numbers and dates too): the schema says what arrives.
    // jobtitle, associatedcompanyid (a contact's primary company), deal_currency_code and closed_date
    // are read for the unified model (HubSpotEntityMapper): a deal's amount means nothing without its currency.
    private static final Map<String, List<String>> PROPERTIES = Map.of(
            "contacts",
                    List.of(
                            "email",
                            "firstname",
                            "lastname",
                            "phone",
                            "company",
                            "lifecyclestage",
                            "hubspot_owner_id",
                            "jobtitle",
                            "associatedcompanyid"),
            "companies", List.of("name", "domain", "industry", "phone", "city", "country", "hubspot_owner_id"),
            "deals",
                    List.of(
                            "dealname",
                            "amount",
                            "deal_currency_code",
                            "dealstage",
                            "pipeline",
                            "closedate",
                            "hubspot_owner_id"),
            "tickets",
                    List.of(
                            "subject",
                            "content",
                            "hs_pipeline",
                            "hs_pipeline_stage",
                            "hs_ticket_priority",
                            "hs_ticket_category",
                            "hubspot_owner_id",
                            "closed_date"));

    /**
     * Enumeration properties whose options HubSpot defines the same in every portal, pinned in the
     * contract: a value outside them is {@code UNKNOWN_VALUE} drift. Portal-defined enumerations
     * (pipelines and their stages, categories, industries) are left open.
     */
    static final Map<String, List<String>> STANDARD_OPTIONS = Map.of(
            "contacts.lifecyclestage",
                    List.of(
                            "subscriber",
                            "lead",
                            "marketingqualifiedlead",
                            "salesqualifiedlead",
                            "opportunity",
                            "customer",
                            "evangelist",
                            "other"),
            "tickets.hs_ticket_priority", List.of("LOW", "MEDIUM", "HIGH", "URGENT"));

    /** Contacts keep their modstamp in {@code lastmodifieddate}; every other object in {@code hs_lastmodifieddate}. */
    public static String modstampProperty(String object) {
        return object.equals("contacts") ? "lastmodifieddate" : "hs_lastmodifieddate";
    }

    /** The record fields HubSpot sends outside {@code properties}: never asked for as properties. */
    private static final List<String> ENVELOPE = List.of("id", "createdAt", CURSOR, "archived");

    /**
     * The properties to ask for: the caller's fields when it names some (core checked they are in the
     * contract), else every property of the stream's contract (the declared one, or the one the
     * connection pinned with a portal's own properties such as {@code hs_custom_tier}); envelope
     * fields dropped, and always the modstamp and {@code hs_object_id}, which paging and ids need.
     */
    public static List<String> propertiesFor(String object, Schema contract, List<String> fields) {
        // One pass into an ordered set: this runs at the start of every read.
        LinkedHashSet<String> props = new LinkedHashSet<>();
        if (fields.isEmpty()) {
            for (Field f : contract.fields()) {
                addProperty(props, f.name());
            }
        } else {
            for (String f : fields) {
                addProperty(props, f);
            }
        }
        addProperty(props, modstampProperty(object));
        addProperty(props, "hs_object_id");
        return List.copyOf(props);
    }

    private static void addProperty(LinkedHashSet<String> props, String name) {
        if (!ENVELOPE.contains(name)) {
            props.add(name);
        }
    }

    static StreamDescriptor stream(String object) {
        Schema.Builder b = Schema.builder()
                .required("id", FieldType.STRING)
                .required("createdAt", FieldType.TIMESTAMP)
                .required(CURSOR, FieldType.TIMESTAMP)
                .required("archived", FieldType.BOOLEAN);
        for (String p : Objects.requireNonNull(PROPERTIES.get(object), () -> "not a CRM object: " + object)) {
            List<String> options = STANDARD_OPTIONS.get(object + "." + p);
            if (options != null) {
                b.optionalEnum(p, options);
            } else {
                b.optional(p, p.endsWith("date") ? FieldType.TIMESTAMP : FieldType.STRING);
            }
        }
        b.optional("createdate", FieldType.TIMESTAMP);
        b.optional(modstampProperty(object), FieldType.TIMESTAMP);
        b.optional("hs_object_id", FieldType.STRING);
        return new StreamDescriptor(object, b.build(), "id", CURSOR)
                .withDescription(SUMMARIES.get(object) + SEARCHED)
                .withDeletes(true);
    }

    /** What one record of each CRM object is, for a model choosing a tool. */
    private static final Map<String, String> SUMMARIES = Map.of(
            "contacts",
            "One HubSpot contact: a person, with email, firstname, lastname, phone, jobtitle, company (a name as"
                    + " typed), associatedcompanyid (the primary company's id), lifecyclestage (subscriber, lead,"
                    + " ..., customer) and hubspot_owner_id.",
            "companies",
            "One HubSpot company: an organization, with name, domain, industry, phone, city, country and"
                    + " hubspot_owner_id.",
            "deals",
            "One HubSpot deal: a potential sale, with dealname, amount and deal_currency_code, dealstage and"
                    + " pipeline (portal-defined ids; closedwon and closedlost in the default pipeline), closedate"
                    + " and hubspot_owner_id.",
            "tickets",
            "One HubSpot ticket: a support request, with subject, content, hs_pipeline and hs_pipeline_stage"
                    + " (portal-defined ids; stage 4 is Closed in the default pipeline), hs_ticket_priority (LOW,"
                    + " MEDIUM, HIGH, URGENT), hs_ticket_category, closed_date and hubspot_owner_id.");

    /**
     * What every CRM object's read does, as {@link SearchReader} does it: the search API, the order and
     * cursor, the look-back, the filters it pushes down, and the tombstones of archived records.
     */
    private static final String SEARCHED = " Every property value is a string or null. Read through HubSpot's search"
            + " API, ordered by updatedAt, then id, and resumed after a checkpoint on updatedAt (HubSpot's"
            + " last-modified time), re-reading a short look-back before it for changes search indexed late;"
            + " ReadRequest.where filters on properties (equality) are sent to HubSpot. Archived (deleted)"
            + " records come as tombstones (deleted, with id and the time of deletion).";

    static StreamDescriptor owners() {
        return ownersContract()
                .withDescription("One HubSpot owner: a user of the portal who can own records (its id is what a"
                        + " record's hubspot_owner_id holds), with email, firstName, lastName, userId and teams."
                        + " A full read of the active owners, in HubSpot's order, with no cursor;"
                        + " ReadRequest.where(\"email\", ...) finds one owner by email (HubSpot's own filter); any"
                        + " other filter is refused.");
    }

    private static StreamDescriptor ownersContract() {
        return new StreamDescriptor(
                "owners",
                Schema.builder()
                        .required("id", FieldType.STRING)
                        .optional("email", FieldType.STRING)
                        .optional("firstName", FieldType.STRING)
                        .optional("lastName", FieldType.STRING)
                        .optional("userId", FieldType.INTEGER)
                        .required("createdAt", FieldType.TIMESTAMP)
                        .required("updatedAt", FieldType.TIMESTAMP)
                        .required("archived", FieldType.BOOLEAN)
                        .optional("teams", FieldType.ARRAY)
                        .build(),
                "id",
                null);
    }

    static StreamDescriptor associations() {
        return associationsContract()
                .withDescription("One association between two HubSpot CRM records: fromObjectType and fromId to"
                        + " toObjectType and toId, with HubSpot's associationType (e.g. contact_to_company); id is"
                        + " {from}/{fromId}/{to}/{toId}. Each pair is read from one side only (contacts to"
                        + " companies, deals and tickets; companies to deals and tickets; deals to tickets), every"
                        + " association of every record (HubSpot's v4 associations API), in a full read with no cursor."
                        + " ReadRequest.where(\"fromObjectType\", contacts|companies|deals) reads one side; no other"
                        + " filter is honoured.");
    }

    private static StreamDescriptor associationsContract() {
        return new StreamDescriptor(
                "associations",
                Schema.builder()
                        .required("id", FieldType.STRING)
                        .required("fromObjectType", FieldType.STRING)
                        .required("fromId", FieldType.STRING)
                        .required("toObjectType", FieldType.STRING)
                        .required("toId", FieldType.STRING)
                        .optional("associationType", FieldType.STRING)
                        .build(),
                "id",
                null);
    }

    static StreamDescriptor properties() {
        return propertiesContract()
                .withDescription("One property definition of HubSpot contacts, companies, deals or tickets (id"
                        + " {objectType}.{name}): name, label, type and fieldType, groupName, the options of an"
                        + " enumeration, hubspotDefined (false for a portal's own), and switchboardType, the field"
                        + " type records give its values. A full read, one request per object type, with no cursor;"
                        + " ReadRequest.where(\"objectType\", contacts|companies|deals|tickets) reads one type, no"
                        + " other filter is honoured. Use it to find a portal's custom properties and option values.");
    }

    private static StreamDescriptor propertiesContract() {
        return new StreamDescriptor(
                "properties",
                Schema.builder()
                        .required("id", FieldType.STRING)
                        .required("objectType", FieldType.STRING)
                        .required("name", FieldType.STRING)
                        .optional("label", FieldType.STRING)
                        .optional("type", FieldType.STRING)
                        .optional("fieldType", FieldType.STRING)
                        .optional("groupName", FieldType.STRING)
                        .optional("description", FieldType.STRING)
                        .optional("displayOrder", FieldType.INTEGER)
                        .optional("options", FieldType.ARRAY)
                        .optional("hidden", FieldType.BOOLEAN)
                        .optional("hubspotDefined", FieldType.BOOLEAN)
                        .optional("calculated", FieldType.BOOLEAN)
                        .optional("externalOptions", FieldType.BOOLEAN)
                        .optional("hasUniqueValue", FieldType.BOOLEAN)
                        .optional("formField", FieldType.BOOLEAN)
                        .optional("showCurrencySymbol", FieldType.BOOLEAN)
                        .optional("archived", FieldType.BOOLEAN)
                        .optional("archivedAt", FieldType.TIMESTAMP)
                        .optional("createdAt", FieldType.TIMESTAMP)
                        .optional("updatedAt", FieldType.TIMESTAMP)
                        .optional("createdUserId", FieldType.STRING)
                        .optional("updatedUserId", FieldType.STRING)
                        .optional("referencedObjectType", FieldType.STRING)
                        .optional("calculationFormula", FieldType.STRING)
                        .optional("dataSensitivity", FieldType.STRING)
                        .optional("sensitiveDataCategories", FieldType.ARRAY)
                        .optional("modificationMetadata", FieldType.OBJECT)
                        .required("switchboardType", FieldType.STRING)
                        .build(),
                "id",
                null);
    }

    /** The note properties the {@code notes} stream asks for. */
    static final List<String> NOTE_PROPERTIES =
            List.of("hs_note_body", "hs_timestamp", "hubspot_owner_id", "hs_attachment_ids", "hs_lastmodifieddate");

    static StreamDescriptor notes() {
        return new StreamDescriptor(
                        "notes",
                        Schema.builder()
                                .required("id", FieldType.STRING)
                                .required("createdAt", FieldType.TIMESTAMP)
                                .required("updatedAt", FieldType.TIMESTAMP)
                                .required("archived", FieldType.BOOLEAN)
                                .optional("hs_note_body", FieldType.STRING)
                                .optional("hs_timestamp", FieldType.TIMESTAMP)
                                .optional("hubspot_owner_id", FieldType.STRING)
                                .optional("hs_attachment_ids", FieldType.STRING)
                                // HubSpot adds createdate, the modstamp and hs_object_id to every answer.
                                .optional("createdate", FieldType.TIMESTAMP)
                                .optional("hs_lastmodifieddate", FieldType.TIMESTAMP)
                                .optional("hs_object_id", FieldType.STRING)
                                .optional("ticketId", FieldType.STRING)
                                .build(),
                        "id",
                        null)
                .withDescription("One HubSpot note (an internal note on a record): hs_note_body (HTML),"
                        + " hs_timestamp, hubspot_owner_id (its author), hs_attachment_ids (file ids joined by ';')"
                        + " and ticketId, the first ticket it is associated with. A full read of the live notes"
                        + " (GET /crm/v3/objects/notes, paged), with no cursor; no filter is honoured.");
    }

    /** The object types whose pipelines the {@code pipelines} stream reads when no filter names one. */
    static final List<String> PIPELINE_OBJECTS = List.of("deals", "tickets");

    static StreamDescriptor pipelines() {
        return pipelinesContract()
                .withDescription("One HubSpot pipeline of deals or tickets (id {objectType}.{pipelineId}): objectType,"
                        + " pipelineId (what a deal's pipeline or a ticket's hs_pipeline holds), label, displayOrder,"
                        + " archived, and its stages [{id, label, displayOrder, metadata}]: a deal stage's metadata"
                        + " has probability and isClosed, a ticket stage's ticketState (OPEN or CLOSED). A full read,"
                        + " one request per object type, with no cursor; ReadRequest.where(\"objectType\", deals|tickets)"
                        + " reads one type (another type HubSpot has pipelines for is asked as named); no other filter"
                        + " is honoured.");
    }

    private static StreamDescriptor pipelinesContract() {
        return new StreamDescriptor(
                "pipelines",
                Schema.builder()
                        .required("id", FieldType.STRING)
                        .required("objectType", FieldType.STRING)
                        .required("pipelineId", FieldType.STRING)
                        .optional("label", FieldType.STRING)
                        .optional("displayOrder", FieldType.INTEGER)
                        .optional("archived", FieldType.BOOLEAN)
                        .optional("createdAt", FieldType.TIMESTAMP)
                        .optional("updatedAt", FieldType.TIMESTAMP)
                        .optional("archivedAt", FieldType.TIMESTAMP)
                        .optional("stages", FieldType.ARRAY)
                        .build(),
                "id",
                null);
    }

    /** The association pairs the associations stream reads, from the first object's side. */
    static final Map<String, List<String>> ASSOCIATION_PAIRS = Map.of(
            "contacts", List.of("companies", "deals", "tickets"),
            "companies", List.of("deals", "tickets"),
            "deals", List.of("tickets"));

    /**
     * A CRM object's schema as its property definitions ({@code GET /crm/v3/properties/{object}})
     * describe it: the record envelope as the stream declares it, then every property, nullable and
     * optional (HubSpot renders a property only when asked for, null when empty), with the option
     * values of single-choice enumerations (multi-choice ones join values with ';').
     */
    static Schema describedSchema(String object, JsonObject answer) {
        Schema declared = stream(object).schema();
        Schema.Builder b = Schema.builder();
        for (String envelope : ENVELOPE) {
            b.add(declared.field(envelope).orElseThrow());
        }
        JsonArray results = answer.array("results");
        if (results == null) {
            throw new IllegalArgumentException("a properties answer without 'results'");
        }
        for (JsonValue v : results) {
            if (!(v instanceof JsonObject p) || p.string("name") == null || ENVELOPE.contains(p.string("name"))) {
                continue;
            }
            String type = p.string("type") == null ? "string" : p.string("type");
            Set<String> values = new LinkedHashSet<>();
            if (type.equals("enumeration") && !"checkbox".equals(p.string("fieldType")) && p.array("options") != null) {
                for (JsonValue o : p.array("options")) {
                    if (o instanceof JsonObject option && option.string("value") != null) {
                        values.add(option.string("value"));
                    }
                }
            }
            b.add(new Schema.Field(p.string("name"), fieldType(type), true, false, values));
        }
        return b.build();
    }

    /** Our field type for a HubSpot property type (from the properties API). */
    public static FieldType fieldType(String hubspotType) {
        return switch (hubspotType) {
            case "datetime" -> FieldType.TIMESTAMP;
            case "date" -> FieldType.DATE;
            // HubSpot sends numbers, booleans and enumerations as JSON strings in records.
            default -> FieldType.STRING;
        };
    }
}
