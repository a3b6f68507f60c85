package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.ActionSummaries;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.RecordRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The actions: update a ticket, create a note or a task associated with CRM records. */
final class HubSpotActions {
    private static final String ASSOCIATIONS_SCHEMA = "{\"type\":\"array\",\"minItems\":1,\"maxItems\":100,"
            + "\"description\":\"The records to associate it with\",\"items\":{\"type\":\"object\",\"properties\":{"
            + "\"objectType\":{\"enum\":[\"contacts\",\"companies\",\"deals\",\"tickets\"]},"
            + "\"id\":{\"type\":\"string\",\"pattern\":\"^[0-9]+$\"}},"
            + "\"required\":[\"objectType\",\"id\"],\"additionalProperties\":false}}";

    /** A property's value in a record: HubSpot sends every value as a string, or null when empty. */
    private static final String PROPERTY_VALUE = "{\"type\":[\"string\",\"null\"]}";

    static final ActionDescriptor UPDATE_TICKET = new ActionDescriptor(
                    "update_ticket",
                    "Sets properties of one HubSpot ticket (ticketId) to new values, for example hs_pipeline_stage"
                            + " (a stage id of the ticket's pipeline: in the default pipeline 1 New, 2 Waiting on"
                            + " contact, 3 Waiting on us, 4 Closed), hs_ticket_priority (LOW, MEDIUM, HIGH, URGENT),"
                            + " subject, content or hubspot_owner_id; numbers and booleans are sent as strings."
                            + " Property names and option values are not checked before sending: HubSpot refuses an"
                            + " unknown one (InvalidInputException), and the properties stream lists a portal's."
                            + " Safe to repeat; changes no association. Returns the ticket as HubSpot answers the"
                            + " update: id, createdAt, updatedAt, archived and its properties beside them.",
                    schema("{\"type\":\"object\",\"properties\":{"
                            + "\"ticketId\":{\"type\":\"string\",\"pattern\":\"^[0-9]+$\",\"description\":\"The ticket's id\"},"
                            + "\"properties\":{\"type\":\"object\",\"minProperties\":1,"
                            + "\"additionalProperties\":{\"type\":[\"string\",\"number\",\"boolean\"]},"
                            + "\"description\":\"Property names and their new values\"}},"
                            + "\"required\":[\"ticketId\",\"properties\"],\"additionalProperties\":false}"),
                    Effect.WRITE,
                    true) // setting the same values twice leaves the same ticket
            .withOutputSchema(objectOutput(
                    "ticket",
                    "The ticket's properties in HubSpot's answer: those set, and the ones HubSpot adds",
                    "hs_pipeline_stage",
                    "The stage id within the ticket's pipeline",
                    "hs_ticket_priority",
                    "LOW, MEDIUM, HIGH or URGENT",
                    "hs_lastmodifieddate",
                    "When it last changed, as HubSpot's property"));

    static final ActionDescriptor CREATE_NOTE = new ActionDescriptor(
                    "create_note",
                    "Creates one HubSpot note (an entry on records' timelines) with body (HTML allowed), associated"
                            + " with 1 to 100 contacts, companies, deals or tickets, each given as objectType and id;"
                            + " optional ownerId, and timestamp (when it happened; the current time when left out)."
                            + " The associated records must exist, or HubSpot refuses the note"
                            + " (InvalidInputException). Not idempotent: HubSpot honours no idempotency key, so every"
                            + " call creates another note, and a lost answer fails with OutcomeUnknownException"
                            + " instead of being sent again. Returns the new note: id, createdAt, updatedAt, archived"
                            + " and its properties (hs_note_body, hs_timestamp, ...) beside them.",
                    schema("{\"type\":\"object\",\"properties\":{"
                            + "\"body\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":65536,\"description\":\"The note's text (HTML allowed)\"},"
                            + "\"associations\":" + ASSOCIATIONS_SCHEMA + ","
                            + "\"ownerId\":{\"type\":\"string\",\"pattern\":\"^[0-9]+$\",\"description\":\"The owner's id\"},"
                            + "\"timestamp\":{\"type\":\"string\",\"format\":\"date-time\",\"description\":\"When it happened; now by default\"}},"
                            + "\"required\":[\"body\",\"associations\"],\"additionalProperties\":false}"),
                    Effect.WRITE,
                    false) // HubSpot honours no idempotency key: a repeated create makes a second note
            .withOutputSchema(objectOutput(
                    "note",
                    "The note's properties in HubSpot's answer",
                    "hs_note_body",
                    "The note's text",
                    "hs_timestamp",
                    "When it happened",
                    "hubspot_owner_id",
                    "Its owner's id, when set"));

