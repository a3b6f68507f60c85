package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.ActionSummaries;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.RecordRef;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The actions: their descriptors (description, JSON Schema input and output, effect, retry safety)
 * and how each is sent.
 */
public final class SalesforceActions {
    public static final String UPDATE_CASE_STATUS = "update_case_status";
    public static final String CREATE_TASK = "create_task";
    public static final String ADD_CASE_COMMENT = "add_case_comment";

    /** An HTTP date (IMF-fixdate), as conditional request headers take it. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private static final String ID_SCHEMA = "{\"type\":\"string\",\"pattern\":\"^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$\"}";

    /** Input field to sObject field, for the Task an agent creates. */
    private static final Map<String, String> TASK_FIELDS = Map.of(
            "subject",
            "Subject",
            "description",
            "Description",
            "status",
            "Status",
            "priority",
            "Priority",
            "activity_date",
            "ActivityDate",
            "what_id",
            "WhatId",
            "who_id",
            "WhoId",
            "owner_id",
            "OwnerId");

    private SalesforceActions() {}

    public static List<ActionDescriptor> descriptors() {
        return List.of(
                // A conditional PATCH (If-Unmodified-Since the version read): sent again after a lost answer it
                // cannot overwrite an edit made in between, so a retry is safe.
                new ActionDescriptor(
                                UPDATE_CASE_STATUS,
                                "Sets the Status of one Salesforce Case (case_id, its 15- or 18-character Id) to status;"
                                        + " a closed status such as Closed closes the Case. Give version, the Case's"
                                        + " SystemModstamp as you read it, to change it only if nobody changed it since;"
                                        + " without it the Case's current version is read first. Either way the update"
                                        + " never overwrites a change made after that version: it then fails with"
                                        + " InvalidInputException naming the Case's new status (read it again and"
                                        + " decide), unless the Case already has the status asked for. The value is not"
                                        + " checked against the org's Status picklist before sending (the standard values"
                                        + " are New, Working, Escalated, On Hold and Closed): Salesforce refuses one its"
                                        + " restricted picklist lacks, as InvalidInputException. Safe to repeat; changes"
                                        + " no other field and adds no comment. Returns the case id and the status.",
                                schema(
                                        "{\"case_id\":" + ID_SCHEMA
                                                + ",\"status\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":255},"
                                                + "\"version\":{\"type\":\"string\",\"minLength\":10,\"maxLength\":40,"
                                                + "\"description\":\"The Case's SystemModstamp as read, e.g."
                                                + " 2026-05-01T08:00:00.000+0000\"}}",
                                        "\"case_id\",\"status\""),
                                Effect.WRITE,
                                true)
                        .withOutputSchema(schema(
                                "{\"id\":" + described(ID_SCHEMA, "The Case's Id, as given")
                                        + ",\"status\":{\"type\":\"string\",\"description\":\"The status sent\"},"
                                        + "\"updated\":{\"const\":true,\"description\":\"The Case has this status\"}}",
                                "\"id\",\"status\",\"updated\"")),
                // POST creates a new Task each time: a repeat would create a second one.
                new ActionDescriptor(
                                CREATE_TASK,
                                "Creates one Salesforce Task (a to-do or logged activity) with subject and, optionally,"
                                        + " description, status, priority, activity_date (its due date, YYYY-MM-DD),"
                                        + " what_id (the related record: an Account, Opportunity, Case...), who_id (a"
                                        + " Contact or Lead) and owner_id (the connected user when left out). Status and"
                                        + " priority are not checked before sending; left out, the org's defaults apply."
                                        + " Not idempotent: every call creates another Task, and a lost answer fails"
                                        + " with OutcomeUnknownException instead of being sent again. Returns the new"
                                        + " Task's Id.",
                                schema(
                                        "{\"subject\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":255},"
                                                + "\"description\":{\"type\":\"string\",\"maxLength\":32000},"
                                                + "\"status\":{\"type\":\"string\",\"maxLength\":255},"
                                                + "\"priority\":{\"type\":\"string\",\"maxLength\":255},"
                                                + "\"activity_date\":{\"type\":\"string\",\"pattern\":\"^\\\\d{4}-\\\\d{2}-\\\\d{2}$\"},"
                                                + "\"what_id\":" + ID_SCHEMA + ",\"who_id\":" + ID_SCHEMA
                                                + ",\"owner_id\":"
                                                + ID_SCHEMA + "}",
                                        "\"subject\""),
                                Effect.WRITE,
                                false)
                        .withOutputSchema(createdSchema("The new Task's Id")),
                // POST creates a new CaseComment each time: a repeat would comment twice.
                new ActionDescriptor(
                                ADD_CASE_COMMENT,
                                "Adds a comment with body (plain text) to one Salesforce Case (case_id); it stays"
                                        + " internal unless is_published is true, which shows it to the customer in"
                                        + " portals and communities. Does not change the Case's status. Not idempotent:"
                                        + " every call adds another comment, and a lost answer fails with"
                                        + " OutcomeUnknownException instead of being sent again. Returns the new"
                                        + " comment's Id (a CaseComment, not the Case).",
                                schema(
                                        "{\"case_id\":" + ID_SCHEMA
                                                + ",\"body\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4000},"
                                                + "\"is_published\":{\"type\":\"boolean\"}}",
                                        "\"case_id\",\"body\""),
                                Effect.WRITE,
                                false)
                        .withOutputSchema(createdSchema("The new CaseComment's Id")));
    }

    /** The output of a create, as {@link #created(VendorResponse, String)} builds it. */
    private static JsonObject createdSchema(String idDescription) {
        return schema(
                "{\"id\":" + described(ID_SCHEMA, idDescription)
                        + ",\"success\":{\"type\":\"boolean\",\"description\":\"Salesforce's success flag\"}}",
                "\"id\",\"success\"");
    }

    /** A property schema with a description added. */
    private static String described(String propertySchema, String description) {
        return propertySchema.substring(0, propertySchema.length() - 1) + ",\"description\":\"" + description + "\"}";
    }

    private static JsonObject schema(String properties, String required) {
        return (JsonObject) Json.parse("{\"type\":\"object\",\"properties\":" + properties + ",\"required\":["
                + required + "],\"additionalProperties\":false}");
    }

    /**
     * Runs an action whose input core has validated against its schema. Affected: the Case whose status
     * or comments changed, the Task created.
     */
    public static ActionOutput run(ActionCall call, String budgetKey) {
        String op = "action " + call.action().name();
        JsonObject input = call.input();
        return switch (call.action().name()) {
            case UPDATE_CASE_STATUS -> {
                String caseId = recordId(input, "case_id", op);
                String status = String.valueOf(input.string("status"));
                updateCaseStatus(call, caseId, status, input.string("version"), budgetKey, op);
                yield ActionOutput.of(
                        JsonObject.builder()
                                .put("id", caseId)
                                .put("status", status)
                                .put("updated", true)
                                .build(),
                        RecordRef.changed("Case", caseId));
            }
            case CREATE_TASK -> {
                VendorResponse r = send(
                        call,
                        VendorRequest.post(SalesforceApi.SOBJECTS + "/Task")
                                .operation("create Task")
                                .jsonBody(taskFields(input)),
                        budgetKey,
                        op);
                JsonObject out = created(r, op);
                yield ActionOutput.of(out, RecordRef.changed("Task", String.valueOf(out.string("id"))));
            }
            case ADD_CASE_COMMENT -> {
                String caseId = recordId(input, "case_id", op);
                VendorResponse r = send(
                        call,
                        VendorRequest.post(SalesforceApi.SOBJECTS + "/CaseComment")
                                .operation("create CaseComment")
                                .jsonBody(commentFields(input, caseId)),
                        budgetKey,
                        op);
                yield ActionOutput.of(created(r, op), RecordRef.changed("Case", caseId));
            }
            default -> throw new InvalidInputException(SalesforceRecords.CONNECTOR, op, "no such action");
        };
    }

    /** The objects a related id's key prefix names, for the ids a dry run looks up. */
    private static final Map<String, String> KEY_PREFIXES = Map.of(
            "001", "Account", "003", "Contact", "005", "User", "006", "Opportunity", "00Q", "Lead", "500", "Case");

    /**
     * One sentence per action, from the input alone: the Case and its new status, the Task and what it is
     * related to, the comment (by its length) and whether the customer will see it.
     */
    public static Optional<String> summarize(ActionDescriptor action, JsonObject input, String connection) {
        String where = " in connection " + connection;
        return switch (action.name()) {
            case UPDATE_CASE_STATUS ->
                Optional.of("Set the Status of Salesforce Case " + input.string("case_id") + " to "
                        + ActionSummaries.excerpt(String.valueOf(input.string("status")))
                        + (input.string("version") == null
                                ? ""
                                : ", unless it changed after "
                                        + ActionSummaries.excerpt(String.valueOf(input.string("version"))))
                        + where);
            case CREATE_TASK -> {
                List<String> details = new ArrayList<>();
                for (String field : List.of("status", "priority")) {
                    if (input.string(field) != null) {
                        details.add(field + " " + ActionSummaries.excerpt(String.valueOf(input.string(field))));
                    }
                }
                if (input.string("activity_date") != null) {
                    details.add("due " + input.string("activity_date"));
                }
                if (input.string("description") != null) {
                    details.add(
                            "a description of " + ActionSummaries.length(String.valueOf(input.string("description"))));
                }
                List<String> links = new ArrayList<>();
                if (input.string("what_id") != null) {
                    links.add("related to " + related(String.valueOf(input.string("what_id"))));
                }
                if (input.string("who_id") != null) {
                    links.add("for " + related(String.valueOf(input.string("who_id"))));
                }
                links.add(
                        input.string("owner_id") == null
                                ? "assigned to the connected user"
                                : "assigned to User " + input.string("owner_id"));
                yield Optional.of("Create Salesforce Task "
                        + ActionSummaries.excerpt(String.valueOf(input.string("subject")))
                        + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")") + " "
                        + ActionSummaries.list(links) + where);
            }
            case ADD_CASE_COMMENT ->
                Optional.of("Add "
                        + (Boolean.TRUE.equals(input.bool("is_published"))
                                ? "a published comment (the customer sees it)"
                                : "an internal comment")
                        + " of " + ActionSummaries.length(String.valueOf(input.string("body")))
                        + " to Salesforce Case " + input.string("case_id") + where);
            default -> Optional.empty();
        };
    }

    /** "Case 500..." for an id whose prefix names its object, else "record 0XY...". */
    private static String related(String id) {
        String object = KEY_PREFIXES.get(id.substring(0, 3));
        return (object == null ? "record" : object) + " " + id;
    }

    /**
     * What an action would do, read with GETs through the same pipeline and never written: the Case's
     * status now beside the one asked for, and whether the conditional update would apply; the Task's
     * fields and each related record looked up (by its id's prefix: Account, Contact, Lead, Opportunity,
     * Case, User; other ids are listed unchecked); the comment's fields and its Case looked up. A record
     * that is not there, or the connection may not see, fails the dry run as the action would fail.
     */
    public static ActionPreview dryRun(ActionCall call, String budgetKey) {
        String op = "preview " + call.action().name();
        JsonObject input = call.input();
        return switch (call.action().name()) {
            case UPDATE_CASE_STATUS -> {
                String caseId = recordId(input, "case_id", op);
                String status = String.valueOf(input.string("status"));
                JsonObject now = readCase(call, caseId, budgetKey, op);
                String current = now.string("Status");
                boolean conflict = false;
                String version = input.string("version");
                if (version != null) {
                    Instant since = SalesforceTime.parseOrNull(version);
                    Instant modified = SalesforceTime.parseOrNull(now.string("LastModifiedDate"));
                    // As the If-Unmodified-Since update sees it: whole seconds.
                    conflict = since == null
                            || (modified != null
                                    && modified.truncatedTo(ChronoUnit.SECONDS)
                                            .isAfter(since.truncatedTo(ChronoUnit.SECONDS)));
                }
                yield new ActionPreview(
                        JsonObject.builder()
                                .put("object", "Case")
                                .put("id", caseId)
                                .put(
                                        "before",
                                        JsonObject.builder()
                                                .put("Status", current)
                                                .build())
                                .put(
                                        "after",
                                        JsonObject.builder()
                                                .put("Status", status)
                                                .build())
                                .put("changed", !status.equals(current))
                                .put("wouldApply", !conflict || status.equals(current))
                                .put("version", now.string("SystemModstamp"))
                                .build(),
                        List.of(RecordRef.changed("Case", caseId)));
            }
            case CREATE_TASK -> {
                List<JsonValue> related = new ArrayList<>();
                for (String field : List.of("what_id", "who_id", "owner_id")) {
                    String id = input.string(field);
                    if (id == null) {
                        continue;
                    }
                    String object = KEY_PREFIXES.get(id.substring(0, Math.min(3, id.length())));
                    if (object != null) {
                        read(call, object, recordId(input, field, op), "Id", budgetKey, op);
                    }
                    related.add(JsonObject.builder()
                            .put("field", TASK_FIELDS.get(field))
                            .put("id", id)
                            .put("object", object == null ? "unknown" : object)
                            .put("exists", object != null)
                            .build());
                }
                yield new ActionPreview(
                        JsonObject.builder()
                                .put("create", "Task")
                                .put("fields", taskFields(input))
                                .put("related", dev.switchboard.core.json.JsonArray.of(related))
                                .build(),
                        List.of()); // the new Task has no id before it is created
            }
            case ADD_CASE_COMMENT -> {
                String caseId = recordId(input, "case_id", op);
                JsonObject now = readCase(call, caseId, budgetKey, op);
                yield new ActionPreview(
                        JsonObject.builder()
                                .put("create", "CaseComment")
                                .put("fields", commentFields(input, caseId))
                                .put(
                                        "case",
                                        JsonObject.builder()
                                                .put("id", caseId)
                                                .put("Status", now.string("Status"))
                                                .build())
                                .build(),
                        List.of(RecordRef.changed("Case", caseId)));
            }
            default ->
                throw new UnsupportedOperationException(
                        "no dry run for " + call.action().name());
        };
    }

    private static JsonObject taskFields(JsonObject input) {
        JsonObject.Builder task = JsonObject.builder();
        TASK_FIELDS.forEach((in, field) -> {
            JsonValue v = input.get(in);
            if (v != null) {
                task.put(field, v);
            }
        });
        return task.build();
    }

    private static JsonObject commentFields(JsonObject input, String caseId) {
        JsonObject.Builder comment =
                JsonObject.builder().put("ParentId", caseId).put("CommentBody", input.string("body"));
        Boolean published = input.bool("is_published");
        if (published != null) {
            comment.put("IsPublished", published.booleanValue());
        }
        return comment.build();
    }

    /**
     * PATCHes the Case's Status with {@code If-Unmodified-Since} the version read (the caller's, or the
     * Case's LastModifiedDate read now), so neither the first send nor a retry after a lost answer
     * overwrites a change made after it. On 412 the Case is read again: already in {@code status}, the
     * update is done (by this call's first send, or by someone else); otherwise nothing was overwritten
     * and the caller is told what the Case holds now.
     */
    private static void updateCaseStatus(
            ActionCall call, String caseId, String status, @Nullable String version, String budgetKey, String op) {
        Instant since;
        if (version != null) {
            try {
                since = SalesforceTime.parse(version);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                        SalesforceRecords.CONNECTOR,
                        op,
                        "version is not a Salesforce timestamp such as 2026-05-01T08:00:00.000+0000: give the"
                                + " Case's SystemModstamp as read, or leave version out");
            }
        } else {
            since = lastModified(readCase(call, caseId, budgetKey, op), caseId, op);
        }
        try {
            send(
                    call,
                    VendorRequest.of("PATCH", SalesforceApi.record("Case", caseId))
                            .operation("update Case")
                            // HTTP dates have whole seconds, as Salesforce's own timestamps do.
                            .header("If-Unmodified-Since", HTTP_DATE.format(since.truncatedTo(ChronoUnit.SECONDS)))
                            .jsonBody(JsonObject.builder().put("Status", status).build()),
                    budgetKey,
                    op);
        } catch (PermanentException e) {
            if (e.status().orElse(0) != 412) {
                throw e;
            }
            JsonObject now = readCase(call, caseId, budgetKey, op);
            if (status.equals(now.string("Status"))) {
                return; // the Case has the status asked for: nothing is left to do, nothing was overwritten
            }
            throw new InvalidInputException(
                    SalesforceRecords.CONNECTOR,
                    op,
                    "Case " + caseId + " changed after " + SalesforceTime.wire(since) + " (its Status is now '"
                            + abbreviate(String.valueOf(now.string("Status"))) + "', last modified "
                            + now.string("LastModifiedDate") + "), so the update was not applied and nothing was"
                            + " overwritten: read the Case again, decide, and send its new SystemModstamp as version");
        }
    }

    /** The Case's Status and times, read now. */
    private static JsonObject readCase(ActionCall call, String caseId, String budgetKey, String op) {
        return read(call, "Case", caseId, "Status,LastModifiedDate,SystemModstamp", budgetKey, op);
    }

    /** One record's {@code fields}, read now with a GET. */
    private static JsonObject read(
            ActionCall call, String object, String id, String fields, String budgetKey, String op) {
        VendorResponse r = SalesforceErrors.execute(
                call.http(),
                VendorRequest.get(SalesforceApi.record(object, id))
                        .query("fields", fields)
                        .operation("read " + object)
                        .budgetKey(budgetKey)
                        .build(),
                op);
        if (!(r.json() instanceof JsonObject row)) {
            throw new PermanentException(SalesforceRecords.CONNECTOR, op, "a record answer that is not an object");
        }
        return row;
    }

    private static Instant lastModified(JsonObject row, String caseId, String op) {
        Instant at = SalesforceTime.parseOrNull(row.string("LastModifiedDate"));
        if (at == null) {
            throw new PermanentException(
                    SalesforceRecords.CONNECTOR, op, "Case " + caseId + " came back without a LastModifiedDate");
        }
        return at;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    private static VendorResponse send(ActionCall call, VendorRequest.Builder request, String budgetKey, String op) {
        return SalesforceErrors.execute(
                call.http(), request.budgetKey(budgetKey).build(), op);
    }

    private static String recordId(JsonObject input, String name, String op) {
        String id = input.string(name);
        if (id == null || !SalesforceApi.RECORD_ID.matcher(id).matches()) {
            throw new InvalidInputException(SalesforceRecords.CONNECTOR, op, name + " is not a Salesforce record id");
        }
        return id;
    }

    /** The answer to a create: {@code {"id": ..., "success": true, "errors": []}}. */
    private static JsonObject created(VendorResponse response, String op) {
        if (!(response.json() instanceof JsonObject body) || body.string("id") == null) {
            throw new PermanentException(SalesforceRecords.CONNECTOR, op, "a create answer without an id");
        }
        return JsonObject.builder()
                .put("id", body.string("id"))
                .put("success", !Boolean.FALSE.equals(body.bool("success")))
                .build();
    }
}
