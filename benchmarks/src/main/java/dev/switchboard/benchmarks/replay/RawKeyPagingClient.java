package dev.switchboard.benchmarks.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testkit.fake.VendorFake;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The floor of a long read: a hand-written HubSpot client, plain OkHttp (its defaults) and Jackson databind,
 * reading every contact with the requests the connector sends for a bulk read, byte for byte: the property
 * metadata (a new Switchboard's first read asks for it), search queries paged by key (each from the modstamp
 * the previous full page ended at, below a bound fixed at the start), then the recycling bin. Each answer is
 * parsed into a tree, its records looked at and dropped: nothing is kept across pages but the previous page's
 * ids, to count the record a page repeats from the one before once (see {@link RawReplayClient}).
 *
 * <p>It does not read a millisecond that fills a whole page by id as the connector does; such a page fails the
 * read (the generated contacts have one each).
 */
public final class RawKeyPagingClient implements AutoCloseable {
    /** The properties the HubSpot connector asks for when reading contacts, in its order. */
    static final List<String> PROPERTIES = List.of(
            "email",
            "firstname",
            "lastname",
            "phone",
            "company",
            "lifecyclestage",
            "hubspot_owner_id",
            "jobtitle",
            "associatedcompanyid",
            "createdate",
            GeneratedContacts.MODSTAMP,
            "hs_object_id");

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient client = new OkHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String baseUrl;

    public RawKeyPagingClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * Reads every contact {@code pageSize} a page, on a clock at {@code now}; adds each distinct record's id to
     * {@code ids} and calls {@code progress} with the count so far after each. Returns how many had an email.
     */
    public long read(int pageSize, Instant now, ReadDigest ids, LongConsumer progress) throws IOException {
        get("/crm/v3/properties/contacts"); // what a first read of a new Switchboard asks for
        long to = now.toEpochMilli() + 1;
        long from = 0;
        long emails = 0;
        Set<String> previous = new HashSet<>();
        Set<String> current = new HashSet<>();
        while (true) {
            JsonNode page = post("/crm/v3/objects/contacts/search", searchBody(from, to, pageSize));
            JsonNode results = page.path("results");
            for (JsonNode r : results) {
                String id = r.path("id").asText();
                current.add(id);
                if (previous.contains(id)) {
                    continue; // the previous page's last millisecond, asked again
                }
                ids.add(id);
                if (r.path("properties").path("email").isTextual()) {
                    emails++;
                }
                progress.accept(ids.count());
            }
            if (results.size() < pageSize) {
                break;
            }
            long first = millis(results.get(0));
            long last = millis(results.get(results.size() - 1));
            if (first == last) {
                throw new IllegalStateException("a whole page in one millisecond: the floor does not page by id");
            }
            from = last;
            Set<String> swap = previous;
            previous = current;
            current = swap;
            current.clear();
        }
        String after = null;
        do {
            JsonNode page =
                    get("/crm/v3/objects/contacts?archived=true&limit=100" + (after == null ? "" : "&after=" + after));
            for (JsonNode r : page.path("results")) {
                ids.add(r.path("id").asText());
                progress.accept(ids.count());
            }
            JsonNode next = page.path("paging").path("next").path("after");
            after = next.isTextual() ? next.asText() : null;
        } while (after != null);
        return emails;
    }

    /** The connector's query, key order and all: {@code from <= modstamp < to}, by modstamp, ascending. */
    private byte[] searchBody(long from, long to, int limit) throws IOException {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode filters = body.putArray("filterGroups").addObject().putArray("filters");
        filters.addObject()
                .put("propertyName", GeneratedContacts.MODSTAMP)
                .put("operator", "GTE")
                .put("value", Long.toString(from));
        filters.addObject()
                .put("propertyName", GeneratedContacts.MODSTAMP)
                .put("operator", "LT")
                .put("value", Long.toString(to));
        body.putArray("sorts")
                .addObject()
                .put("propertyName", GeneratedContacts.MODSTAMP)
                .put("direction", "ASCENDING");
        ArrayNode properties = body.putArray("properties");
        PROPERTIES.forEach(properties::add);
        body.put("limit", limit);
        return mapper.writeValueAsBytes(body);
    }

    private static long millis(JsonNode record) {
        return Instant.parse(record.path("properties")
                        .path(GeneratedContacts.MODSTAMP)
                        .asText())
                .toEpochMilli();
    }

    private JsonNode get(String target) throws IOException {
        return send(new Request.Builder().url(baseUrl + target).get());
    }

    private JsonNode post(String target, byte[] body) throws IOException {
        return send(new Request.Builder().url(baseUrl + target).post(RequestBody.create(body, JSON)));
    }

    private JsonNode send(Request.Builder request) throws IOException {
        Request r = request.header("Authorization", "Bearer " + VendorFake.ACCESS_TOKEN)
                .header("Accept", "application/json")
                .build();
        try (Response response = client.newCall(r).execute()) {
            if (response.code() != 200) {
                throw new IOException("HTTP " + response.code() + " for " + r.method() + " "
                        + r.url().encodedPath() + ": " + response.body().string());
            }
            return mapper.readTree(response.body().byteStream());
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