    static final ActionDescriptor CREATE_TASK = new ActionDescriptor(
                    "create_task",
                    "Creates one HubSpot task with subject, associated with 1 to 100 contacts, companies, deals or"
                            + " tickets, each given as objectType and id; optional body, status (NOT_STARTED when"
                            + " left out; IN_PROGRESS, WAITING, COMPLETED, DEFERRED), priority (LOW, MEDIUM, HIGH),"
                            + " dueAt (the current time when left out) and ownerId. The associated records must"
                            + " exist, or HubSpot refuses the task (InvalidInputException). Not idempotent: every"
                            + " call creates another task, and a lost answer fails with OutcomeUnknownException"
                            + " instead of being sent again. Returns the new task: id, createdAt, updatedAt, archived"
                            + " and its properties (hs_task_subject, hs_task_status, hs_timestamp, ...) beside them.",
                    schema("{\"type\":\"object\",\"properties\":{"
                            + "\"subject\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1000},"
                            + "\"body\":{\"type\":\"string\",\"maxLength\":65536},"
                            + "\"status\":{\"enum\":[\"NOT_STARTED\",\"IN_PROGRESS\",\"WAITING\",\"COMPLETED\",\"DEFERRED\"]},"
                            + "\"priority\":{\"enum\":[\"LOW\",\"MEDIUM\",\"HIGH\"]},"
                            + "\"dueAt\":{\"type\":\"string\",\"format\":\"date-time\",\"description\":\"When it is due; now by default\"},"
                            + "\"ownerId\":{\"type\":\"string\",\"pattern\":\"^[0-9]+$\"},"
                            + "\"associations\":" + ASSOCIATIONS_SCHEMA + "},"
                            + "\"required\":[\"subject\",\"associations\"],\"additionalProperties\":false}"),
                    Effect.WRITE,
                    false)
            .withOutputSchema(objectOutput(
                    "task",
                    "The task's properties in HubSpot's answer",
                    "hs_task_subject",
                    "The task's subject",
                    "hs_task_status",
                    "NOT_STARTED, IN_PROGRESS, WAITING, COMPLETED or DEFERRED",
                    "hs_timestamp",
                    "When it is due"));

    /**
     * The output of every action: a CRM object as {@link HubSpotRecords#crmObject} flattens it, the
     * envelope ({@code id} always, {@code createdAt}, {@code updatedAt}, {@code archived} as HubSpot
     * sends them) and every property beside it, each a string or null (HubSpot sends numbers, dates and
     * booleans as strings too). {@code named} pairs a few properties with what they hold.
     */
    private static JsonObject objectOutput(String object, String propertiesDescription, String... named) {
        JsonObject.Builder properties = JsonObject.builder()
                .put("id", description("{\"type\":\"string\"}", "The " + object + "'s id"))
                .put("createdAt", description("{\"type\":\"string\",\"format\":\"date-time\"}", "When it was created"))
                .put("updatedAt", description("{\"type\":\"string\",\"format\":\"date-time\"}", "When it last changed"))
                .put("archived", description("{\"type\":\"boolean\"}", "Whether it is archived (deleted)"));
        for (int i = 0; i < named.length; i += 2) {
            properties.put(named[i], description(PROPERTY_VALUE, named[i + 1]));
        }
        return JsonObject.builder()
                .put("type", "object")
                .put("properties", properties.build())
                .put("required", JsonArray.of(new JsonString("id")))
                .put("additionalProperties", description(PROPERTY_VALUE, propertiesDescription))
                .build();
    }

