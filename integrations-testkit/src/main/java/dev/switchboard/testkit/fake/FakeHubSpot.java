package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.testkit.VendorSamples;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A HubSpot portal as the CRM v3 API shows it, seeded from the real payloads in the testkit's
 * vendor samples. Stateful: writes change what later reads return.
 *
 * <ul>
 *   <li>{@code GET /crm/v3/objects/{type}} pages with {@code limit} (at most 100) and
 *       {@code paging.next.after}; {@code properties=} returns only the properties asked for (null
 *       when unset) plus {@code createdate}, the modstamp and {@code hs_object_id};
 *       {@code associations=} adds {@code associations.{type}.results[{id, type}]}.</li>
 *   <li>{@code POST /crm/v3/objects/{type}/search}: {@code filterGroups} with EQ, GT, GTE, LT, LTE
 *       filters and IN / NOT_IN with {@code values}, one sort, {@code limit} (at most 200) and {@code after}; {@code total} counts every
 *       match, but paging stops at the result cap (10,000, configurable): a page reaching past it
 *       is a 400, as HubSpot answers.</li>
 *   <li>{@code GET/PATCH /crm/v3/objects/{type}/{id}}, {@code POST /crm/v3/objects/{notes|tasks|...}}
 *       with {@code associations[{to:{id}, types:[{associationCategory, associationTypeId}]}]}.</li>
 *   <li>{@code GET /crm/v3/owners} and {@code GET /crm/v3/properties/{type}}, which lists the
 *       portal's own properties too ({@link #defineProperty}, e.g. {@code hs_custom_tier}).</li>
 *   <li>{@code GET /crm/v3/pipelines/{deals|tickets}}: HubSpot's default pipelines (deals
 *       {@code default} with its seven stages and their probabilities, tickets {@code 0} with stages 1
 *       to 4 and their {@code ticketState}), metadata values as strings as HubSpot sends them, plus
 *       any added with {@link #addPipeline}; one answer, no paging; another object type is a 400
 *       "Unable to infer object type from: ...".</li>
 *   <li>Rate limits: a rolling window per portal (100 requests per 10 s by default, configurable so
 *       tests can scale time down), a separate rolling window for search (5 a second: "The search
 *       endpoints are rate limited to five requests per second per account", HubSpot's search guide),
 *       and a daily limit; a request is refused when the window ending at its arrival, (now − W, now],
 *       already holds the limit; the
 *       {@code X-HubSpot-RateLimit-*} headers on every authenticated answer; 429 bodies with
 *       {@code policyName} {@code TEN_SECONDLY_ROLLING}, {@code SECONDLY} (search) or {@code DAILY}.</li>
 *   <li>Errors in HubSpot's shape {@code {status, message, correlationId, category}}: 401
 *       {@code INVALID_AUTHENTICATION}, 403 {@code MISSING_SCOPES}, 404 {@code OBJECT_NOT_FOUND}, 400
 *       {@code VALIDATION_ERROR} for invalid property values and unknown properties on writes.</li>
 * </ul>
 */
public final class FakeHubSpot extends VendorFake {
    /** The CRM objects the fake serves as streams. */
    public static final List<String> CRM_OBJECTS = List.of("contacts", "companies", "deals", "tickets");

    private static final Pattern OBJECT_PATH = Pattern.compile("/crm/v3/objects/([a-z_]+)(?:/([^/]+))?");
    private static final Pattern PROPERTIES_PATH = Pattern.compile("/crm/v3/properties/([a-z_]+)");
    private static final Pattern PIPELINES_PATH = Pattern.compile("/crm/v3/pipelines/([^/]+)/?");
    private static final Pattern BATCH_READ_PATH = Pattern.compile("/crm/v3/objects/([a-z_]+)/batch/read");
    private static final Pattern V4_OBJECT_ASSOCIATIONS =
            Pattern.compile("/crm/v4/objects/([a-z_]+)/([0-9]+)/associations/([a-z_]+)");
    private static final Pattern V4_BATCH_READ = Pattern.compile("/crm/v4/associations/([a-z_]+)/([a-z_]+)/batch/read");
    private static final Set<String> TICKET_PRIORITIES = Set.of("LOW", "MEDIUM", "HIGH", "URGENT");
    private static final Set<String> TASK_STATUSES =
            Set.of("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED");
    private static final Map<String, JsonArray> TEMPLATES = new ConcurrentHashMap<>();
    /** Properties whose search filters this portal ignores ({@link #ignoreFiltersOn}). */
    private final Set<String> ignoredFilters = new java.util.HashSet<>();
    /**
     * HubSpot-defined properties every portal has, by object, beyond the ones the seeded records carry
     * (the real contacts properties sample lists its own).
     */
    private static final Map<String, List<String>> STANDARD_PROPERTIES = Map.of(
            "companies",
                    List.of(
                            "name",
                            "domain",
                            "industry",
                            "phone",
                            "city",
                            "country",
                            "hubspot_owner_id",
                            "createdate",
                            "hs_lastmodifieddate",
                            "hs_object_id"),
            "deals",
                    List.of(
                            "dealname",
                            "amount",
                            "deal_currency_code",
                            "dealstage",
                            "pipeline",
                            "closedate",
                            "hubspot_owner_id",
                            "createdate",
                            "hs_lastmodifieddate",
                            "hs_object_id"),
            "tickets",
                    List.of(
                            "subject",
                            "content",
                            "hs_pipeline",
                            "hs_pipeline_stage",
                            "hs_ticket_priority",
                            "hs_ticket_category",
                            "closed_date",
                            "hubspot_owner_id",
                            "createdate",
                            "hs_lastmodifieddate",
                            "hs_object_id"));
    /** The options of HubSpot's standard enumeration properties, in HubSpot's order. */
    private static final Map<String, List<String>> STANDARD_OPTIONS = Map.of(
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

    private static final Instant SEED_EPOCH = Instant.parse("2026-05-01T00:00:00Z");

    /**
     * One stored CRM object; properties hold strings or null, as HubSpot renders them. The objects API
     * sees it as it is now; search sees the newest of its {@link #indexed} copies already visible, so a
     * change reaches search only after the index lag.
     */
    private static final class StoredObject {
        final String type;
        final String id;
        final Map<String, @Nullable String> properties = new TreeMap<>();
        Instant createdAt;
        Instant updatedAt;

        @Nullable
        Instant archivedAt;
        /** Copies for search, oldest first, each with the instant it becomes visible to search. */
        final ArrayDeque<Map.Entry<Instant, StoredObject>> indexed = new ArrayDeque<>();

        StoredObject(String type, String id, Instant createdAt, Instant updatedAt) {
            this.type = type;
            this.id = id;
            this.createdAt = createdAt;
            this.updatedAt = updatedAt;
        }

        StoredObject copy() {
            StoredObject c = new StoredObject(type, id, createdAt, updatedAt);
            c.properties.putAll(properties);
            c.archivedAt = archivedAt;
            return c;
        }

        /** What search shows of it at {@code now}: the newest visible copy, or null before the first is. */
        @Nullable
        StoredObject searchView(Instant now) {
            StoredObject view = null;
            while (!indexed.isEmpty() && !indexed.peekFirst().getKey().isAfter(now)) {
                view = indexed.pollFirst().getValue();
            }
            if (view != null) {
                indexed.addFirst(Map.entry(Instant.MIN, view)); // kept as the visible copy from now on
            }
            return view;
        }
    }

    /** A search match with its sort key and numeric id, computed once per search. */
    private record Keyed(Comparable<?> key, long id, StoredObject object) {}

    /** An association between two objects, stored once and readable from both sides. */
    private record Edge(String fromType, String fromId, String toType, String toId) {}

    /** A rolling window of request times. */
    private static final class Window {
        private final ArrayDeque<Long> times = new ArrayDeque<>();
        int max;
        long lengthNanos;

        Window(int max, Duration length) {
            this.max = max;
            this.lengthNanos = length.toNanos();
        }

        /** Counts a request if the window has room. */
        boolean admit(long now) {
            while (!times.isEmpty() && times.peekFirst() <= now - lengthNanos) {
                times.pollFirst();
            }
            if (times.size() >= max) {
                return false;
            }
            times.addLast(now);
            return true;
        }

        int remaining() {
            return Math.max(0, max - times.size());
        }

        void clear() {
            times.clear();
        }
    }

    /** A property the portal defined itself: its type and, for an enumeration, its options. */
    private record CustomProperty(String type, List<String> options) {}

    private final Map<String, CustomProperty> customProperties = new LinkedHashMap<>();
    private final Set<String> removedProperties = new java.util.HashSet<>();
    private final Map<String, List<String>> addedOptions = new java.util.HashMap<>();
    private final Map<String, TreeMap<Long, StoredObject>> objects = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private final List<JsonObject> owners = new ArrayList<>();
    private final Map<String, List<JsonObject>> pipelines = new LinkedHashMap<>();
    private final Window window = new Window(100, Duration.ofSeconds(10));
    private final Window searchWindow = new Window(5, Duration.ofSeconds(1));
    private final Set<String> withheldScopes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger throttledCount = new AtomicInteger();
    private final AtomicInteger searchThrottledCount = new AtomicInteger();
    private volatile Clock clock = Clock.systemUTC();
    private long dailyLimit = 250_000;
    private long dailyUsed;
    private int searchCap = 10_000;
    private long nextId = 9_000_000_000L;
    private Duration indexLag = Duration.ZERO;
    private int associationPageSize = 500;
    private String portalId = "62515";
    private @Nullable Webhooks webhooks;
    private final List<JsonObject> pendingEvents = new ArrayList<>();
    private long nextEventId = 1;

    /** Where the portal's app posts its webhooks, and the app's client secret it signs them with. */
    private record Webhooks(URI target, String clientSecret) {}

    public FakeHubSpot() {
        resetState();
    }

    // ---- what a test configures ----------------------------------------------------------------

    /**
     * Removes a property definition from {@code GET /crm/v3/properties/{type}} (an admin deleted or
     * archived it). Stored values stay; records still render it when asked for.
     */
    public synchronized void removeProperty(String type, String name) {
        removedProperties.add(type + "." + name);
    }

    /**
     * Defines a property of the portal's own (an admin created {@code hs_custom_tier}): the properties
     * API lists it ({@code hubspotDefined: false}, with its options), a read asking for it gets each
     * object's value, null until {@link #set} or {@link #put} gives one.
     *
     * @param propertyType the properties API type: {@code string}, {@code number}, {@code enumeration},
     *     {@code datetime} or {@code date}
     * @param options for an enumeration, its option values
     */
    public synchronized void defineProperty(String type, String name, String propertyType, String... options) {
        if (!List.of("string", "number", "enumeration", "datetime", "date").contains(propertyType)) {
            throw new IllegalArgumentException(
                    "a property type is string, number, enumeration, datetime or date, not " + propertyType);
        }
        customProperties.put(type + "." + name, new CustomProperty(propertyType, List.of(options)));
    }

    /** Sets one property of a stored object, as an edit in HubSpot does: its modstamp moves. */
    public synchronized void set(String type, String id, String property, @Nullable String value) {
        StoredObject o = findLive(type, id);
        if (o == null) {
            throw new IllegalArgumentException("no " + type + " " + id);
        }
        o.properties.put(property, value);
        o.updatedAt = later(o.updatedAt);
        stamp(o);
        event(o, "propertyChange", property, value);
    }

    /**
     * How long a change takes to reach search (HubSpot indexes asynchronously: a record changed now is
     * found by search only a little later). Applies to the changes made from now on; the objects API
     * ({@code GET /crm/v3/objects/...}) always shows the current state. Zero (the default): at once.
     */
    public synchronized FakeHubSpot indexLag(Duration lag) {
        this.indexLag = lag;
        return this;
    }

    /**
     * Archives (deletes) a stored object, as {@code DELETE /crm/v3/objects/{type}/{id}} does: it moves to
     * the recycling bin, listed by {@code GET /crm/v3/objects/{type}?archived=true} with its
     * {@code archivedAt}; the objects API answers 404 for it, and search stops finding it once the
     * change is indexed.
     */
    public synchronized void archive(String type, String id) {
        StoredObject o = find(type, id);
        if (o == null || o.archivedAt != null) {
            throw new IllegalArgumentException("no live " + type + " " + id);
        }
        archiveStored(o);
    }

    private void archiveStored(StoredObject o) {
        o.updatedAt = later(o.updatedAt);
        o.archivedAt = o.updatedAt;
        stamp(o);
        event(o, "deletion", null, null);
    }

    /** The live (not archived) objects of a type as the objects API shows them, every property, by id. */
    public synchronized Map<String, JsonObject> liveObjects(String type) {
        Map<String, JsonObject> out = new TreeMap<>();
        for (StoredObject o : objectsOf(type).values()) {
            if (o.archivedAt == null) {
                out.put(o.id, render(o, List.copyOf(o.properties.keySet()), List.of()));
            }
        }
        return out;
    }

    /** The ids of the live objects of a type. */
    public synchronized List<String> liveIds(String type) {
        return List.copyOf(liveObjects(type).keySet());
    }

    /** The most associations one v4 answer lists per object (HubSpot: 500); smaller keeps tests small. */
    public synchronized FakeHubSpot associationPageSize(int size) {
        this.associationPageSize = size;
        return this;
    }

    /** The portal's id, as webhook events carry it (default {@code 62515}, HubSpot's documentation example). */
    public synchronized FakeHubSpot portalId(String portalId) {
        this.portalId = portalId;
        return this;
    }

    /**
     * Subscribes the portal's app to CRM object events ({@code contact.creation},
     * {@code contact.propertyChange}, {@code contact.deletion}, and the same for companies, deals and
     * tickets): from now on every creation, property change and archive through the API or this fake's
     * setters queues an event, which {@link #takeWebhookDeliveries} hands over as HubSpot posts them,
     * signed with {@code clientSecret}.
     *
     * @param target the URL HubSpot posts to (the application's route); it is part of the v3 signature
     */
    public synchronized FakeHubSpot subscribeWebhooks(URI target, String clientSecret) {
        if (clientSecret.length() >= dev.switchboard.testkit.secrets.SecretRegistry.MIN_LENGTH) {
            dev.switchboard.testkit.secrets.Secrets.register(
                    dev.switchboard.testkit.secrets.SecretKind.CLIENT_SECRET, clientSecret);
        }
        this.webhooks = new Webhooks(target, clientSecret);
        return this;
    }

    /**
     * The queued events as HubSpot delivers them: POSTs of a JSON array of up to 100 events to the
     * subscribed target, each signed at the fake's clock with {@code X-HubSpot-Signature-v3} (base64
     * HMAC-SHA256, keyed with the client secret, of method + URI + body + {@code X-HubSpot-Request-Timestamp}),
     * and the older {@code X-HubSpot-Signature} v1 (hex SHA-256 of secret + body). Empties the queue.
     *
     * @param connection the connection id the application's route maps the deliveries to
     */
    public synchronized List<dev.switchboard.core.webhook.WebhookRequest> takeWebhookDeliveries(String connection) {
        Webhooks hooks = webhooks;
        if (hooks == null) {
            throw new IllegalStateException("no webhook subscription: call subscribeWebhooks first");
        }
        List<dev.switchboard.core.webhook.WebhookRequest> out = new ArrayList<>();
        for (int from = 0; from < pendingEvents.size(); from += 100) {
            List<JsonValue> batch =
                    new ArrayList<>(pendingEvents.subList(from, Math.min(from + 100, pendingEvents.size())));
            byte[] body = JsonArray.of(batch).toJson().getBytes(StandardCharsets.UTF_8);
            out.add(signedDelivery(connection, hooks, body, clock.instant()));
        }
        pendingEvents.clear();
        return out;
    }

    /**
     * A delivery of {@code body} to the subscribed target, signed as HubSpot signs at {@code signedAt}
     * with the subscription's secret: for tests of stale and tampered deliveries.
     */
    public synchronized dev.switchboard.core.webhook.WebhookRequest signedDelivery(
            String connection, byte[] body, Instant signedAt) {
        Webhooks hooks = webhooks;
        if (hooks == null) {
            throw new IllegalStateException("no webhook subscription: call subscribeWebhooks first");
        }
        return signedDelivery(connection, hooks, body, signedAt);
    }

    private static dev.switchboard.core.webhook.WebhookRequest signedDelivery(
            String connection, Webhooks hooks, byte[] body, Instant signedAt) {
        String timestamp = Long.toString(signedAt.toEpochMilli());
        String v3 = signatureV3(hooks.clientSecret(), "POST", hooks.target().toString(), body, timestamp);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("X-HubSpot-Request-Timestamp", List.of(timestamp));
        headers.put("X-HubSpot-Signature-v3", List.of(v3));
        headers.put("X-HubSpot-Signature-Version", List.of("v1"));
        headers.put("X-HubSpot-Signature", List.of(sha256Hex(hooks.clientSecret(), body)));
        return new dev.switchboard.core.webhook.WebhookRequest(connection, "POST", hooks.target(), headers, body);
    }

    /** HubSpot's v3 request signature: base64 of HMAC-SHA256(secret, method + uri + body + timestamp). */
    public static String signatureV3(String secret, String method, String uri, byte[] body, String timestamp) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((method + uri).getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static String sha256Hex(String secret, byte[] body) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(secret.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(sha.digest(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Queues a CRM object event when the app subscribed and the object type has webhook events. */
    private void event(StoredObject o, String kind, @Nullable String property, @Nullable String value) {
        if (webhooks == null || !CRM_OBJECTS.contains(o.type)) {
            return;
        }
        JsonObject.Builder e = JsonObject.builder()
                .put("eventId", nextEventId++)
                .put("subscriptionId", 4000 + CRM_OBJECTS.indexOf(o.type))
                .put("portalId", Long.parseLong(portalId))
                .put("appId", 54321)
                .put("occurredAt", clock.instant().toEpochMilli())
                .put("subscriptionType", singular(o.type) + "." + kind)
                .put("attemptNumber", 0)
                .put("objectId", Long.parseLong(o.id));
        if (property != null) {
            e.put("propertyName", property);
            e.put("propertyValue", value == null ? "" : value);
        }
        e.put("changeSource", "CRM");
        if (kind.equals("creation")) {
            e.put("changeFlag", "NEW");
        }
        pendingEvents.add(e.build());
    }

    /** Adds an option to an enumeration property's definition (an admin added a value). */
    public synchronized void addPropertyOption(String type, String name, String value) {
        addedOptions.computeIfAbsent(type + "." + name, k -> new ArrayList<>()).add(value);
    }

    /** The clock the rate windows and new modstamps follow (a test's virtual clock, or the system's). */
    public FakeHubSpot clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** The rolling window every request counts against (HubSpot: 100 or 190 per 10 s by plan). */
    public synchronized FakeHubSpot rateLimit(int max, Duration window) {
        this.window.max = max;
        this.window.lengthNanos = window.toNanos();
        this.window.clear();
        return this;
    }

    /** The search endpoints' own window (HubSpot: 5 a second per account). */
    public synchronized FakeHubSpot searchRateLimit(int max, Duration window) {
        this.searchWindow.max = max;
        this.searchWindow.lengthNanos = window.toNanos();
        this.searchWindow.clear();
        return this;
    }

    /**
     * Adds {@code count} generated owners after the seeded two ({@code owner-{n}@example.com}), so an
     * owners read pages as long as a test needs.
     */
    public synchronized FakeHubSpot seedOwners(int count) {
        for (int i = 0; i < count; i++) {
            owners.add(owner(
                    Long.toString(50_000_000L + i),
                    "owner-" + i + "@example.com",
                    "Owner",
                    Integer.toString(i),
                    20_000_000L + i,
                    "2026-03-01T00:00:00Z"));
        }
        return this;
    }

    /**
     * Adds a pipeline to {@code GET /crm/v3/pipelines/{objectType}} ({@code deals} or {@code tickets}),
     * served as given after the defaults: a test can add a custom pipeline, or a malformed one.
     */
    public synchronized FakeHubSpot addPipeline(String objectType, JsonObject pipeline) {
        Objects.requireNonNull(pipelines.get(objectType), "HubSpot's pipelines are of deals or tickets")
                .add(pipeline);
        return this;
    }

    /**
     * A pipeline as HubSpot renders it: {@code stages} are {@code {id, label, metadata}} objects, each
     * given its display order (its position) and the pipeline's timestamps.
     */
    public static JsonObject pipeline(String id, String label, int displayOrder, List<JsonObject> stages) {
        String at = "2026-01-05T08:00:00Z";
        List<JsonValue> rendered = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            JsonObject.Builder stage = JsonObject.builder();
            stages.get(i).fields().forEach(stage::put);
            if (stages.get(i).get("displayOrder") == null) {
                stage.put("displayOrder", i);
            }
            rendered.add(stage.put("createdAt", at)
                    .put("updatedAt", at)
                    .put("archived", false)
                    .put("writePermissions", "CRM_PERMISSIONS_ENFORCEMENT")
                    .build());
        }
        return JsonObject.builder()
                .put("label", label)
                .put("displayOrder", displayOrder)
                .put("id", id)
                .put("stages", JsonArray.of(rendered))
                .put("createdAt", at)
                .put("updatedAt", at)
                .put("archived", false)
                .build();
    }

    /** A deal stage: HubSpot sends {@code isClosed} and {@code probability} as strings. */
    public static JsonObject dealStage(String id, String label, String probability, boolean closed) {
        return JsonObject.builder()
                .put("label", label)
                .put(
                        "metadata",
                        JsonObject.builder()
                                .put("isClosed", Boolean.toString(closed))
                                .put("probability", probability)
                                .build())
                .put("id", id)
                .build();
    }

    /** A ticket stage: {@code ticketState} {@code OPEN} or {@code CLOSED}, and {@code isClosed} as a string. */
    public static JsonObject ticketStage(String id, String label, boolean closed) {
        return JsonObject.builder()
                .put("label", label)
                .put(
                        "metadata",
                        JsonObject.builder()
                                .put("ticketState", closed ? "CLOSED" : "OPEN")
                                .put("isClosed", Boolean.toString(closed))
                                .build())
                .put("id", id)
                .build();
    }

    private static JsonObject defaultDealPipeline() {
        // HubSpot's default "Sales Pipeline": its stage ids are the ones a deal's dealstage holds.
        return pipeline(
                "default",
                "Sales Pipeline",
                0,
                List.of(
                        dealStage("appointmentscheduled", "Appointment Scheduled", "0.2", false),
                        dealStage("qualifiedtobuy", "Qualified To Buy", "0.4", false),
                        dealStage("presentationscheduled", "Presentation Scheduled", "0.6", false),
                        dealStage("decisionmakerboughtin", "Decision Maker Bought-In", "0.8", false),
                        dealStage("contractsent", "Contract Sent", "0.9", false),
                        dealStage("closedwon", "Closed Won", "1.0", true),
                        dealStage("closedlost", "Closed Lost", "0.0", true)));
    }

    private static JsonObject defaultTicketPipeline() {
        return pipeline(
                "0",
                "Support Pipeline",
                0,
                List.of(
                        ticketStage("1", "New", false),
                        ticketStage("2", "Waiting on contact", false),
                        ticketStage("3", "Waiting on us", false),
                        ticketStage("4", "Closed", true)));
    }

    /** The daily request limit; {@code 0} spends it at once (every request gets the DAILY 429). */
    public synchronized FakeHubSpot dailyLimit(long limit) {
        this.dailyLimit = limit;
        return this;
    }

    /** The most results one search query pages through (HubSpot: 10,000); smaller keeps tests small. */
    public synchronized FakeHubSpot searchResultCap(int cap) {
        this.searchCap = cap;
        return this;
    }

    /** Makes the token lack a scope: requests needing it get 403 {@code MISSING_SCOPES}. */
    public FakeHubSpot withholdScope(String scope) {
        withheldScopes.add(scope);
        return this;
    }

    /** How many 429s the rate windows and daily limit sent (faults included), since the last reset. */
    public int throttledCount() {
        return throttledCount.get();
    }

    /** How many of those were the search window's. */
    public int searchThrottledCount() {
        return searchThrottledCount.get();
    }

    /**
     * Replaces the objects of {@code type} with {@code count} generated ones shaped like the real
     * sample records, modified every {@code step} from {@code from} (a zero step makes ties).
     */
    public synchronized void seed(String type, int count, Instant from, Duration step) {
        seedObjects(type, count, from, step);
    }

    /**
     * Makes search ignore every filter on {@code property} (each holds for every object), as a vendor bug,
     * or a connector's wrong filter, would: for tests that a consumer's own filter still holds.
     */
    public synchronized void ignoreFiltersOn(String property) {
        ignoredFilters.add(java.util.Objects.requireNonNull(property, "property"));
    }

    private void seedObjects(String type, int count, Instant from, Duration step) {
        TreeMap<Long, StoredObject> map = objects.computeIfAbsent(type, t -> new TreeMap<>());
        map.clear();
        edges.removeIf(e -> e.fromType.equals(type) || e.toType.equals(type));
        for (int i = 0; i < count; i++) {
            long id = nextId++;
            Instant updated = from.plus(step.multipliedBy(i));
            StoredObject o = new StoredObject(type, Long.toString(id), updated.minus(Duration.ofDays(1)), updated);
            o.properties.putAll(generated(type, i));
            stamp(o);
            map.put(id, o);
        }
    }

    /** Replaces the objects of {@code type} with {@code count} generated ones, two per modstamp second. */
    public void seed(String type, int count) {
        seed(type, count, SEED_EPOCH, Duration.ZERO);
        synchronized (this) {
            int i = 0;
            for (StoredObject o : objectsOf(type).values()) {
                o.updatedAt = SEED_EPOCH.plusSeconds(i / 2); // pairs share a modstamp: resumes must break ties by id
                o.createdAt = o.updatedAt.minus(Duration.ofDays(1));
                stamp(o);
                i++;
            }
        }
    }

    /** Adds one object with these properties, modified at {@code updatedAt}; returns its id. */
    public synchronized String put(String type, Map<String, String> properties, Instant updatedAt) {
        long id = nextId++;
        StoredObject o = new StoredObject(type, Long.toString(id), updatedAt, updatedAt);
        o.properties.putAll(properties);
        stamp(o);
        objects.computeIfAbsent(type, t -> new TreeMap<>()).put(id, o);
        event(o, "creation", null, null);
        return o.id;
    }

    /** Associates two stored objects. */
    public synchronized void associate(String fromType, String fromId, String toType, String toId) {
        edges.add(new Edge(fromType, fromId, toType, toId));
    }

    /** An object as {@code GET /crm/v3/objects/{type}/{id}?properties=...} would show every property of it. */
    public synchronized Optional<JsonObject> object(String type, String id) {
        StoredObject o = find(type, id);
        return o == null ? Optional.empty() : Optional.of(render(o, List.copyOf(o.properties.keySet()), List.of()));
    }

    /** How many objects of this type are stored. */
    public synchronized int count(String type) {
        TreeMap<Long, StoredObject> map = objects.get(type);
        return map == null ? 0 : map.size();
    }

    /** The ids of the objects {@code (type, id)} is associated with, of type {@code toType}. */
    public synchronized List<String> associations(String type, String id, String toType) {
        return associated(type, id, toType);
    }

    // ---- VendorFake ----------------------------------------------------------------------------

    @Override
    protected synchronized void resetState() {
        ignoredFilters.clear();
        objects.clear();
        edges.clear();
        owners.clear();
        pipelines.clear();
        pipelines.put("deals", new ArrayList<>(List.of(defaultDealPipeline())));
        pipelines.put("tickets", new ArrayList<>(List.of(defaultTicketPipeline())));
        window.max = 100;
        window.lengthNanos = Duration.ofSeconds(10).toNanos();
        window.clear();
        searchWindow.max = 5;
        searchWindow.lengthNanos = Duration.ofSeconds(1).toNanos();
        searchWindow.clear();
        withheldScopes.clear();
        removedProperties.clear();
        addedOptions.clear();
        customProperties.clear();
        throttledCount.set(0);
        searchThrottledCount.set(0);
        dailyLimit = 250_000;
        dailyUsed = 0;
        searchCap = 10_000;
        nextId = 9_000_000_000L;
        indexLag = Duration.ZERO;
        associationPageSize = 500;
        portalId = "62515";
        webhooks = null;
        pendingEvents.clear(); // event ids go on counting: HubSpot's are unique, and replay guards remember them
        for (String type : CRM_OBJECTS) {
            objects.put(type, new TreeMap<>());
            JsonObject page = (JsonObject) VendorSamples.json("hubspot/dlt_" + type + "_page.json");
            for (JsonValue v : Objects.requireNonNull(page.array("results"), "the sample page has results")) {
                storeSample(type, (JsonObject) v);
            }
        }
        objects.put("notes", new TreeMap<>());
        objects.put("tasks", new TreeMap<>());
        // The real sample shows contact 1 associated with deal 8078784221; the others link the seed records.
        edges.add(new Edge("contacts", "1", "deals", "8078784221"));
        edges.add(new Edge("contacts", "1", "companies", "7086461639"));
        edges.add(new Edge("tickets", "1075966440", "contacts", "1"));
        owners.add(owner("41629779", "maria.owner@example.com", "Maria", "Owner", 9586504, "2026-01-10T09:00:00Z"));
        owners.add(owner("41629780", "sam.agent@example.com", "Sam", "Agent", 9586505, "2026-02-11T10:30:00.250Z"));
    }

    @Override
    protected synchronized FakeResponse throttled(FakeRequest request) {
        throttledCount.incrementAndGet();
        return tooManyRequests(
                "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.", 0, remainingDaily());
    }

    @Override
    protected synchronized FakeResponse serverError(FakeRequest request, int status) {
        return withRateHeaders(
                error(status, "An internal error occurred.", "INTERNAL_ERROR"), window.remaining(), remainingDaily());
    }

    @Override
    protected synchronized FakeResponse handle(FakeRequest request) {
        if (!authorized(request)) {
            return error(
                    401,
                    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can"
                            + " find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                    "INVALID_AUTHENTICATION");
        }
        boolean search = request.path().endsWith("/search");
        if (dailyUsed >= dailyLimit) {
            throttledCount.incrementAndGet();
            return tooManyRequests("DAILY", "You have reached your daily limit.", window.remaining(), 0);
        }
        long now = nanos();
        if (!window.admit(now)) {
            throttledCount.incrementAndGet();
            return tooManyRequests(
                    "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.", 0, remainingDaily());
        }
        if (search && !searchWindow.admit(now)) {
            throttledCount.incrementAndGet();
            searchThrottledCount.incrementAndGet();
            return tooManyRequests(
                    "SECONDLY", "You have reached your secondly limit.", window.remaining(), remainingDaily());
        }
        dailyUsed++;
        return withRateHeaders(route(request), window.remaining(), remainingDaily());
    }

    // ---- routing -------------------------------------------------------------------------------

    private FakeResponse route(FakeRequest request) {
        String path = request.path();
        if (path.equals("/crm/v3/owners") || path.equals("/crm/v3/owners/")) {
            return scoped(request, "crm.objects.owners.read", () -> listOwners(request));
        }
        Matcher pipelinesPath = PIPELINES_PATH.matcher(path);
        if (pipelinesPath.matches() && request.method().equals("GET")) {
            String type = pipelinesPath.group(1);
            return scoped(
                    request,
                    type.equals("tickets") ? "tickets" : "crm.objects." + type + ".read",
                    () -> listPipelines(type));
        }
        Matcher properties = PROPERTIES_PATH.matcher(path);
        if (properties.matches() && request.method().equals("GET")) {
            String type = properties.group(1);
            return scoped(
                    request,
                    type.equals("tickets") ? "tickets" : "crm.schemas." + type + ".read",
                    () -> listProperties(type));
        }
        Matcher batch = BATCH_READ_PATH.matcher(path);
        if (batch.matches() && request.method().equals("POST") && objects.containsKey(batch.group(1))) {
            String type = batch.group(1);
            return scoped(
                    request,
                    type.equals("tickets") ? "tickets" : "crm.objects." + type + ".read",
                    () -> batchRead(type, request));
        }
        Matcher v4 = V4_OBJECT_ASSOCIATIONS.matcher(path);
        if (v4.matches() && request.method().equals("GET") && objects.containsKey(v4.group(1))) {
            return scoped(
                    request,
                    v4.group(1).equals("tickets") ? "tickets" : "crm.objects." + v4.group(1) + ".read",
                    () -> v4List(v4.group(1), v4.group(2), v4.group(3), request));
        }
        Matcher v4Batch = V4_BATCH_READ.matcher(path);
        if (v4Batch.matches() && request.method().equals("POST") && objects.containsKey(v4Batch.group(1))) {
            return scoped(
                    request,
                    v4Batch.group(1).equals("tickets") ? "tickets" : "crm.objects." + v4Batch.group(1) + ".read",
                    () -> v4BatchRead(v4Batch.group(1), v4Batch.group(2), request));
        }
        Matcher m = OBJECT_PATH.matcher(path);
        if (!m.matches() || !objects.containsKey(m.group(1))) {
            return error(404, "Unable to infer object type from: " + path, "OBJECT_NOT_FOUND");
        }
        String type = m.group(1);
        String second = m.group(2);
        // HubSpot's scopes: tickets have one scope for both; engagements are written under the contacts scope.
        String readScope = type.equals("tickets") ? "tickets" : "crm.objects." + type + ".read";
        String writeScope = type.equals("tickets")
                ? "tickets"
                : type.equals("notes") || type.equals("tasks")
                        ? "crm.objects.contacts.write"
                        : "crm.objects." + type + ".write";
        if (second == null) {
            return switch (request.method()) {
                case "GET" -> scoped(request, readScope, () -> list(type, request));
                case "POST" -> scoped(request, writeScope, () -> create(type, request));
                default -> error(405, "Method not allowed", "VALIDATION_ERROR");
            };
        }
        if (second.equals("search") && request.method().equals("POST")) {
            return scoped(request, readScope, () -> search(type, request));
        }
        return switch (request.method()) {
            case "GET" -> scoped(request, readScope, () -> getOne(type, second, request));
            case "PATCH" -> scoped(request, writeScope, () -> update(type, second, request));
            case "DELETE" ->
                scoped(request, writeScope, () -> {
                    StoredObject o = findLive(type, second);
                    if (o != null) {
                        archiveStored(o);
                    }
                    return FakeResponse.empty(204); // HubSpot answers 204 for an id it does not hold too
                });
            default -> error(405, "Method not allowed", "VALIDATION_ERROR");
        };
    }

    private FakeResponse scoped(FakeRequest request, String scope, java.util.function.Supplier<FakeResponse> answer) {
        if (withheldScopes.contains(scope)) {
            JsonObject body = JsonObject.builder()
                    .put("status", "error")
                    .put(
                            "message",
                            "This app hasn't been granted all required scopes to make this call. Read more about required"
                                    + " scopes here: https://developers.hubspot.com/scopes.")
                    .put("correlationId", correlationId())
                    .put(
                            "errors",
                            JsonArray.of(JsonObject.builder()
                                    .put("message", "One or more of the following scopes are required.")
                                    .put(
                                            "context",
                                            JsonObject.builder()
                                                    .put("requiredGranularScopes", JsonArray.of(new JsonString(scope)))
                                                    .build())
                                    .build()))
                    .put(
                            "links",
                            JsonObject.builder()
                                    .put("scopes", "https://developers.hubspot.com/scopes")
                                    .build())
                    .put("category", "MISSING_SCOPES")
                    .build();
            return FakeResponse.json(403, body);
        }
        return answer.get();
    }

    private FakeResponse list(String type, FakeRequest request) {
        int limit = intParam(request.query("limit"), 10);
        if (limit < 1 || limit > 100) {
            return error(400, "limit must be between 1 and 100", "VALIDATION_ERROR");
        }
        List<String> props = csv(request.query("properties"));
        List<String> assoc = csv(request.query("associations"));
        long after;
        try {
            after = request.query("after") == null ? Long.MIN_VALUE : Long.parseLong(request.query("after"));
        } catch (NumberFormatException e) {
            return error(400, "after must be a paging token from a previous page", "VALIDATION_ERROR");
        }
        // archived=true lists the recycling bin only; without it, archived objects are left out.
        boolean archived = "true".equals(request.query("archived"));
        List<JsonValue> results = new ArrayList<>();
        Long next = null;
        for (Map.Entry<Long, StoredObject> e :
                objectsOf(type).tailMap(after, true).entrySet()) {
            if ((e.getValue().archivedAt != null) != archived) {
                continue;
            }
            if (results.size() == limit) {
                next = e.getKey(); // the first object of the next page
                break;
            }
            results.add(render(e.getValue(), props, assoc));
        }
        JsonObject.Builder body = JsonObject.builder().put("results", JsonArray.of(results));
        if (next != null) {
            body.put("paging", paging(Long.toString(next), "/crm/v3/objects/" + type + "?after=" + next));
        }
        return FakeResponse.json(200, body.build());
    }

    private FakeResponse getOne(String type, String id, FakeRequest request) {
        StoredObject o = "true".equals(request.query("archived")) ? find(type, id) : findLive(type, id);
        if (o == null) {
            return error(404, "Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND");
        }
        return FakeResponse.json(200, render(o, csv(request.query("properties")), csv(request.query("associations"))));
    }

    /**
     * {@code POST /crm/v3/objects/{type}/batch/read}: {@code {properties, inputs:[{id}]}}, at most 100
     * inputs. Ids archived or unknown come back in {@code errors} with status 207, as HubSpot answers.
     */
    private FakeResponse batchRead(String type, FakeRequest request) {
        if (!(request.json() instanceof JsonObject input) || input.array("inputs") == null) {
            return error(400, "Invalid input JSON: inputs are required", "VALIDATION_ERROR");
        }
        JsonArray inputs = input.array("inputs");
        if (inputs.size() > 100) {
            return error(400, "Batch input must contain at most 100 inputs", "VALIDATION_ERROR");
        }
        List<String> props = new ArrayList<>();
        JsonArray wanted = input.array("properties");
        if (wanted != null) {
            wanted.forEach(v -> props.add(((JsonString) v).value()));
        }
        List<JsonValue> results = new ArrayList<>();
        List<JsonValue> missing = new ArrayList<>();
        for (JsonValue v : inputs) {
            String id = v instanceof JsonObject o ? o.string("id") : null;
            StoredObject found = findLive(type, id);
            if (found == null) {
                missing.add(new JsonString(String.valueOf(id)));
            } else {
                results.add(render(found, props, List.of()));
            }
        }
        String now = clock.instant().toString();
        JsonObject.Builder body = JsonObject.builder()
                .put("status", "COMPLETE")
                .put("results", JsonArray.of(results))
                .put("startedAt", now)
                .put("completedAt", now);
        if (missing.isEmpty()) {
            return FakeResponse.json(200, body.build());
        }
        body.put("numErrors", 1)
                .put(
                        "errors",
                        JsonArray.of(JsonObject.builder()
                                .put("status", "error")
                                .put("category", "OBJECT_NOT_FOUND")
                                .put(
                                        "message",
                                        "Could not get some " + singular(type).toUpperCase(java.util.Locale.ROOT)
                                                + " objects, they may be deleted or not exist. Check that ids are valid.")
                                .put(
                                        "context",
                                        JsonObject.builder()
                                                .put("ids", JsonArray.of(missing))
                                                .build())
                                .build()));
        return FakeResponse.json(207, body.build());
    }

    /** HubSpot's unlabeled association type ids between the standard objects, by {@code from/to}. */
    private static final Map<String, Integer> ASSOCIATION_TYPE_IDS = Map.ofEntries(
            Map.entry("contacts/companies", 279),
            Map.entry("companies/contacts", 280),
            Map.entry("contacts/deals", 4),
            Map.entry("deals/contacts", 3),
            Map.entry("contacts/tickets", 15),
            Map.entry("tickets/contacts", 16),
            Map.entry("companies/deals", 342),
            Map.entry("deals/companies", 341),
            Map.entry("companies/tickets", 340),
            Map.entry("tickets/companies", 339),
            Map.entry("deals/tickets", 27),
            Map.entry("tickets/deals", 28));

    private JsonObject v4Association(String from, String to, String toId) {
        return JsonObject.builder()
                .put("toObjectId", Long.parseLong(toId))
                .put(
                        "associationTypes",
                        JsonArray.of(JsonObject.builder()
                                .put("category", "HUBSPOT_DEFINED")
                                .put("typeId", ASSOCIATION_TYPE_IDS.getOrDefault(from + "/" + to, 1))
                                .put("label", JsonNull.INSTANCE)
                                .build()))
                .build();
    }

    /** One page of an object's associations to {@code to}, from the opaque {@code after} token (an offset). */
    private List<JsonValue> v4Page(String from, String id, String to, int offset, int limit) {
        List<String> ids = associated(from, id, to);
        List<JsonValue> page = new ArrayList<>();
        for (String toId : ids.subList(Math.min(offset, ids.size()), Math.min(offset + limit, ids.size()))) {
            page.add(v4Association(from, to, toId));
        }
        return page;
    }

    /** {@code GET /crm/v4/objects/{from}/{id}/associations/{to}}: {@code limit} (at most 500) and {@code after}. */
    private FakeResponse v4List(String from, String id, String to, FakeRequest request) {
        if (findLive(from, id) == null) {
            return error(404, "Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND");
        }
        int limit = Math.min(intParam(request.query("limit"), 500), associationPageSize);
        int after = intParam(request.query("after"), 0);
        if (limit < 1 || after < 0) {
            return error(400, "limit must be between 1 and 500", "VALIDATION_ERROR");
        }
        int total = associated(from, id, to).size();
        JsonObject.Builder body = JsonObject.builder().put("results", JsonArray.of(v4Page(from, id, to, after, limit)));
        if (after + limit < total) {
            body.put(
                    "paging",
                    paging(
                            Integer.toString(after + limit),
                            "/crm/v4/objects/" + from + "/" + id + "/associations/" + to + "?after="
                                    + (after + limit)));
        }
        return FakeResponse.json(200, body.build());
    }

    /**
     * {@code POST /crm/v4/associations/{from}/{to}/batch/read}: {@code inputs:[{id, after}]}, at most 1,000;
     * each result lists up to the page size (500) of one object's associations, with {@code paging.next.after}
     * when more remain, to send again with its id. Objects with none come back in {@code errors} (207).
     */
    private FakeResponse v4BatchRead(String from, String to, FakeRequest request) {
        if (!(request.json() instanceof JsonObject input) || input.array("inputs") == null) {
            return error(400, "Invalid input JSON: inputs are required", "VALIDATION_ERROR");
        }
        JsonArray inputs = input.array("inputs");
        if (inputs.size() > 1000) {
            return error(400, "Batch input must contain at most 1000 inputs", "VALIDATION_ERROR");
        }
        List<JsonValue> results = new ArrayList<>();
        List<JsonValue> none = new ArrayList<>();
        for (JsonValue v : inputs) {
            JsonObject in = v instanceof JsonObject o ? o : JsonObject.empty();
            String id = in.string("id");
            int after = intParam(in.string("after"), 0);
            if (id == null
                    || findLive(from, id) == null
                    || associated(from, id, to).isEmpty()) {
                none.add(new JsonString(String.valueOf(id)));
                continue;
            }
            int total = associated(from, id, to).size();
            JsonObject.Builder result = JsonObject.builder()
                    .put("from", JsonObject.builder().put("id", id).build())
                    .put("to", JsonArray.of(v4Page(from, id, to, after, associationPageSize)));
            if (after + associationPageSize < total) {
                result.put(
                        "paging",
                        JsonObject.builder()
                                .put(
                                        "next",
                                        JsonObject.builder()
                                                .put("after", Integer.toString(after + associationPageSize))
                                                .put("link", JsonNull.INSTANCE)
                                                .build())
                                .build());
            }
            results.add(result.build());
        }
        String now = clock.instant().toString();
        JsonObject.Builder body = JsonObject.builder()
                .put("status", "COMPLETE")
                .put("results", JsonArray.of(results))
                .put("startedAt", now)
                .put("completedAt", now);
        if (none.isEmpty()) {
            return FakeResponse.json(200, body.build());
        }
        body.put("numErrors", none.size());
        List<JsonValue> errors = new ArrayList<>();
        for (JsonValue id : none) {
            errors.add(JsonObject.builder()
                    .put("status", "error")
                    .put("category", "OBJECT_NOT_FOUND")
                    .put("subCategory", "crm.associations.NO_ASSOCIATIONS_FOUND")
                    .put(
                            "message",
                            "No " + singular(to) + " is associated with " + singular(from) + " "
                                    + ((JsonString) id).value() + ".")
                    .put(
                            "context",
                            JsonObject.builder()
                                    .put("fromObjectId", JsonArray.of(id))
                                    .build())
                    .build());
        }
        body.put("errors", JsonArray.of(errors));
        return FakeResponse.json(207, body.build());
    }

    private FakeResponse search(String type, FakeRequest request) {
        if (!(request.json() instanceof JsonObject query)) {
            return error(400, "Invalid input JSON", "VALIDATION_ERROR");
        }
        int limit = query.number("limit") == null ? 10 : query.number("limit").intValue();
        if (limit < 1 || limit > 200) {
            return error(400, "limit must be between 1 and 200", "VALIDATION_ERROR");
        }
        int after = query.string("after") == null ? 0 : Integer.parseInt(query.string("after"));
        // Search answers from its index: each object as its newest indexed copy, archived ones left out.
        Instant now = clock.instant();
        List<StoredObject> matches = new ArrayList<>();
        for (StoredObject stored : objectsOf(type).values()) {
            StoredObject o = stored.searchView(now);
            if (o != null && o.archivedAt == null && matchesAnyGroup(o, query.array("filterGroups"))) {
                matches.add(o);
            }
        }
        JsonArray sorts = query.array("sorts");
        if (sorts != null && !sorts.isEmpty()) {
            JsonObject sort = sorts.get(0) instanceof JsonObject s ? s : JsonObject.empty();
            String property = sort.string("propertyName");
            // Each key computed once, not per comparison (a modstamp key parses an instant): a search of
            // thousands of objects stays cheap enough that pacing tests on the real clock measure pacing.
            List<Keyed> keyed = new ArrayList<>(matches.size());
            for (StoredObject o : matches) {
                keyed.add(new Keyed(sortKey(o, property), Long.parseLong(o.id), o));
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            Comparator<Keyed> order = (x, y) -> ((Comparable) x.key()).compareTo(y.key());
            if ("DESCENDING".equals(sort.string("direction"))) {
                order = order.reversed();
            }
            // HubSpot promises no order among equal sort values: the fake gives ties in descending id
            // order, so a reader that assumes id order is caught.
            keyed.sort(order.thenComparing(Comparator.comparingLong(Keyed::id).reversed()));
            matches.clear();
            for (Keyed k : keyed) {
                matches.add(k.object());
            }
        }
        // A first page may ask for more than a small test cap; paging past the cap is the 400.
        if (after >= searchCap || (after > 0 && after + limit > searchCap)) {
            return error(
                    400,
                    "There was a problem with the request. Paging beyond " + searchCap + " results is not supported",
                    "VALIDATION_ERROR");
        }
        int end = Math.min(Math.min(after + limit, searchCap), matches.size());
        List<String> props = new ArrayList<>();
        JsonArray wanted = query.array("properties");
        if (wanted != null) {
            wanted.forEach(v -> props.add(((JsonString) v).value()));
        }
        List<JsonValue> results = new ArrayList<>();
        for (StoredObject o : matches.subList(Math.min(after, matches.size()), end)) {
            results.add(render(o, props, List.of()));
        }
        JsonObject.Builder body =
                JsonObject.builder().put("total", matches.size()).put("results", JsonArray.of(results));
        if (end < matches.size()) { // offered even at the cap, as HubSpot does: following it is the 400 above
            body.put(
                    "paging",
                    JsonObject.builder()
                            .put(
                                    "next",
                                    JsonObject.builder()
                                            .put("after", Integer.toString(end))
                                            .build())
                            .build());
        }
        return FakeResponse.json(200, body.build());
    }

    private FakeResponse update(String type, String id, FakeRequest request) {
        StoredObject o = findLive(type, id);
        if (o == null) {
            return error(404, "Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND");
        }
        JsonObject input = request.json() instanceof JsonObject j ? j : JsonObject.empty();
        JsonObject props = input.object("properties");
        if (props == null) {
            return error(400, "Invalid input JSON on line 1: properties are required", "VALIDATION_ERROR");
        }
        FakeResponse invalid = validate(type, props);
        if (invalid != null) {
            return invalid;
        }
        props.fields().forEach((k, v) -> o.properties.put(k, v instanceof JsonString s ? s.value() : v.toJson()));
        o.updatedAt = later(o.updatedAt);
        stamp(o);
        props.fields().forEach((k, v) -> event(o, "propertyChange", k, o.properties.get(k)));
        return FakeResponse.json(200, render(o, List.copyOf(props.names()), List.of()));
    }

    private FakeResponse create(String type, FakeRequest request) {
        JsonObject input = request.json() instanceof JsonObject j ? j : JsonObject.empty();
        JsonObject props = input.object("properties");
        if (props == null) {
            return error(400, "Invalid input JSON on line 1: properties are required", "VALIDATION_ERROR");
        }
        FakeResponse invalid = validate(type, props);
        if (invalid != null) {
            return invalid;
        }
        if ((type.equals("notes") || type.equals("tasks")) && props.string("hs_timestamp") == null) {
            return error(
                    400,
                    "Property values were not valid: [{\"isValid\":false,\"message\":\"hs_timestamp is required\","
                            + "\"error\":\"REQUIRED_FIELD\",\"name\":\"hs_timestamp\"}]",
                    "VALIDATION_ERROR");
        }
        List<Edge> newEdges = new ArrayList<>();
        JsonArray associations = input.array("associations");
        if (associations != null) {
            for (JsonValue v : associations) {
                JsonObject a = (JsonObject) v;
                JsonObject to = a.object("to");
                String toId = to == null ? null : to.string("id");
                String toType = toId == null ? null : typeOf(a.array("types"), type);
                if (toId == null || toType == null || find(toType, toId) == null) {
                    return error(
                            400,
                            "One or more associations are invalid: no object " + toId + " for association type "
                                    + (a.array("types") == null
                                            ? "[]"
                                            : a.array("types").toJson()),
                            "VALIDATION_ERROR");
                }
                newEdges.add(new Edge(type, "", toType, toId));
            }
        }
        Instant now = clock.instant();
        long id = nextId++;
        StoredObject o = new StoredObject(type, Long.toString(id), now, now);
        props.fields().forEach((k, v) -> o.properties.put(k, v instanceof JsonString s ? s.value() : v.toJson()));
        stamp(o);
        objectsOf(type).put(id, o);
        newEdges.forEach(e -> edges.add(new Edge(type, o.id, e.toType, e.toId)));
        event(o, "creation", null, null);
        return FakeResponse.json(201, render(o, List.copyOf(o.properties.keySet()), List.of()));
    }

    private FakeResponse listOwners(FakeRequest request) {
        int limit = intParam(request.query("limit"), 100);
        int after = intParam(request.query("after"), 0);
        // email= narrows the list to the owner with that email, as HubSpot's owners API does.
        String email = request.query("email");
        List<JsonObject> listed = email == null
                ? owners
                : owners.stream()
                        .filter(o -> email.equalsIgnoreCase(o.string("email")))
                        .toList();
        int end = Math.min(after + limit, listed.size());
        List<JsonValue> page = new ArrayList<>();
        for (JsonObject owner : listed.subList(Math.min(after, listed.size()), end)) {
            page.add(faults().apply(owner));
        }
        JsonObject.Builder body = JsonObject.builder().put("results", JsonArray.of(page));
        if (end < listed.size()) {
            body.put("paging", paging(Integer.toString(end), "/crm/v3/owners?after=" + end));
        }
        return FakeResponse.json(200, body.build());
    }

    private FakeResponse listPipelines(String type) {
        List<JsonObject> listed = pipelines.get(type);
        if (listed == null) {
            return error(400, "Unable to infer object type from: " + type, "VALIDATION_ERROR");
        }
        List<JsonValue> results = new ArrayList<>();
        for (JsonObject pipeline : listed) {
            results.add(faults().apply(pipeline));
        }
        return FakeResponse.json(
                200, JsonObject.builder().put("results", JsonArray.of(results)).build());
    }

    private FakeResponse listProperties(String type) {
        List<String> names = new ArrayList<>();
        if (type.equals("contacts")) {
            // The real sample lists 283 contact properties by name; types are filled in from the name.
            JsonObject page = (JsonObject) VendorSamples.json("hubspot/dlt_contacts_properties_page.json");
            for (JsonValue v : Objects.requireNonNull(page.array("results"), "the sample page has results")) {
                names.add(((JsonObject) v).string("name"));
            }
        } else {
            TreeMap<String, Boolean> sorted = new TreeMap<>();
            STANDARD_PROPERTIES.getOrDefault(type, List.of()).forEach(n -> sorted.put(n, true));
            objects.getOrDefault(type, new TreeMap<>())
                    .values()
                    .forEach(o -> o.properties.keySet().forEach(n -> sorted.put(n, true)));
            names.addAll(sorted.keySet());
        }
        customProperties.keySet().stream()
                .filter(k -> k.startsWith(type + "."))
                .map(k -> k.substring(type.length() + 1))
                .filter(n -> !names.contains(n))
                .forEach(names::add);
        List<JsonValue> results = new ArrayList<>();
        for (String name : names) {
            if (!removedProperties.contains(type + "." + name)) {
                results.add(faults().apply(definition(type, name)));
            }
        }
        return FakeResponse.json(
                200, JsonObject.builder().put("results", JsonArray.of(results)).build());
    }

    // ---- rendering -----------------------------------------------------------------------------

    private JsonObject render(StoredObject o, List<String> requested, List<String> associationTypes) {
        List<String> names = new ArrayList<>(requested.isEmpty() ? defaults(o.type) : requested);
        names.add("createdate");
        names.add(modstampProperty(o.type));
        names.add("hs_object_id");
        TreeMap<String, JsonValue> props = new TreeMap<>();
        for (String name : names) {
            String value = o.properties.get(name);
            props.put(name, value == null ? JsonNull.INSTANCE : new JsonString(value));
        }
        JsonObject.Builder b = JsonObject.builder()
                .put("id", o.id)
                .put("properties", faults().apply(JsonObject.of(props)))
                .put("createdAt", o.createdAt.toString())
                .put("updatedAt", o.updatedAt.toString())
                .put("archived", o.archivedAt != null);
        if (o.archivedAt != null) {
            b.put("archivedAt", o.archivedAt.toString());
        }
        if (!associationTypes.isEmpty()) {
            JsonObject.Builder assoc = JsonObject.builder();
            for (String to : associationTypes) {
                List<JsonValue> results = new ArrayList<>();
                for (String id : associated(o.type, o.id, to)) {
                    results.add(JsonObject.builder()
                            .put("id", id)
                            .put("type", singular(o.type) + "_to_" + singular(to))
                            .build());
                }
                if (!results.isEmpty()) {
                    assoc.put(
                            to,
                            JsonObject.builder()
                                    .put("results", JsonArray.of(results))
                                    .build());
                }
            }
            JsonObject built = assoc.build();
            if (!built.isEmpty()) {
                b.put("associations", built);
            }
        }
        return faults().apply(b.build());
    }

    private List<String> associated(String type, String id, String toType) {
        List<String> ids = new ArrayList<>();
        for (Edge e : edges) {
            if (e.fromType.equals(type) && e.fromId.equals(id) && e.toType.equals(toType) && !ids.contains(e.toId)) {
                ids.add(e.toId);
            } else if (e.toType.equals(type)
                    && e.toId.equals(id)
                    && e.fromType.equals(toType)
                    && !ids.contains(e.fromId)) {
                ids.add(e.fromId);
            }
        }
        ids.sort(Comparator.comparing((String s) -> s.length()).thenComparing(s -> s));
        return ids;
    }

    /**
     * A property definition as the properties API answers it; an enumeration carries its
     * {@code options} ({@code label}, {@code value}, {@code displayOrder}, {@code hidden}).
     */
    private JsonObject definition(String type, String name) {
        CustomProperty custom = customProperties.get(type + "." + name);
        List<String> options = new ArrayList<>(
                custom != null ? custom.options() : STANDARD_OPTIONS.getOrDefault(type + "." + name, List.of()));
        options.addAll(addedOptions.getOrDefault(type + "." + name, List.of()));
        String[] typeAndField = custom != null
                ? new String[] {
                    custom.type(),
                    switch (custom.type()) {
                        case "enumeration" -> "select";
                        case "number" -> "number";
                        case "datetime", "date" -> "date";
                        default -> "text";
                    }
                }
                : !options.isEmpty()
                        ? new String[] {"enumeration", "select"}
                        : name.endsWith("date") || name.endsWith("_at") || name.contains("timestamp")
                                ? new String[] {"datetime", "date"}
                                : name.startsWith("num_")
                                                || name.endsWith("_count")
                                                || name.equals("amount")
                                                || name.equals("annualrevenue")
                                        ? new String[] {"number", "number"}
                                        : new String[] {"string", "text"};
        JsonObject.Builder b = JsonObject.builder();
        if (!options.isEmpty()) {
            List<JsonValue> rendered = new ArrayList<>();
            for (int i = 0; i < options.size(); i++) {
                rendered.add(JsonObject.builder()
                        .put("label", options.get(i))
                        .put("value", options.get(i))
                        .put("displayOrder", i)
                        .put("hidden", false)
                        .build());
            }
            b.put("options", JsonArray.of(rendered));
        }
        return b.put("name", name)
                .put("label", name.replace('_', ' '))
                .put("type", typeAndField[0])
                .put("fieldType", typeAndField[1])
                .put("groupName", singular(type) + "information")
                .put("hidden", false)
                .put("hubspotDefined", custom == null && !name.startsWith("custom_"))
                .put("calculated", false)
                .put("archived", false)
                .build();
    }

    private static JsonObject paging(String after, String link) {
        return JsonObject.builder()
                .put(
                        "next",
                        JsonObject.builder()
                                .put("after", after)
                                .put("link", link)
                                .build())
                .build();
    }

    private FakeResponse tooManyRequests(String policy, String message, int remaining, long dailyRemaining) {
        JsonObject body = JsonObject.builder()
                .put("status", "error")
                .put("message", message)
                .put("errorType", "RATE_LIMIT")
                .put("correlationId", correlationId())
                .put("policyName", policy)
                .build();
        return withRateHeaders(FakeResponse.json(429, body), remaining, dailyRemaining);
    }

    private FakeResponse withRateHeaders(FakeResponse response, int remaining, long dailyRemaining) {
        return response.withHeader("X-HubSpot-RateLimit-Max", Integer.toString(window.max))
                .withHeader("X-HubSpot-RateLimit-Remaining", Integer.toString(remaining))
                .withHeader(
                        "X-HubSpot-RateLimit-Interval-Milliseconds",
                        Long.toString(Math.max(1, window.lengthNanos / 1_000_000)))
                .withHeader("X-HubSpot-RateLimit-Daily", Long.toString(dailyLimit))
                .withHeader("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(dailyRemaining));
    }

    private static FakeResponse error(int status, String message, String category) {
        return FakeResponse.json(
                status,
                JsonObject.builder()
                        .put("status", "error")
                        .put("message", message)
                        .put("correlationId", correlationId())
                        .put("category", category)
                        .build());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private @Nullable FakeResponse validate(String type, JsonObject props) {
        List<String> problems = new ArrayList<>();
        props.fields().forEach((name, value) -> {
            String text = value instanceof JsonString s ? s.value() : value.toJson();
            if (!(value instanceof JsonString)
                    && value.type() != JsonValue.Type.NUMBER
                    && value.type() != JsonValue.Type.BOOLEAN) {
                problems.add(invalid(
                        name, "Property \\\"" + name + "\\\" must be a string, number or boolean", "INVALID_VALUE"));
            } else if (name.equals("hs_ticket_priority") && !TICKET_PRIORITIES.contains(text)) {
                problems.add(invalid(
                        name,
                        text + " was not one of the allowed options: "
                                + TICKET_PRIORITIES.stream().sorted().toList(),
                        "INVALID_OPTION"));
            } else if (name.equals("hs_task_status") && !TASK_STATUSES.contains(text)) {
                problems.add(invalid(name, "was not one of the allowed options", "INVALID_OPTION"));
            } else if (name.startsWith("unknown_")) {
                problems.add(invalid(name, "Property \\\"" + name + "\\\" does not exist", "PROPERTY_DOESNT_EXIST"));
            }
        });
        if (problems.isEmpty()) {
            return null;
        }
        return error(400, "Property values were not valid: [" + String.join(",", problems) + "]", "VALIDATION_ERROR");
    }

    private static String invalid(String name, String message, String code) {
        return "{\"isValid\":false,\"message\":\"" + message + "\",\"error\":\"" + code + "\",\"name\":\"" + name
                + "\"}";
    }

    private boolean matchesAnyGroup(StoredObject o, @Nullable JsonArray groups) {
        if (groups == null || groups.isEmpty()) {
            return true;
        }
        for (JsonValue g : groups) {
            boolean all = true;
            JsonArray filters = ((JsonObject) g).array("filters");
            for (JsonValue f : filters == null ? JsonArray.empty() : filters) {
                all &= matches(o, (JsonObject) f);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(StoredObject o, JsonObject filter) {
        String property = filter.string("propertyName");
        String op = filter.string("operator");
        if (property != null && ignoredFilters.contains(property)) {
            return true;
        }
        if ("IN".equals(op) || "NOT_IN".equals(op)) {
            // IN takes "values", any of which matches (strings compared as HubSpot's values are: text)
            JsonArray values = filter.array("values");
            String actual = property == null ? null : o.properties.get(property);
            boolean any = false;
            for (JsonValue v : values == null ? JsonArray.empty() : values) {
                any |= v instanceof JsonString str && str.value().equals(actual);
            }
            return "IN".equals(op) ? any : !any;
        }
        String value = filter.string("value");
        if (property == null || op == null || value == null) {
            return false;
        }
        Comparable<?> left = sortKey(o, property);
        Comparable<?> right;
        try {
            right = isNumeric(property) ? (Comparable<?>) new BigDecimal(value) : value;
        } catch (NumberFormatException e) {
            return false;
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        int c = ((Comparable) left).compareTo(right);
        return switch (op) {
            case "EQ" -> c == 0;
            case "NEQ" -> c != 0;
            case "GT" -> c > 0;
            case "GTE" -> c >= 0;
            case "LT" -> c < 0;
            case "LTE" -> c <= 0;
            default -> false;
        };
    }

    /** Timestamps compare as epoch milliseconds (HubSpot's filter values), everything else as text. */
    private Comparable<?> sortKey(StoredObject o, @Nullable String property) {
        if (property == null) {
            return o.id;
        }
        if (isTimestamp(property)) {
            String v = property.equals(modstampProperty(o.type)) || property.equals("hs_lastmodifieddate")
                    ? o.updatedAt.toString()
                    : o.properties.get(property);
            return v == null
                    ? BigDecimal.valueOf(Long.MIN_VALUE)
                    : BigDecimal.valueOf(Instant.parse(v).toEpochMilli());
        }
        if (property.equals("hs_object_id")) {
            return new BigDecimal(o.id);
        }
        String v = o.properties.get(property);
        return v == null ? "" : v;
    }

    /** Properties search compares as numbers: timestamps (epoch milliseconds) and the object id. */
    private static boolean isNumeric(String property) {
        return isTimestamp(property) || property.equals("hs_object_id");
    }

    private static boolean isTimestamp(String property) {
        return property.equals("lastmodifieddate")
                || property.equals("hs_lastmodifieddate")
                || property.equals("createdate");
    }

    private void storeSample(String type, JsonObject sample) {
        String id = Objects.requireNonNull(sample.string("id"), "a sample record has an id");
        StoredObject o = new StoredObject(
                type, id, Instant.parse(sample.string("createdAt")), Instant.parse(sample.string("updatedAt")));
        JsonObject props = Objects.requireNonNull(sample.object("properties"), "a sample record has properties");
        props.fields().forEach((k, v) -> o.properties.put(k, v instanceof JsonString s ? s.value() : null));
        if (type.equals("tickets")) {
            o.properties.put("hubspot_owner_id", "41629779");
        }
        o.indexed.addLast(Map.entry(Instant.MIN, o.copy()));
        objectsOf(type).put(Long.parseLong(id), o);
    }

    private static Map<String, @Nullable String> generated(String type, int i) {
        JsonObject template = (JsonObject) TEMPLATES
                .computeIfAbsent(
                        type,
                        t -> ((JsonObject) VendorSamples.json("hubspot/dlt_" + t + "_page.json")).array("results"))
                .get(i % 2);
        Map<String, @Nullable String> props = new LinkedHashMap<>();
        Objects.requireNonNull(template.object("properties"), "a sample record has properties")
                .fields()
                .forEach((k, v) -> props.put(k, v instanceof JsonString s ? s.value() : null));
        switch (type) {
            case "contacts" -> {
                props.put("email", "contact" + i + "@example.com");
                props.put("firstname", "First" + i);
            }
            case "companies" -> props.put("name", "Company " + i);
            case "deals" -> props.put("dealname", "Deal " + i);
            case "tickets" -> props.put("subject", "Ticket " + i);
            default -> {}
        }
        props.put("hubspot_owner_id", i % 3 == 0 ? null : "41629779");
        return props;
    }

    /**
     * Keeps the properties HubSpot derives from the envelope in step with it, and queues the change for
     * the search index: visible at once, or after {@link #indexLag} on the fake's clock.
     */
    private void stamp(StoredObject o) {
        o.properties.put("hs_object_id", o.id);
        o.properties.put("createdate", o.createdAt.toString());
        o.properties.put(modstampProperty(o.type), o.updatedAt.toString());
        Instant visibleAt = indexLag.isZero() ? Instant.MIN : clock.instant().plus(indexLag);
        o.indexed.addLast(Map.entry(visibleAt, o.copy()));
    }

    private Instant later(Instant before) {
        Instant now = clock.instant();
        return now.isAfter(before) ? now : before.plusMillis(1);
    }

    /** The objects of a type already known: seeded, or checked against the request path. */
    private NavigableMap<Long, StoredObject> objectsOf(String type) {
        return Objects.requireNonNull(objects.get(type), () -> "no objects of type " + type);
    }

    /** A stored object not archived, or null. */
    private @Nullable StoredObject findLive(String type, @Nullable String id) {
        StoredObject o = find(type, id);
        return o == null || o.archivedAt != null ? null : o;
    }

    private @Nullable StoredObject find(String type, @Nullable String id) {
        TreeMap<Long, StoredObject> map = objects.get(type);
        if (map == null || id == null || !id.matches("[0-9]{1,18}")) {
            return null;
        }
        return map.get(Long.parseLong(id));
    }

    /** The object type a HubSpot-defined association type id points to from notes or tasks. */
    private static @Nullable String typeOf(@Nullable JsonArray types, String fromType) {
        if (types == null
                || types.isEmpty()
                || !(types.get(0) instanceof JsonObject t)
                || t.number("associationTypeId") == null) {
            return null;
        }
        int typeId = t.number("associationTypeId").intValue();
        Map<Integer, String> known = fromType.equals("tasks")
                ? Map.of(204, "contacts", 192, "companies", 216, "deals", 230, "tickets")
                : Map.of(202, "contacts", 190, "companies", 214, "deals", 228, "tickets");
        return known.get(typeId);
    }

    private static List<String> defaults(String type) {
        return switch (type) {
            case "contacts" -> List.of("email", "firstname", "lastname");
            case "companies" -> List.of("domain", "name");
            case "deals" -> List.of("amount", "closedate", "dealname", "dealstage", "pipeline");
            case "tickets" ->
                List.of(
                        "content",
                        "hs_pipeline",
                        "hs_pipeline_stage",
                        "hs_ticket_category",
                        "hs_ticket_priority",
                        "subject");
            default -> List.of();
        };
    }

    /** Contacts keep their modstamp in {@code lastmodifieddate}; every other object in {@code hs_lastmodifieddate}. */
    public static String modstampProperty(String type) {
        return type.equals("contacts") ? "lastmodifieddate" : "hs_lastmodifieddate";
    }

    private static String singular(String type) {
        return switch (type) {
            case "companies" -> "company";
            default -> type.endsWith("s") ? type.substring(0, type.length() - 1) : type;
        };
    }

    private static JsonObject owner(String id, String email, String first, String last, long userId, String at) {
        return JsonObject.builder()
                .put("id", id)
                .put("email", email)
                .put("firstName", first)
                .put("lastName", last)
                .put("userId", userId)
                .put("createdAt", at)
                .put("updatedAt", at)
                .put("archived", false)
                .put(
                        "teams",
                        JsonArray.of(JsonObject.builder()
                                .put("id", "1001")
                                .put("name", "Support")
                                .put("primary", true)
                                .build()))
                .build();
    }

    private long remainingDaily() {
        return Math.max(0, dailyLimit - dailyUsed);
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static int intParam(@Nullable String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> csv(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static String correlationId() {
        return UUID.randomUUID().toString();
    }
}
