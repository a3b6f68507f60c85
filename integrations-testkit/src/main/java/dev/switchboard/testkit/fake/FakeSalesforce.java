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
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 *       sizes under 200 as 200, the fake honours any size so tests page through a few records. A
 *       query's rows are fixed when it runs: a change made while a read pages through them shows in
 *       the next query. A literal must have the field's type, as in Salesforce: a quoted
 *       {@code 'false'} for a boolean (or an unquoted value for a string field) is refused with 400
 *       {@code INVALID_QUERY_FILTER_OPERATOR} instead of matching nothing.</li>
 *   <li>{@code GET .../queryAll?q=SOQL}: the same, with the deleted records still in the recycle bin
 *       ({@code IsDeleted = true}), which {@code query} leaves out ({@link #delete}, {@link #undelete},
 *       {@link #emptyRecycleBin}). Its locators are {@code .../query/...} too, as Salesforce's are.</li>
 *   <li>Query locators expire ({@link #expireQueryLocators()}, or after 15 minutes unused by the
 *       {@link #clock(Clock)}): queryMore then answers 400 {@code INVALID_QUERY_LOCATOR}. A query may time
 *       out ({@link #timeOutNextQueries}: 400 {@code QUERY_TIMEOUT}).</li>
 *   <li>{@code GET .../sobjects/{Object}/describe}, {@code GET .../sobjects/{Object}/{id}[?fields=...]},
 *       {@code DELETE .../sobjects/{Object}/{id}} (204, to the recycle bin),
 *       {@code PATCH .../sobjects/{Object}/{id}} (204),
 *       {@code POST .../sobjects/{Object}} (201 {@code {id, success, errors}}), {@code GET .../limits}.
 *       Every write moves the record's {@code SystemModstamp}; a CaseComment moves its Case's. A PATCH
 *       with {@code If-Unmodified-Since} (an HTTP date) is refused with 412 when the record's
 *       {@code LastModifiedDate}, in whole seconds, is later (the 412's body is the fake's own: Salesforce
 *       documents the status only); a PATCH of a record a
 *       {@linkplain #begin() transaction} holds answers 400 {@code UNABLE_TO_LOCK_ROW}.</li>
 *   <li>Transactions ({@link #begin()}) stamp every row they write with the time they began and show
 *       them only when they commit, as Salesforce's {@code SystemModstamp} does for a long transaction:
 *       rows that appear behind a checkpoint that already moved past their stamp.</li>
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
    private @Nullable Clock clock;
    private int failing;
    private @Nullable FakeResponse failure;
    private int timingOut;
    /** Fields whose WHERE conditions this org ignores ({@link #ignoreConditionsOn}). */
    private final Set<String> ignoredConditions = new java.util.HashSet<>();
    /** Records held by an open transaction, by id. */
    private final Map<String, Transaction> locks = new HashMap<>();

    /** A query's results waiting for queryMore, and when it was last used (by the {@link #clock}). */
    private record Cursor(
            String object,
            List<JsonObject> rows,
            List<String> select,
            int batch,
            @Nullable Instant used) {}

    /** How long Salesforce keeps an unused query locator. */
    private static final Duration LOCATOR_IDLE = Duration.ofMinutes(15);

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

    /**
     * A stored record by id, as the org holds it (without {@code attributes}), or null; a deleted one
     * still in the recycle bin comes with {@code IsDeleted} true.
     */
    public synchronized @Nullable JsonObject record(String object, String id) {
        return data.getOrDefault(object, Map.of()).get(id);
    }

    /** The stored records of an object that are not deleted, in insertion order. */
    public synchronized List<JsonObject> records(String object) {
        return data.getOrDefault(object, Map.of()).values().stream()
                .filter(r -> !isDeleted(r))
                .toList();
    }

    /** The deleted records of an object still in the recycle bin (what queryAll still finds). */
    public synchronized List<JsonObject> recycleBin(String object) {
        return data.getOrDefault(object, Map.of()).values().stream()
                .filter(FakeSalesforce::isDeleted)
                .toList();
    }

    /**
     * Stamps every later change with {@code clock}'s time in whole seconds, as Salesforce's timestamps
     * are (never earlier than the change before it, so changes within one second share a stamp), instead
     * of one second after the last change; query locators unused for 15 minutes of it expire. For tests
     * that measure how long a change takes to reach a consumer.
     */
    public synchronized void clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Deletes a record as a user does: it goes to the recycle bin ({@code IsDeleted} true, its
     * SystemModstamp moves), {@code query} stops finding it and {@code queryAll} still does.
     *
     * @throws IllegalStateException when an open transaction holds the record
     */
    public synchronized void delete(String object, String id) {
        JsonObject row = live(object, id);
        checkUnlocked(id);
        stored(object).put(id, touch(row.newBuilder().put("IsDeleted", true)).build());
    }

    /** Restores a deleted record from the recycle bin: {@code IsDeleted} false again, its SystemModstamp moves. */
    public synchronized void undelete(String object, String id) {
        JsonObject row = data.getOrDefault(object, Map.of()).get(id);
        if (row == null || !isDeleted(row)) {
            throw new IllegalArgumentException("no deleted " + object + " " + id + " in the recycle bin");
        }
        stored(object).put(id, touch(row.newBuilder().put("IsDeleted", false)).build());
    }

    /**
     * Empties the recycle bin (an admin did, or its 15 days passed): deleted records are gone for good,
     * so {@code queryAll} no longer finds them either.
     */
    public synchronized void emptyRecycleBin() {
        data.values().forEach(rows -> rows.values().removeIf(FakeSalesforce::isDeleted));
    }

    /**
     * Makes every open query locator expire, as Salesforce does after 15 minutes idle or when a user
     * holds too many: the next queryMore on one answers 400 {@code INVALID_QUERY_LOCATOR}.
     */
    public synchronized void expireQueryLocators() {
        cursors.clear();
    }

    /**
     * Opens a transaction stamped now: the rows it writes get this {@code SystemModstamp} and
     * {@code LastModifiedDate}, but appear only when it {@linkplain Transaction#commit() commits}, however
     * much later; meanwhile the records it holds refuse other writes. This is how Salesforce stamps a long
     * transaction (a batch job, a slow trigger): its rows commit behind later ones.
     */
    public synchronized Transaction begin() {
        return new Transaction(nextStamp());
    }

    /** One open transaction of {@link #begin()}. Its methods validate as the fake's own do. */
    public final class Transaction {
        private final Instant stamp;
        private final Map<String, JsonObject.Builder> writes = new LinkedHashMap<>();
        private final Map<String, String> objectOf = new LinkedHashMap<>();
        private final Set<String> created = new java.util.HashSet<>();
        private boolean open = true;

        private Transaction(Instant stamp) {
            this.stamp = stamp;
        }

        /** The SystemModstamp every row of this transaction gets. */
        public Instant stamp() {
            return stamp;
        }

        /**
         * Sets one field of a record in this transaction.
         *
         * @throws IllegalStateException when another transaction holds the record, or it changed after this
         *     one began (Salesforce would have made this one wait for its lock)
         */
        public void set(String object, String id, String field, JsonValue value) {
            synchronized (FakeSalesforce.this) {
                SObject o = object(object);
                if (o.field(field) == null) {
                    throw new IllegalArgumentException(object + " has no field " + field);
                }
                hold(object, id).put(field, value);
            }
        }

        /** Creates a record in this transaction, validated as {@link FakeSalesforce#put} does; returns its id. */
        public String put(String object, JsonObject fields) {
            synchronized (FakeSalesforce.this) {
                checkOpen();
                SObject o = object(object);
                FakeResponse refused = validate(o, Objects.requireNonNull(fields, "fields"), true);
                if (refused != null) {
                    throw new IllegalArgumentException(
                            "Salesforce would refuse this " + object + ": " + refused.body());
                }
                String id = newId(o);
                writes.put(id, newRow(o, id, fields, stamp).newBuilder());
                objectOf.put(id, object);
                created.add(id);
                locks.put(id, this);
                return id;
            }
        }

        /** Deletes a record in this transaction. */
        public void delete(String object, String id) {
            synchronized (FakeSalesforce.this) {
                hold(object, id).put("IsDeleted", true);
            }
        }

        /** Makes every write visible, each row stamped with {@link #stamp()}, and releases the records. */
        public void commit() {
            synchronized (FakeSalesforce.this) {
                checkOpen();
                open = false;
                writes.forEach((id, row) -> {
                    String object = Objects.requireNonNull(objectOf.get(id), "every write names its object");
                    String at = wire(stamp);
                    data.computeIfAbsent(object, k -> new LinkedHashMap<>())
                            .put(
                                    id,
                                    row.put("LastModifiedDate", at)
                                            .put("SystemModstamp", at)
                                            .build());
                    locks.remove(id);
                });
            }
        }

        /** Drops every write and releases the records. */
        public void rollback() {
            synchronized (FakeSalesforce.this) {
                checkOpen();
                open = false;
                writes.keySet().forEach(locks::remove);
            }
        }

        private JsonObject.Builder hold(String object, String id) {
            checkOpen();
            JsonObject.Builder held = writes.get(id);
            if (held != null) {
                return held;
            }
            JsonObject row = live(object, id);
            checkUnlocked(id);
            Instant stamped = FakeSalesforceSoql.parseDateTime(
                    Objects.requireNonNull(row.string("SystemModstamp"), "every row has a SystemModstamp"));
            if (stamped != null && stamped.isAfter(stamp)) {
                throw new IllegalStateException(object + " " + id + " changed after this transaction began at " + stamp
                        + "; Salesforce would have made it wait for the record's lock");
            }
            JsonObject.Builder b = row.newBuilder();
            writes.put(id, b);
            objectOf.put(id, object);
            locks.put(id, this);
            return b;
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("this transaction has ended");
            }
        }
    }

    private JsonObject live(String object, String id) {
        object(object);
        JsonObject row = data.getOrDefault(object, Map.of()).get(id);
        if (row == null || isDeleted(row)) {
            throw new IllegalArgumentException("no " + object + " " + id + "; records(\"" + object + "\") lists them");
        }
        return row;
    }

    /** The stored rows of an object that holds at least one (checked by {@link #live} or a lookup before). */
    private Map<String, JsonObject> stored(String object) {
        return Objects.requireNonNull(data.get(object), "the object's rows were looked up before");
    }

    private void checkUnlocked(String id) {
        if (locks.containsKey(id)) {
            throw new IllegalStateException(
                    "an open transaction holds " + id + "; commit or roll it back first (UNABLE_TO_LOCK_ROW)");
        }
    }

    private static boolean isDeleted(JsonObject row) {
        return Boolean.TRUE.equals(row.bool("IsDeleted"));
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
        JsonObject row = live(object, id);
        checkUnlocked(id);
        stored(object).put(id, touch(row.newBuilder().put(field, value)).build());
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
     * Sets the org's default access to the records of {@code object} (its organization-wide default, as
     * Setup's Sharing Settings does), which {@code SELECT Default{Object}Access FROM Organization} answers:
     * {@code None} (Private), {@code Read} (Public Read Only), {@code Edit} (Public Read/Write),
     * {@code ReadEditTransfer} (cases and leads), {@code ControlledByParent} (contacts). The fake's org
     * starts private ({@code None}; contacts {@code ControlledByParent}). The fake does not enforce it:
     * its API user sees every record, as an integration user with View All Data does.
     *
     * @throws IllegalArgumentException when the object has no such setting or the value is not one of its values
     */
    public synchronized void sharingDefault(String object, String access) {
        String field = "Default" + object + "Access";
        Field f = object("Organization").field(field);
        if (f == null || !f.picklist().contains(access)) {
            throw new IllegalArgumentException("Salesforce has no default access '" + access + "' for " + object
                    + (f == null ? "" : "; it has " + f.picklist()));
        }
        Map<String, JsonObject> org = stored("Organization");
        JsonObject row = Objects.requireNonNull(org.get(ORG_ID), "the org's row");
        org.put(ORG_ID, row.newBuilder().put(field, access).build());
    }

    /**
     * Shares a record with a user ({@code 005...}) or a group ({@code 00G...}, a public group, a queue or a
     * role's group), as a manual share or a sharing rule does: a row of {@code {Object}Share} with the
     * record's id in {@code {Object}Id} (AccountId, ContactId, OpportunityId, CaseId), {@code UserOrGroupId},
     * {@code Read} access and this {@code RowCause} ({@code Manual}, {@code Rule}, {@code Team}...).
     *
     * @return the share's id
     */
    public synchronized String share(String object, String recordId, String userOrGroupId, String rowCause) {
        SObject share = object(object + "Share");
        live(object, recordId);
        if (!userOrGroupId.startsWith("005") && !userOrGroupId.startsWith("00G")) {
            throw new IllegalArgumentException("UserOrGroupId must be a user (005) or a group (00G)");
        }
        Field cause = Objects.requireNonNull(share.field("RowCause"), "shares have a RowCause");
        if (!cause.picklist().contains(rowCause)) {
            throw new IllegalArgumentException("RowCause must be one of " + cause.picklist());
        }
        String id = newId(share);
        stored(share.name())
                .put(
                        id,
                        JsonObject.builder()
                                .put("Id", id)
                                .put(object + "Id", recordId)
                                .put("UserOrGroupId", userOrGroupId)
                                .put(object + "AccessLevel", "Read")
                                .put("RowCause", rowCause)
                                .put("IsDeleted", false)
                                .put("LastModifiedDate", wire(nextStamp()))
                                .build());
        return id;
    }

    /**
     * Makes the org ignore every WHERE condition on {@code field} (each holds for every row), as a vendor bug,
     * or a connector's wrong predicate, would: for tests that a consumer's own filter still holds.
     */
    public synchronized void ignoreConditionsOn(String field) {
        ignoredConditions.add(Objects.requireNonNull(field, "field"));
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

    /**
     * Answers the next {@code queries} query or queryAll requests (not queryMore) as Salesforce does when
     * a query runs past its time limit: 400 {@code [{"message": "Your query request was running for too
     * long.", "errorCode": "QUERY_TIMEOUT"}]}. Each counts as an API request.
     */
    public synchronized void timeOutNextQueries(int queries) {
        if (queries < 0) {
            throw new IllegalArgumentException("queries must not be negative");
        }
        this.timingOut = queries;
    }

    @Override
    protected synchronized void resetState() {
        failing = 0;
        failure = null;
        timingOut = 0;
        objects = FakeSalesforceObjects.standard();
        data.clear();
        cursors.clear();
        apiUsed = 0;
        apiMax = DEFAULT_DAILY_LIMIT;
        ids = 0;
        locators = 0;
        now = SEED_TIME;
        clock = null;
        locks.clear();
        seed("User", 3);
        seed("Account", 5);
        seed("Contact", 5);
        seed("Case", 5);
        seed("Opportunity", 5);
        seed("Task", 3);
        data.put("CaseComment", new LinkedHashMap<>());
        ignoredConditions.clear();
        // A private org: what most enterprise orgs choose, and what records were read as before the fake
        // had sharing settings. Contacts follow their Account.
        Map<String, JsonObject> organization = new LinkedHashMap<>();
        organization.put(
                ORG_ID,
                JsonObject.builder()
                        .put("Id", ORG_ID)
                        .put("Name", "Fake Org")
                        .put("DefaultAccountAccess", "None")
                        .put("DefaultContactAccess", "ControlledByParent")
                        .put("DefaultOpportunityAccess", "None")
                        .put("DefaultCaseAccess", "None")
                        .put("DefaultLeadAccess", "None")
                        .put("SystemModstamp", wire(SEED_TIME))
                        .build());
        data.put("Organization", organization);
        for (String share : List.of("AccountShare", "ContactShare", "OpportunityShare", "CaseShare")) {
            data.put(share, new LinkedHashMap<>());
        }
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
        if (timingOut > 0 && method.equals("GET") && (path.equals(API + "/query") || path.equals(API + "/queryAll"))) {
            timingOut--;
            return error(400, "QUERY_TIMEOUT", "Your query request was running for too long.");
        }
        if (method.equals("GET") && path.equals(API + "/query")) {
            String q = request.query("q");
            return q == null
                    ? error(400, "MALFORMED_QUERY", "A query string has to be specified")
                    : query(q, request, false);
        }
        if (method.equals("GET") && path.equals(API + "/queryAll")) {
            String q = request.query("q");
            return q == null
                    ? error(400, "MALFORMED_QUERY", "A query string has to be specified")
                    : query(q, request, true);
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
            if (rest != null && method.equals("GET")) {
                return read(o, rest, request.query("fields"));
            }
            if (rest != null && method.equals("PATCH")) {
                return update(o, rest, request);
            }
            if (rest != null && method.equals("DELETE")) {
                return remove(o, rest);
            }
        }
        return error(404, "NOT_FOUND", "The requested resource does not exist");
    }

    /** A query, or with {@code all} a queryAll, which also finds the deleted records of the recycle bin. */
    private FakeResponse query(String soql, FakeRequest request, boolean all) {
        FakeSalesforceSoql.Query q;
        try {
            q = FakeSalesforceSoql.parse(soql, ignoredConditions);
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
        for (FakeSalesforceSoql.Comparison c : q.comparisons()) {
            FakeResponse refused = checkLiteral(Objects.requireNonNull(o.field(c.field()), "checked above"), c);
            if (refused != null) {
                return refused;
            }
        }
        List<JsonObject> rows = new ArrayList<>();
        for (JsonObject row : data.getOrDefault(o.name(), Map.of()).values()) {
            if ((all || !isDeleted(row)) && q.where().test(row)) {
                rows.add(row);
            }
        }
        rows.sort(q.comparator());
        if (q.limit() > 0 && rows.size() > q.limit()) {
            rows = new ArrayList<>(rows.subList(0, q.limit()));
        }
        int batch = batchSize(request);
        Clock c = clock;
        Cursor cursor = new Cursor(o.name(), List.copyOf(rows), q.select(), batch, c == null ? null : c.instant());
        @Nullable String locatorId = null;
        if (rows.size() > batch) {
            locatorId = String.format("01gRO%013d", ++locators);
            cursors.put(locatorId, cursor);
        }
        return page(cursor, locatorId, 0);
    }

    /**
     * Salesforce checks each literal against its field's type before running the query: a boolean,
     * number, date or datetime is written unquoted in its own form, a text value quoted.
     */
    private static @Nullable FakeResponse checkLiteral(Field field, FakeSalesforceSoql.Comparison c) {
        Object literal = c.literal();
        if (literal == null) {
            return null;
        }
        String type = field.type();
        String expected;
        boolean ok;
        switch (type) {
            case "boolean" -> {
                expected = "boolean";
                ok = literal instanceof Boolean;
            }
            case "int", "double", "currency", "percent" -> {
                expected = type.equals("int") ? "int" : "double";
                ok = literal instanceof BigDecimal;
            }
            case "date" -> {
                expected = "date";
                ok = literal instanceof LocalDate;
            }
            case "datetime" -> {
                expected = "dateTime";
                ok = literal instanceof Instant;
            }
            default -> {
                expected = "string";
                ok = literal instanceof String;
            }
        }
        if (ok) {
            return null;
        }
        return error(
                400,
                "INVALID_QUERY_FILTER_OPERATOR",
                "value of filter criterion for field '" + field.name() + "' must be of type " + expected
                        + (expected.equals("string")
                                ? " and should be enclosed in quotes"
                                : " and should not be enclosed in quotes"));
    }

    private FakeResponse queryMore(String locatorId, int offset) {
        Cursor cursor = cursors.get(locatorId);
        Clock c = clock;
        if (cursor != null && c != null && cursor.used() != null) {
            if (Duration.between(cursor.used(), c.instant()).compareTo(LOCATOR_IDLE) > 0) {
                cursors.remove(locatorId); // unused for more than 15 minutes: Salesforce let it go
                cursor = null;
            } else {
                cursor = new Cursor(cursor.object(), cursor.rows(), cursor.select(), cursor.batch(), c.instant());
                cursors.put(locatorId, cursor);
            }
        }
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

    /** {@code GET .../sobjects/{Object}/{id}[?fields=a,b]}: every field, or those named. */
    private FakeResponse read(SObject o, String id, @Nullable String fields) {
        JsonObject row = data.getOrDefault(o.name(), Map.of()).get(id);
        if (row == null || isDeleted(row)) {
            return error(404, "NOT_FOUND", "The requested resource does not exist");
        }
        List<String> names = o.fields().stream().map(Field::name).toList();
        if (fields != null && !fields.isBlank()) {
            names = List.of(fields.split(","));
            for (String name : names) {
                if (o.field(name.strip()) == null) {
                    return error(
                            400,
                            "INVALID_FIELD",
                            "No such column '" + name.strip() + "' on sobject of type " + o.name());
                }
            }
            names = names.stream().map(String::strip).toList();
        }
        return FakeResponse.json(200, render(o.name(), row, names));
    }

    /** {@code DELETE .../sobjects/{Object}/{id}}: to the recycle bin, 204. */
    private FakeResponse remove(SObject o, String id) {
        JsonObject row = data.getOrDefault(o.name(), Map.of()).get(id);
        if (row == null) {
            return error(404, "NOT_FOUND", "The requested resource does not exist");
        }
        if (isDeleted(row)) {
            return error(404, "ENTITY_IS_DELETED", "entity is deleted");
        }
        if (locks.containsKey(id)) {
            return error(
                    400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: " + id);
        }
        stored(o.name()).put(id, touch(row.newBuilder().put("IsDeleted", true)).build());
        return FakeResponse.empty(204);
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
        if (isDeleted(row)) {
            return error(400, "ENTITY_IS_DELETED", "entity is deleted");
        }
        String condition = request.header("If-Unmodified-Since");
        if (condition != null) {
            Instant since;
            try {
                since = ZonedDateTime.parse(condition, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException e) {
                return error(400, "INVALID_HEADER_VALUE", "If-Unmodified-Since is not an HTTP date: " + condition);
            }
            Instant modified = FakeSalesforceSoql.parseDateTime(
                    Objects.requireNonNull(row.string("LastModifiedDate"), "every row has a LastModifiedDate"));
            // HTTP dates have whole seconds: a change within the second of the date is not "since".
            if (modified != null && modified.truncatedTo(ChronoUnit.SECONDS).isAfter(since)) {
                return error(412, "PRECONDITION_FAILED", "The requested resource has been modified since " + condition);
            }
        }
        if (locks.containsKey(id)) {
            return error(
                    400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: " + id);
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
        Instant created = nextStamp();
        data.computeIfAbsent(o.name(), k -> new LinkedHashMap<>()).put(id, newRow(o, id, input, created));
        if (o.name().equals("CaseComment")) {
            // validate() has made ParentId required and checked that it names a stored record.
            Map<String, JsonObject> cases = Objects.requireNonNull(data.get("Case"), "comments belong to cases");
            String parent = Objects.requireNonNull(input.string("ParentId"), "a comment has a ParentId");
            JsonObject parentCase = Objects.requireNonNull(cases.get(parent), "a comment's parent is a case");
            cases.put(parent, touch(parentCase.newBuilder()).build());
        }
        return id;
    }

    /** A new record's row, as a create at {@code at} makes it from validated input. */
    private JsonObject newRow(SObject o, String id, JsonObject input, Instant at) {
        JsonObject.Builder b = JsonObject.builder();
        for (Field f : o.fields()) {
            JsonValue given = input.get(f.name());
            b.put(
                    f.name(),
                    switch (f.name()) {
                        case "Id" -> new JsonString(id);
                        case "OwnerId", "CreatedById" -> given != null ? given : new JsonString(API_USER_ID);
                        case "IsDeleted", "IsClosed" -> JsonBoolean.of(false);
                        case "CreatedDate", "LastModifiedDate", "SystemModstamp" -> new JsonString(wire(at));
                        // An auto-number field: Salesforce numbers cases on from the last one.
                        case "CaseNumber" ->
                            new JsonString(String.format(
                                    "%08d",
                                    1000 + data.getOrDefault("Case", Map.of()).size()));
                        default -> given != null ? given : defaultOnCreate(o, f);
                    });
        }
        return b.build();
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
        return data.values().stream().anyMatch(rows -> rows.containsKey(id) && !isDeleted(rows.get(id)));
    }

    /** Moves a record's LastModifiedDate and SystemModstamp to the next stamp. */
    private JsonObject.Builder touch(JsonObject.Builder b) {
        Instant at = nextStamp();
        return b.put("LastModifiedDate", wire(at)).put("SystemModstamp", wire(at));
    }

    /** The stamp of the next change: one second after the last, or the clock's second, never earlier. */
    private Instant nextStamp() {
        Clock c = clock;
        if (c == null) {
            now = now.plusSeconds(1);
        } else {
            Instant t = c.instant().truncatedTo(ChronoUnit.SECONDS);
            now = t.isAfter(now) ? t : now;
        }
        return now;
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