    private static JsonObject description(String schema, String description) {
        return schema(schema).newBuilder().put("description", description).build();
    }

    // HubSpot-defined association type ids (category HUBSPOT_DEFINED), from the engagement's side.
    private static final Map<String, Integer> NOTE_TO =
            Map.of("contacts", 202, "companies", 190, "deals", 214, "tickets", 228);
    private static final Map<String, Integer> TASK_TO =
            Map.of("contacts", 204, "companies", 192, "deals", 216, "tickets", 230);

    /** Ticket properties that hold free text: a summary gives their length, not their words. */
    private static final Set<String> FREE_TEXT_PROPERTIES = Set.of("content", "hs_note_body", "hs_task_body");

    private final HubSpotRecords records;
    private final String budgetKey;
    private final Clock clock;
    private final String connection;

    HubSpotActions(HubSpotRecords records, String budgetKey, Clock clock, String connection) {
        this.records = records;
        this.budgetKey = budgetKey;
        this.clock = clock;
        this.connection = connection;
    }

    /**
     * One sentence per action, from the input alone: the properties set and the ticket, or the note or
     * task created (a body by its length) and the records it is associated with.
     */
    Optional<String> summarize(ActionDescriptor action, JsonObject in) {
        String where = " in connection " + connection;
        return switch (action.name()) {
            case "update_ticket" -> {
                JsonObject properties = Objects.requireNonNull(in.object("properties"), "properties");
                List<String> sets = new ArrayList<>();
                properties.fields().forEach((name, value) -> sets.add(name + " to " + propertyValue(name, value)));
                yield Optional.of(
                        "Set " + ActionSummaries.list(sets) + " on HubSpot ticket " + in.string("ticketId") + where);
            }
            case "create_note" -> {
                String body = String.valueOf(in.string("body"));
                yield Optional.of("Create a HubSpot note of " + ActionSummaries.length(body) + " on " + associations(in)
                        + owner(in) + where);
            }
            case "create_task" -> {
                List<String> details = new ArrayList<>();
                details.add("status " + (in.string("status") == null ? "NOT_STARTED" : in.string("status")));
                if (in.string("priority") != null) {
                    details.add("priority " + in.string("priority"));
                }
                details.add("due " + (in.string("dueAt") == null ? "now" : in.string("dueAt")));
                if (in.string("body") != null) {
                    details.add("a body of " + ActionSummaries.length(String.valueOf(in.string("body"))));
                }
                yield Optional.of("Create HubSpot task " + ActionSummaries.excerpt(String.valueOf(in.string("subject")))
                        + " (" + String.join(", ", details) + ") on " + associations(in) + owner(in) + where);
            }
            default -> Optional.empty();
        };
    }

    private static String propertyValue(String name, JsonValue value) {
        if (FREE_TEXT_PROPERTIES.contains(name) && value instanceof JsonString text) {
            return "a text of " + ActionSummaries.length(text.value());
        }
        return ActionSummaries.value(name, value);
    }

    /** "contact 1, company 7086461639 and ticket 1075966440". */
    private static String associations(JsonObject in) {
        List<String> named = new ArrayList<>();
        for (JsonValue v : Objects.requireNonNull(in.array("associations"), "associations")) {
            JsonObject a = (JsonObject) v;
            named.add(singular(String.valueOf(a.string("objectType"))) + " " + a.string("id"));
        }
        return ActionSummaries.list(named);
    }

    private static String owner(JsonObject in) {
        return in.string("ownerId") == null ? "" : ", owned by HubSpot owner " + in.string("ownerId");
    }

