package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonFormatException;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.testkit.fake.FakeSalesforceObjects.Field;
import dev.switchboard.testkit.fake.FakeSalesforceObjects.SObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A fake Salesforce org behind the REST API v62.0, stateful and following Salesforce's documented
 * behaviour:
 * <ul>
 *   <li>{@code GET /services/data/v62.0/query?q=SOQL}: the SOQL subset of {@link FakeSalesforceSoql}
 *       (field list, object, WHERE on SystemModstamp/Id and equality, ORDER BY, LIMIT), answered in
 *       batches ({@code Sforce-Query-Options: batchSize=N}, default 2000) with {@code done} and a
 *       {@code nextRecordsUrl} query locator for queryMore. Unlike Salesforce, which treats batch
 *       sizes under 200 as 200, the fake honours any size so tests page through a few records.</li>
 *   <li>{@code GET .../sobjects/{Object}/describe}, {@code PATCH .../sobjects/{Object}/{id}} (204),
 *       {@code POST .../sobjects/{Object}} (201 {@code {id, success, errors}}), {@code GET .../limits}.
 *       Every write moves the record's {@code SystemModstamp}; a CaseComment moves its Case's.</li>
 *   <li>{@code Sforce-Limit-Info: api-usage=N/M} on every answer; each request counts; once the
 *       count reaches the daily maximum, 403 {@code REQUEST_LIMIT_EXCEEDED} "TotalRequests Limit
 *       exceeded." The throttling fault answers the concurrent-request variant
 *       ({@code ConcurrentPerOrgLongTxn Limit exceeded}).</li>
 *   <li>Errors as arrays {@code [{message, errorCode, fields}]}: 401 {@code INVALID_SESSION_ID},
 *       400 {@code INVALID_FIELD} (a field the org does not have, see {@link #removeField}),
 *       {@code MALFORMED_QUERY}, {@code INVALID_TYPE}, {@code MALFORMED_ID}, 404 {@code NOT_FOUND},
 *       validation errors on writes, 500 {@code UNKNOWN_EXCEPTION} and 503 {@code SERVER_UNAVAILABLE}.</li>
 * </ul>
 * An org's own fields ({@link #addField}, e.g. {@code Customer_Tier__c}) and multiple currencies
 * ({@link #enableMultipleCurrencies}: {@code CurrencyIsoCode}) show in describe and are answered
 * only to a query that selects them, as Salesforce does.
 * Seeded with a few records of Account, Contact, Case, Opportunity, Task and User (see
 * {@link #seed(String, int)}); every record it renders passes through {@code faults().apply}.
 */
public final class FakeSalesforce extends VendorFake {
    /** The API path prefix. */
    public static final String API = "/services/data/v62.0";
    /** The org id of the fake org. */
    public static final String ORG_ID = "00DRO0000008fAKEAA";
    /** The user the access token belongs to; owns what it creates. */
    public static final String API_USER_ID = "005RO0000000001AAA";
    /** The default daily API request allowance (an Enterprise org with a few licences). */
    public static final long DEFAULT_DAILY_LIMIT = 100_000;

    private static final Instant SEED_TIME = Instant.parse("2026-05-01T08:00:00Z");
    private static final DateTimeFormatter WIRE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
    private static final Pattern RECORD_PATH = Pattern.compile(API + "/sobjects/([A-Za-z0-9_]+)(?:/([^/]+))?");
    private static final Pattern LOCATOR = Pattern.compile(API + "/query/([A-Za-z0-9]+)-(\\d+)");
    private static final Pattern BATCH_SIZE = Pattern.compile("batchSize=(\\d+)");
    private static final int DEFAULT_BATCH = 2000;
    private static final String CURRENCY_ISO_CODE = "CurrencyIsoCode";

    private Map<String, SObject> objects = FakeSalesforceObjects.standard();
    private final Map<String, Map<String, JsonObject>> data = new LinkedHashMap<>();
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    private long apiUsed;
    private long apiMax = DEFAULT_DAILY_LIMIT;
    private long ids;
    private long locators;
    private Instant now = SEED_TIME;
    private int failing;
    private @Nullable FakeResponse failure;

    /** A query's results waiting for queryMore. */
    private record Cursor(String object, List<JsonObject> rows, List<String> select, int batch) {}

    /** Replaces the records of {@code object} with {@code count} seeded ones; pairs share a SystemModstamp. */
    public synchronized void seed(String object, int count) {
        SObject o = object(object);
        Map<String, JsonObject> rows = new LinkedHashMap<>();
        for (int n = 0; n < count; n++) {
            // Two records per minute, so incremental reads meet equal SystemModstamps and need the Id tie-break.
            Instant stamp = SEED_TIME.plus(Duration.ofMinutes(n / 2));
            JsonObject.Builder b = JsonObject.builder();
            String id = newId(o);
            for (Field f : o.fields()) {
                b.put(
                        f.name(),
                        switch (f.name()) {
                            case "Id" -> new JsonString(id);
                            case "OwnerId" -> new JsonString(API_USER_ID);
                            case "IsDeleted" -> JsonBoolean.of(false);
                            case "CreatedDate", "LastModifiedDate", "SystemModstamp" -> new JsonString(wire(stamp));
                            default -> FakeSalesforceObjects.seedValue(object, f, n);
                        });
            }
            rows.put(id, b.build());
        }
        data.put(object, rows);
        if (now.isBefore(SEED_TIME.plus(Duration.ofMinutes(count)))) {
            now = SEED_TIME.plus(Duration.ofMinutes(count));
        }
    }

    /**
     * Adds one record of {@code object} with these fields, as {@code POST .../sobjects/{object}} would
     * create it: the same validation (known, createable fields; picklist values; references to records
     * the org holds), the same defaults (owned by {@link #API_USER_ID}), and a {@code SystemModstamp}
     * later than every record before it. Counts no API request. For a test that needs particular
     * values (one contact of one account) where {@link #seed} generates them.
     *
     * @return the new record's id
     * @throws IllegalArgumentException with Salesforce's error body when a create would be refused
     */
    public synchronized String put(String object, JsonObject fields) {
        SObject o = object(object);
        FakeResponse refused = validate(o, Objects.requireNonNull(fields, "fields"), true);
        if (refused != null) {
            throw new IllegalArgumentException("Salesforce would refuse this " + object + ": " + refused.body());
        }
        return insert(o, fields);
    }

    /** A stored record by id, as the org holds it (without {@code attributes}), or null. */
    public synchronized @Nullable JsonObject record(String object, String id) {
        return data.getOrDefault(object, Map.of()).get(id);
    }

    /** The stored records of an object, in insertion order. */
    public synchronized List<JsonObject> records(String object) {
        return List.copyOf(data.getOrDefault(object, Map.of()).values());
    }

    /** Sets the org's API usage as {@code Sforce-Limit-Info} reports it: {@code used} of {@code max} daily requests. */
    public synchronized void apiUsage(long used, long max) {
        if (used < 0 || max <= 0) {
            throw new IllegalArgumentException("need used >= 0 and max > 0");
        }
        this.apiUsed = used;
        this.apiMax = max;
    }

    /** The API requests counted so far. */
    public synchronized long apiUsed() {
        return apiUsed;
    }

    /**
     * Removes a field from the org (an admin deleted it, or field-level security now hides it):
     * describe stops listing it and a query naming it fails with 400 {@code INVALID_FIELD}.
     */
    public synchronized void removeField(String object, String field) {
        SObject o = object(object);
        if (o.field(field) == null) {
            throw new IllegalArgumentException(object + " has no field " + field);
        }
        objects.put(
                object,
                new SObject(
                        o.name(),
                        o.keyPrefix(),
                        o.fields().stream().filter(f -> !f.name().equals(field)).toList()));
    }

    /**
     * Adds a field to an object, as an admin adding a custom field ({@code Customer_Tier__c}) does:
     * describe lists it (custom when its name ends in {@code __c}), a query may select it and answers
     * it only when selected, writes may set it, and every stored record has it null until
     * {@link #set} gives it a value.
     *
     * @param type the describe type: {@code string}, {@code picklist}, {@code currency}, {@code int}...
     * @param picklist for a picklist, its active values
     */
    public synchronized void addField(String object, String field, String type, boolean nillable, String... picklist) {
        addField(object, new Field(field, type, nillable, true, true, List.of(picklist)), JsonNull.INSTANCE);
    }

    /**
     * Turns on multiple currencies, as Setup's Company Information does in a multi-currency org: every
     * object but CaseComment gets {@code CurrencyIsoCode}, a non-nillable picklist of these ISO codes,
     * and every stored record is in {@code corporate} until {@link #set} moves it to another.
     */
    public synchronized void enableMultipleCurrencies(String corporate, String... others) {
        List<String> codes = new ArrayList<>(List.of(corporate));
        codes.addAll(List.of(others));
        Field currency = new Field(CURRENCY_ISO_CODE, "picklist", false, true, true, List.copyOf(codes));
        for (String object : List.copyOf(objects.keySet())) {
            if (!object.equals("CaseComment") && object(object).field(CURRENCY_ISO_CODE) == null) {
                addField(object, currency, new JsonString(corporate));
            }
        }
    }

    private void addField(String object, Field field, JsonValue stored) {
        SObject o = object(object);
        if (o.field(field.name()) != null) {
            throw new IllegalArgumentException(object + " already has a field " + field.name());
        }
        List<Field> fields = new ArrayList<>(o.fields());
        fields.add(field);
        objects.put(object, new SObject(o.name(), o.keyPrefix(), List.copyOf(fields)));
        Map<String, JsonObject> rows = data.get(object);
        if (rows != null) {
            rows.replaceAll(
                    (id, row) -> row.newBuilder().put(field.name(), stored).build());
        }
    }

    /**
     * Sets one field of a stored record, as a user's edit does: its SystemModstamp moves. The field
     * must be one the object has ({@link #addField} for an org's own).
     */
    public synchronized void set(String object, String id, String field, JsonValue value) {
        SObject o = object(object);
        if (o.field(field) == null) {
            throw new IllegalArgumentException(object + " has no field " + field + "; add it first with addField");
        }
        Map<String, JsonObject> rows = data.getOrDefault(object, Map.of());
        JsonObject row = rows.get(id);
        if (row == null) {
            throw new IllegalArgumentException("no " + object + " " + id + "; records(\"" + object + "\") lists them");
        }
        rows.put(id, touch(row.newBuilder().put(field, value)).build());
    }

    /**
     * Changes a field's type as describe reports it (an admin converted the field); the stored values
     * stay as they were, so queries keep answering them.
     */
    public synchronized void retypeField(String object, String field, String type) {
        replaceField(
                object,
                field,
                f -> new Field(f.name(), type, f.nillable(), f.createable(), f.updateable(), f.picklist()));
    }

    /** Adds an active value to a picklist field, as describe lists it (an admin added a value). */
    public synchronized void addPicklistValue(String object, String field, String value) {
        replaceField(object, field, f -> {
            List<String> values = new ArrayList<>(f.picklist());
            values.add(value);
            return new Field(f.name(), f.type(), f.nillable(), f.createable(), f.updateable(), List.copyOf(values));
        });
    }

    private void replaceField(String object, String field, java.util.function.UnaryOperator<Field> change) {
        SObject o = object(object);
        if (o.field(field) == null) {
            throw new IllegalArgumentException(object + " has no field " + field);
        }
        objects.put(
                object,
                new SObject(
                        o.name(),
                        o.keyPrefix(),
                        o.fields().stream()
                                .map(f -> f.name().equals(field) ? change.apply(f) : f)
                                .toList()));
    }

    /**
     * Answers the next {@code requests} authorized requests with a Salesforce error body
     * {@code [{"message": message, "errorCode": errorCode, "fields": []}]} and this status, for error
     * codes the fake does not produce by itself (e.g. 400 {@code MALFORMED_QUERY}, 403
     * {@code INSUFFICIENT_ACCESS_OR_READONLY}). Each counts as an API request.
     */
    public synchronized void failNext(int requests, int status, String errorCode, String message) {
        this.failing = requests;
        this.failure = error(status, errorCode, message);
    }

    @Override
    protected synchronized void resetState() {
        failing = 0;
        failure = null;
        objects = FakeSalesforceObjects.standard();
        data.clear();
        cursors.clear();
        apiUsed = 0;
        apiMax = DEFAULT_DAILY_LIMIT;
        ids = 0;
        locators = 0;
        now = SEED_TIME;
        seed("User", 3);
        seed("Account", 5);
        seed("Contact", 5);
        seed("Case", 5);
        seed("Opportunity", 5);
        seed("Task", 3);
        data.put("CaseComment", new LinkedHashMap<>());
    }

    @Override
    protected synchronized FakeResponse handle(FakeRequest request) {
        if (!authorized(request)) {
            // Salesforce does not count a request it could not attribute to the org.
            return withLimits(error(401, "INVALID_SESSION_ID", "Session expired or invalid"));
        }
        if (apiUsed >= apiMax) {
            return withLimits(error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
        }
        apiUsed++;
        if (failing > 0 && failure != null) {
            failing--;
            return withLimits(failure);
        }
        return withLimits(route(request));
    }

    private FakeResponse route(FakeRequest request) {
        String path = request.path();
        String method = request.method();
        if (method.equals("GET") && path.equals(API + "/query")) {
            String q = request.query("q");
            return q == null ? error(400, "MALFORMED_QUERY", "A query string has to be specified") : query(q, request);
        }
        Matcher locator = LOCATOR.matcher(path);
        if (method.equals("GET") && locator.matches()) {
            return queryMore(locator.group(1), Integer.parseInt(locator.group(2)));
        }
        if (method.equals("GET") && path.equals(API + "/limits")) {
            return FakeResponse.json(200, limits());
        }
        Matcher m = RECORD_PATH.matcher(path);
        if (m.matches()) {
            String objectName = m.group(1);
            String rest = m.group(2);
            SObject o = objects.get(objectName);
            if (o == null) {
                return error(404, "NOT_FOUND", "The requested resource does not exist");
            }
            if (method.equals("GET") && "describe".equals(rest)) {
                return FakeResponse.json(200, FakeSalesforceObjects.describe(o));
            }
            if (method.equals("POST") && rest == null) {
                return create(o, request);
            }
            if (rest != null && (method.equals("PATCH") || method.equals("GET"))) {
                return method.equals("GET") ? read(o, rest) : update(o, rest, request);
            }
        }
        return error(404, "NOT_FOUND", "The requested resource does not exist");
    }

    private FakeResponse query(String soql, FakeRequest request) {
        FakeSalesforceSoql.Query q;
        try {
            q = FakeSalesforceSoql.parse(soql);
        } catch (FakeSalesforceSoql.Malformed e) {
            return error(400, "MALFORMED_QUERY", Objects.requireNonNull(e.getMessage(), "Malformed has a message"));
        }
        SObject o = objects.get(q.object());
        if (o == null) {
            return error(
                    400,
                    "INVALID_TYPE",
                    "sObject type '" + q.object() + "' is not supported. If you are attempting to"
                            + " use a custom object, be sure to append the '__c' after the entity name.");
        }
        for (String field : q.fields()) {
            if (o.field(field) == null) {
                return error(
                        400,
                        "INVALID_FIELD",
                        "No such column '" + field + "' on entity '" + o.name() + "'. If you are"
                                + " attempting to use a custom field, be sure to append the '__c' after the custom field name. Please"
                                + " reference your WSDL or the describe call for the appropriate names.");
            }
        }
        List<JsonObject> rows = new ArrayList<>();
        for (JsonObject row : data.getOrDefault(o.name(), Map.of()).values()) {
            if (q.where().test(row)) {
                rows.add(row);
            }
        }
        rows.sort(q.comparator());
        if (q.limit() > 0 && rows.size() > q.limit()) {
            rows = new ArrayList<>(rows.subList(0, q.limit()));
        }
        int batch = batchSize(request);
        Cursor cursor = new Cursor(o.name(), List.copyOf(rows), q.select(), batch);
        @Nullable String locatorId = null;
        if (rows.size() > batch) {
            locatorId = String.format("01gRO%013d", ++locators);
            cursors.put(locatorId, cursor);
        }
        return page(cursor, locatorId, 0);
    }

    private FakeResponse queryMore(String locatorId, int offset) {
        Cursor cursor = cursors.get(locatorId);
        if (cursor == null || offset > cursor.rows().size()) {
            return error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        return page(cursor, locatorId, offset);
    }

    private FakeResponse page(Cursor cursor, @Nullable String locatorId, int offset) {
        int end = Math.min(cursor.rows().size(), offset + cursor.batch());
        List<JsonValue> records = new ArrayList<>();
        for (JsonObject row : cursor.rows().subList(offset, end)) {
            records.add(render(cursor.object(), row, cursor.select()));
        }
        boolean done = end >= cursor.rows().size();
        JsonObject.Builder body =
                JsonObject.builder().put("totalSize", cursor.rows().size()).put("done", done);
        if (!done) {
            body.put("nextRecordsUrl", API + "/query/" + locatorId + "-" + end);
        } else if (locatorId != null) {
            cursors.remove(locatorId);
        }
        return FakeResponse.json(200, body.put("records", JsonArray.of(records)).build());
    }

    /** A row as a query answers it: {@code attributes} first, then the selected fields in order. */
    private JsonObject render(String object, JsonObject row, List<String> select) {
        JsonObject.Builder b = JsonObject.builder()
                .put(
                        "attributes",
                        JsonObject.builder()
                                .put("type", object)
                                .put("url", API + "/sobjects/" + object + "/" + row.string("Id"))
                                .build());
        for (String field : select) {
            JsonValue v = row.get(field);
            b.put(field, v == null ? JsonNull.INSTANCE : v);
        }
        return faults().apply(b.build());
    }

    private FakeResponse read(SObject o, String id) {
        JsonObject row = data.getOrDefault(o.name(), Map.of()).get(id);
        if (row == null) {
            return error(404, "NOT_FOUND", "The requested resource does not exist");
        }
        return FakeResponse.json(
                200, render(o.name(), row, o.fields().stream().map(Field::name).toList()));
    }

    private FakeResponse update(SObject o, String id, FakeRequest request) {
        if (!id.matches("[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?") || !id.startsWith(o.keyPrefix())) {
            return error(400, "MALFORMED_ID", o.name() + " ID: id value of incorrect type: " + id, "Id");
        }
        Map<String, JsonObject> rows = data.computeIfAbsent(o.name(), k -> new LinkedHashMap<>());
        JsonObject row = rows.get(id);
        if (row == null) {
            return error(404, "NOT_FOUND", "The requested resource does not exist");
        }
        JsonObject input = bodyObject(request);
        if (input == null) {
            return error(400, "JSON_PARSER_ERROR", "The request body is not a JSON object");
        }
        FakeResponse invalid = validate(o, input, false);
        if (invalid != null) {
            return invalid;
        }
        JsonObject.Builder b = row.newBuilder();
        input.fields().forEach(b::put);
        if (o.name().equals("Case") && input.string("Status") != null) {
            boolean closed = input.string("Status").equals("Closed");
            b.put("IsClosed", closed).put("ClosedDate", closed ? new JsonString(wire(now)) : JsonNull.INSTANCE);
        }
        rows.put(id, touch(b).build());
        return FakeResponse.empty(204);
    }

    /** The request body as a JSON object, or null when it is not one. */
    private static @Nullable JsonObject bodyObject(FakeRequest request) {
        try {
            return request.json() instanceof JsonObject in ? in : null;
        } catch (JsonFormatException e) {
            return null;
        }
    }

    private FakeResponse create(SObject o, FakeRequest request) {
        JsonObject input = bodyObject(request);
        if (input == null) {
            return error(400, "JSON_PARSER_ERROR", "The request body is not a JSON object");
        }
        FakeResponse invalid = validate(o, input, true);
        if (invalid != null) {
            return invalid;
        }
        String id = insert(o, input);
        return FakeResponse.json(
                201,
                JsonObject.builder()
                        .put("id", id)
                        .put("success", true)
                        .put("errors", JsonArray.empty())
                        .put("warnings", JsonArray.empty())
                        .build());
    }

    /** Stores a validated new record as a create does; returns its id. */
    private String insert(SObject o, JsonObject input) {
        String id = newId(o);
        JsonObject.Builder b = JsonObject.builder();
        for (Field f : o.fields()) {
            JsonValue given = input.get(f.name());
            b.put(
                    f.name(),
                    switch (f.name()) {
                        case "Id" -> new JsonString(id);
                        case "OwnerId", "CreatedById" -> given != null ? given : new JsonString(API_USER_ID);
                        case "IsDeleted", "IsClosed" -> JsonBoolean.of(false);
                        case "CreatedDate" -> new JsonString(wire(now.plusSeconds(1)));
                        // An auto-number field: Salesforce numbers cases on from the last one.
                        case "CaseNumber" ->
                            new JsonString(String.format(
                                    "%08d",
                                    1000 + data.getOrDefault("Case", Map.of()).size()));
                        default -> given != null ? given : defaultOnCreate(o, f);
                    });
        }
        data.computeIfAbsent(o.name(), k -> new LinkedHashMap<>()).put(id, touch(b).build());
        if (o.name().equals("CaseComment")) {
            // validate() has made ParentId required and checked that it names a stored record.
            Map<String, JsonObject> cases = Objects.requireNonNull(data.get("Case"), "comments belong to cases");
            String parent = Objects.requireNonNull(input.string("ParentId"), "a comment has a ParentId");
            JsonObject parentCase = Objects.requireNonNull(cases.get(parent), "a comment's parent is a case");
            cases.put(parent, touch(parentCase.newBuilder()).build());
        }
        return id;
    }

    private static JsonValue defaultOnCreate(SObject o, Field f) {
        return switch (o.name() + "." + f.name()) {
            case "Task.Status" -> new JsonString("Not Started");
            case "Task.Priority" -> new JsonString("Normal");
            case "CaseComment.IsPublished" -> JsonBoolean.of(false);
            // A new record is in the corporate currency (the creating user's, in a real org).
            default ->
                f.name().equals(CURRENCY_ISO_CODE)
                        ? new JsonString(f.picklist().get(0))
                        : f.type().equals("boolean") ? JsonBoolean.of(false) : JsonNull.INSTANCE;
        };
    }

    /** Salesforce's validation: known, writable fields; picklist values; references that exist. */
    private @Nullable FakeResponse validate(SObject o, JsonObject input, boolean creating) {
        for (String name : input.names()) {
            Field f = o.field(name);
            if (f == null) {
                return error(
                        400, "INVALID_FIELD", "No such column '" + name + "' on sobject of type " + o.name(), name);
            }
            if (creating ? !f.createable() : !f.updateable()) {
                return error(
                        400,
                        "INVALID_FIELD_FOR_INSERT_UPDATE",
                        "Unable to create/update fields: " + name
                                + ". Please check the security settings of this field and verify that it is read/write for your profile"
                                + " or permission set.",
                        name);
            }
            JsonValue v = Objects.requireNonNull(input.get(name), "one of the input's names");
            if (!f.picklist().isEmpty()
                    && !(v instanceof JsonString s && f.picklist().contains(s.value()))) {
                return error(
                        400,
                        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        f.name() + ": bad value for restricted picklist" + " field: "
                                + (v instanceof JsonString s ? s.value() : v.toJson()),
                        name);
            }
            if (f.type().equals("reference") && v instanceof JsonString ref && !exists(ref.value())) {
                return error(
                        400,
                        name.equals("ParentId") ? "FIELD_INTEGRITY_EXCEPTION" : "INVALID_CROSS_REFERENCE_KEY",
                        name.equals("ParentId")
                                ? "Parent ID: id value of incorrect type: " + ref.value()
                                : "invalid cross reference id",
                        name);
            }
        }
        if (creating) {
            for (Field f : o.fields()) {
                if (f.createable()
                        && !f.nillable()
                        && !input.has(f.name())
                        && !f.name().equals("OwnerId")
                        && !f.type().equals("boolean")
                        && defaultOnCreate(o, f) instanceof JsonNull) {
                    return error(
                            400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [" + f.name() + "]", f.name());
                }
            }
            if (o.name().equals("CaseComment") && input.string("CommentBody") == null) {
                return error(
                        400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [CommentBody]", "CommentBody");
            }
        }
        return null;
    }

    private boolean exists(String id) {
        return data.values().stream().anyMatch(rows -> rows.containsKey(id));
    }

    /** Moves a record's LastModifiedDate and SystemModstamp to a new, later instant. */
    private JsonObject.Builder touch(JsonObject.Builder b) {
        now = now.plusSeconds(1);
        return b.put("LastModifiedDate", wire(now)).put("SystemModstamp", wire(now));
    }

    private String newId(SObject o) {
        return o.keyPrefix() + "RO" + String.format("%010d", ++ids) + "AAA";
    }

    private SObject object(String name) {
        SObject o = objects.get(Objects.requireNonNull(name, "object"));
        if (o == null) {
            throw new IllegalArgumentException("the fake has no sObject " + name + "; it has " + objects.keySet());
        }
        return o;
    }

    private static int batchSize(FakeRequest request) {
        String options = request.header("Sforce-Query-Options");
        if (options != null) {
            Matcher m = BATCH_SIZE.matcher(options);
            if (m.find()) {
                return Math.max(1, Math.min(DEFAULT_BATCH, Integer.parseInt(m.group(1))));
            }
        }
        return DEFAULT_BATCH;
    }

    private JsonObject limits() {
        return JsonObject.builder()
                .put(
                        "DailyApiRequests",
                        JsonObject.builder()
                                .put("Max", apiMax)
                                .put("Remaining", Math.max(0, apiMax - apiUsed))
                                .build())
                .put(
                        "ConcurrentAsyncGetReportInstances",
                        JsonObject.builder()
                                .put("Max", 200)
                                .put("Remaining", 200)
                                .build())
                .build();
    }

    private static String wire(Instant instant) {
        return WIRE.format(instant);
    }

    /** A Salesforce error body: an array with one {@code {message, errorCode, fields}}. */
    private static FakeResponse error(int status, String code, String message, String... fields) {
        JsonObject.Builder e = JsonObject.builder().put("message", message).put("errorCode", code);
        if (fields.length > 0 || status == 400) {
            e.put(
                    "fields",
                    JsonArray.of(List.of(fields).stream()
                            .map(f -> (JsonValue) new JsonString(f))
                            .toList()));
        }
        return FakeResponse.json(status, JsonArray.of(e.build()));
    }

    private synchronized FakeResponse withLimits(FakeResponse response) {
        return response.withHeader("Sforce-Limit-Info", "api-usage=" + apiUsed + "/" + apiMax);
    }

    @Override
    protected FakeResponse throttled(FakeRequest request) {
        return withLimits(error(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."));
    }

    @Override
    protected FakeResponse serverError(FakeRequest request, int status) {
        FakeResponse r = status == 503
                ? error(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable, please try again later")
                : error(
                        status,
                        "UNKNOWN_EXCEPTION",
                        "An unexpected error occurred. Please include this ErrorId if you"
                                + " contact support: 1438301482-17470 (-1407264513)");
        return withLimits(r);
    }
}