    private static String singular(String objectType) {
        return objectType.equals("companies") ? "company" : objectType.substring(0, objectType.length() - 1);
    }

    /**
     * What an action would do, read through the same pipeline and never written: for {@code update_ticket},
     * the ticket's current values of the properties to be set beside the new ones (GET of the ticket); for a
     * note or task, the properties it would be created with and each associated record, looked up one by
     * one with GET (HubSpot's batch read is a POST, and a dry run sends only GETs). A ticket or associated
     * record that does not exist, or the connection may not see, fails the dry run as the action would fail
     * (InvalidInputException).
     */
    ActionPreview dryRun(ActionCall call) {
        JsonObject in = call.input();
        return switch (call.action().name()) {
            case "update_ticket" -> {
                String ticketId = String.valueOf(in.string("ticketId"));
                JsonObject after = stringValues(Objects.requireNonNull(in.object("properties"), "properties"));
                JsonObject current = read(call, "tickets", ticketId, after.names());
                JsonObject currentProperties = current.object("properties") == null
                        ? JsonObject.empty()
                        : Objects.requireNonNull(current.object("properties"));
                JsonObject.Builder before = JsonObject.builder();
                List<JsonValue> changed = new ArrayList<>();
                for (String name : after.names()) {
                    JsonValue was = currentProperties.get(name);
                    before.put(name, was == null ? JsonNull.INSTANCE : was);
                    if (!Objects.equals(was, after.get(name))) {
                        changed.add(new JsonString(name));
                    }
                }
                yield new ActionPreview(
                        JsonObject.builder()
                                .put("object", "tickets")
                                .put("id", ticketId)
                                .put("before", before.build())
                                .put("after", after)
                                .put("changed", JsonArray.of(changed))
                                .build(),
                        List.of(RecordRef.changed("tickets", ticketId)));
            }
            case "create_note" -> createPreview(call, "notes", noteProperties(in));
            case "create_task" -> createPreview(call, "tasks", taskProperties(in));
            default ->
                throw new UnsupportedOperationException(
                        "no dry run for " + call.action().name());
        };
    }

    private ActionPreview createPreview(ActionCall call, String object, JsonObject properties) {
        List<JsonValue> associations = new ArrayList<>();
        List<RecordRef> affected = new ArrayList<>();
        for (JsonValue v : Objects.requireNonNull(call.input().array("associations"), "associations")) {
            JsonObject a = (JsonObject) v;
            String type = String.valueOf(a.string("objectType"));
            String id = String.valueOf(a.string("id"));
            read(call, type, id, Set.of()); // fails as the create would when the record is not there
            associations.add(JsonObject.builder()
                    .put("objectType", type)
                    .put("id", id)
                    .put("exists", true)
                    .build());
            affected.add(RecordRef.changed(type, id));
        }
        return new ActionPreview(
                JsonObject.builder()
                        .put("create", object)
                        .put("properties", properties)
                        .put("associations", JsonArray.of(associations))
                        .build(),
                affected);
    }

    /** One record as HubSpot holds it now, with {@code properties}: a GET, never a write. */
    private JsonObject read(ActionCall call, String object, String id, Set<String> properties) {
        VendorRequest.Builder get = VendorRequest.get("/crm/v3/objects/" + object + "/" + id)
                .operation("preview " + call.action().name())
                .budgetKey(budgetKey);
        if (!properties.isEmpty()) {
            get.query("properties", String.join(",", properties));
        }
        return HubSpotErrors.send(call.http(), get.build());
    }

    /**
     * Runs an action. Affected: the ticket an update changed; for a note or task, the records it was
     * associated with (their timelines and associations changed).
     */
    ActionOutput execute(ActionCall call) {
        JsonObject in = call.input();
        return switch (call.action().name()) {
            case "update_ticket" -> {
                JsonObject body = HubSpotErrors.send(
                        call.http(),
                        VendorRequest.of("PATCH", "/crm/v3/objects/tickets/" + in.string("ticketId"))
                                .jsonBody(JsonObject.builder()
                                        .put(
                                                "properties",
                                                stringValues(Objects.requireNonNull(
                                                        in.object("properties"),
                                                        "the input schema requires properties")))
                                        .build())
                                .operation("update_ticket")
                                .budgetKey(budgetKey)
                                .build());
                yield ActionOutput.of(
                        records.crmObject("tickets", body).data(),
                        RecordRef.changed("tickets", String.valueOf(in.string("ticketId"))));
            }
            case "create_note" -> create(call, "notes", noteProperties(in), NOTE_TO);
            case "create_task" -> create(call, "tasks", taskProperties(in), TASK_TO);
            default ->
                throw new IllegalStateException("no action " + call.action().name());
        };
    }

    private JsonObject noteProperties(JsonObject in) {
        JsonObject.Builder props = JsonObject.builder()
                .put("hs_note_body", in.string("body"))
                .put(
                        "hs_timestamp",
                        in.string("timestamp") == null ? clock.instant().toString() : in.string("timestamp"));
        if (in.string("ownerId") != null) {
            props.put("hubspot_owner_id", in.string("ownerId"));
        }
        return props.build();
    }

    private JsonObject taskProperties(JsonObject in) {
        JsonObject.Builder props = JsonObject.builder()
                .put("hs_task_subject", in.string("subject"))
                .put("hs_task_status", in.string("status") == null ? "NOT_STARTED" : in.string("status"))
                .put(
                        "hs_timestamp",
                        in.string("dueAt") == null ? clock.instant().toString() : in.string("dueAt"));
        if (in.string("body") != null) {
            props.put("hs_task_body", in.string("body"));
        }
        if (in.string("priority") != null) {
            props.put("hs_task_priority", in.string("priority"));
        }
        if (in.string("ownerId") != null) {
            props.put("hubspot_owner_id", in.string("ownerId"));
        }
        return props.build();
    }

    private ActionOutput create(ActionCall call, String object, JsonObject properties, Map<String, Integer> typeIds) {
        List<JsonValue> associations = new ArrayList<>();
        List<RecordRef> affected = new ArrayList<>();
        JsonArray requested =
                Objects.requireNonNull(call.input().array("associations"), "the input schema requires associations");
        for (JsonValue v : requested) {
            JsonObject a = (JsonObject) v;
            affected.add(RecordRef.changed(String.valueOf(a.string("objectType")), String.valueOf(a.string("id"))));
            associations.add(JsonObject.builder()
                    .put("to", JsonObject.builder().put("id", a.string("id")).build())
                    .put(
                            "types",
                            JsonArray.of(JsonObject.builder()
                                    .put("associationCategory", "HUBSPOT_DEFINED")
                                    .put(
                                            "associationTypeId",
                                            Objects.requireNonNull(
                                                    typeIds.get(a.string("objectType")),
                                                    "the input schema's objectType enum is typeIds' keys"))
                                    .build()))
                    .build());
        }
        JsonObject body = HubSpotErrors.send(
                call.http(),
                VendorRequest.post("/crm/v3/objects/" + object)
                        .jsonBody(JsonObject.builder()
                                .put("properties", properties)
                                .put("associations", JsonArray.of(associations))
                                .build())
                        .operation(call.action().name())
                        .budgetKey(budgetKey)
                        .build());
        return new ActionOutput(records.crmObject(object, body).data(), affected);
    }

    /** HubSpot takes every property value as a string. */
    private static JsonObject stringValues(JsonObject properties) {
        JsonObject.Builder b = JsonObject.builder();
        properties.fields().forEach((k, v) -> b.put(k, v instanceof JsonString s ? s : new JsonString(v.toJson())));
        return b.build();
    }

    private static JsonObject schema(String json) {
        return (JsonObject) Json.parse(json);
    }
}
