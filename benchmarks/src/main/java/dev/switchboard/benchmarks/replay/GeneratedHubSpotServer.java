package dev.switchboard.benchmarks.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.VendorFake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A HubSpot portal of {@code n} {@link GeneratedContacts}, answered arithmetically: no contact is held in memory,
 * so a read of millions costs the server no heap. Served by {@link LoopbackHttpServer}, in a process of its own
 * ({@link #start}).
 *
 * <ul>
 *   <li>{@code POST /crm/v3/objects/contacts/search}: filter groups (OR) of filters (AND) on the modstamp
 *       ({@code lastmodifieddate}) and {@code hs_object_id} with EQ, GT, GTE, LT, LTE; sorted ascending by either
 *       (the same order); {@code limit} up to 200 and the {@code after} offset; {@code total} and
 *       {@code paging.next.after} as HubSpot answers. What the connector's key-paged bulk read sends.</li>
 *   <li>{@code GET /crm/v3/objects/contacts}: the list, by id, {@code limit} up to 100, {@code after} (the next
 *       id) and {@code properties}; with {@code archived=true}, the recycling bin, empty.</li>
 *   <li>{@code GET /crm/v3/properties/contacts}: FakeHubSpot's answer, taken once at start.</li>
 *   <li>{@code GET /__generator/stats}: {@code requests R records M digest D}: the requests answered, the
 *       contacts sent, and an order-independent sum of a hash of each request's method, target and body, so two
 *       clients can be checked to have sent the same requests.</li>
 * </ul>
 *
 * Anything else is HTTP 400, counted as a request: a client that strays shows in the stats.
 */
public final class GeneratedHubSpotServer {
    static final String SEARCH = "/crm/v3/objects/contacts/search";
    static final String LIST = "/crm/v3/objects/contacts";
    static final String PROPERTIES = "/crm/v3/properties/contacts";
    static final String STATS = "/__generator/stats";

    private static final List<String> JSON = List.of("Content-Type", "application/json;charset=utf-8");

    private final long n;
    private final byte[] properties;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong digest = new AtomicLong();

    /**
     * @param n how many contacts the portal holds
     * @param properties the answer to {@code GET /crm/v3/properties/contacts}
     */
    GeneratedHubSpotServer(long n, byte[] properties) {
        if (GeneratedContacts.modifiedMillis(n) >= HubSpotReplay.NOW.toEpochMilli()) {
            throw new IllegalArgumentException(n + " contacts one a second reach past " + HubSpotReplay.NOW);
        }
        this.n = n;
        this.properties = properties.clone();
    }

    /** {@code java ... GeneratedHubSpotServer <n>}: serves until its standard input closes. */
    public static void main(String[] args) throws IOException {
        GeneratedHubSpotServer server = new GeneratedHubSpotServer(Long.parseLong(args[0]), fakePropertiesAnswer());
        LoopbackHttpServer.serveUntilInputCloses(server::answer, "generator");
    }

    /** A server of {@code n} contacts in a child process. */
    public static ServerProcess start(long n) {
        return ServerProcess.start(GeneratedHubSpotServer.class, "256m", Long.toString(n));
    }

    /** The server's counts so far: {requests, records, request digest}. */
    public static long[] stats(ServerProcess server) {
        String[] parts = server.get(STATS).trim().split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[3]), Long.parseUnsignedLong(parts[5], 16)};
    }

    /** What FakeHubSpot answers to {@code GET /crm/v3/properties/contacts}: the metadata a first read asks for. */
    static byte[] fakePropertiesAnswer() {
        try (FakeHubSpot fake = new FakeHubSpot()) {
            fake.start();
            HttpResponse<byte[]> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(fake.baseUrl() + PROPERTIES))
                                    .header("Authorization", "Bearer " + VendorFake.ACCESS_TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("FakeHubSpot answered " + answer.statusCode() + " for " + PROPERTIES);
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    byte[] answer(String method, String target, byte[] body) {
        if (target.equals(STATS)) {
            return LoopbackHttpServer.text(
                    200,
                    "requests " + requests.get() + " records " + records.get() + " digest "
                            + Long.toHexString(digest.get()));
        }
        requests.incrementAndGet();
        digest.addAndGet(hash(method, target, body));
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = query(q < 0 ? "" : target.substring(q + 1));
        try {
            if (method.equals("POST") && path.equals(SEARCH)) {
                return json(search(mapper.readTree(body)));
            }
            if (method.equals("GET") && path.equals(LIST)) {
                return json(list(query));
            }
            if (method.equals("GET") && path.equals(PROPERTIES)) {
                return LoopbackHttpServer.response(200, JSON, properties);
            }
            return LoopbackHttpServer.text(400, "the generator does not answer " + method + " " + path);
        } catch (IOException | RuntimeException e) {
            return LoopbackHttpServer.text(400, "bad request: " + e.getMessage());
        }
    }

    private static byte[] json(String body) {
        return LoopbackHttpServer.response(200, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The search: the matching indexes are a union of ranges; a page of them in ascending order. */
    private String search(JsonNode query) {
        int limit = query.path("limit").asInt(10);
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("limit must be between 1 and 200");
        }
        long after = query.path("after").asLong(0);
        for (JsonNode sort : query.path("sorts")) {
            String by = sort.path("propertyName").asText();
            if (!(by.equals(GeneratedContacts.MODSTAMP) || by.equals("hs_object_id"))
                    || !sort.path("direction").asText("ASCENDING").equals("ASCENDING")) {
                throw new IllegalArgumentException("the generator sorts ascending by modstamp or id only");
            }
        }
        List<long[]> ranges = new ArrayList<>();
        JsonNode groups = query.path("filterGroups");
        if (groups.isEmpty()) {
            ranges.add(new long[] {0, n});
        }
        for (JsonNode group : groups) {
            long lo = 0;
            long hi = n;
            for (JsonNode f : group.path("filters")) {
                long[] r = range(
                        f.path("propertyName").asText(),
                        f.path("operator").asText(),
                        Long.parseLong(f.path("value").asText()));
                lo = Math.max(lo, r[0]);
                hi = Math.min(hi, r[1]);
            }
            if (lo < hi) {
                ranges.add(new long[] {lo, hi});
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> union = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = union.isEmpty() ? null : union.get(union.size() - 1);
            if (last != null && r[0] <= last[1]) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                union.add(r);
            }
        }
        long total = 0;
        for (long[] r : union) {
            total += r[1] - r[0];
        }
        Collection<String> names = GeneratedContacts.rendered(strings(query.path("properties")));
        StringBuilder out = new StringBuilder(700 * limit)
                .append("{\"total\":")
                .append(total)
                .append(",\"results\":[");
        long skip = after;
        int sent = 0;
        for (long[] r : union) {
            for (long i = r[0] + Math.min(skip, r[1] - r[0]); i < r[1] && sent < limit; i++) {
                if (sent > 0) {
                    out.append(',');
                }
                GeneratedContacts.appendJson(out, i, names);
                sent++;
            }
            skip = Math.max(0, skip - (r[1] - r[0]));
        }
        out.append(']');
        if (after + sent < total) {
            out.append(",\"paging\":{\"next\":{\"after\":\"")
                    .append(after + sent)
                    .append("\"}}");
        }
        records.addAndGet(sent);
        return out.append('}').toString();
    }

    /** The indexes {@code [lo, hi)} whose {@code property} stands in {@code operator} to {@code value}. */
    private long[] range(String property, String operator, long value) {
        long origin;
        long step;
        if (property.equals(GeneratedContacts.MODSTAMP)) {
            origin = GeneratedContacts.modifiedMillis(0);
            step = GeneratedContacts.STEP_MILLIS;
        } else if (property.equals("hs_object_id")) {
            origin = GeneratedContacts.FIRST_ID;
            step = 1;
        } else {
            throw new IllegalArgumentException("the generator filters on the modstamp and hs_object_id only");
        }
        // The value of index i is origin + i * step: the first index at or above v, and the first above v.
        long atOrAbove = Math.max(0, Math.min(n, -Math.floorDiv(origin - value, step)));
        long above = Math.max(0, Math.min(n, Math.floorDiv(value - origin, step) + 1));
        return switch (operator) {
            case "GTE" -> new long[] {atOrAbove, n};
            case "GT" -> new long[] {above, n};
            case "LT" -> new long[] {0, atOrAbove};
            case "LTE" -> new long[] {0, above};
            case "EQ" -> new long[] {atOrAbove, above};
            default -> throw new IllegalArgumentException("operator " + operator + " is not supported");
        };
    }

    /** The list by id: live contacts from {@code after}, or the recycling bin (empty). */
    private String list(Map<String, String> query) {
        if ("true".equals(query.get("archived"))) {
            return "{\"results\":[]}";
        }
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        if (limit < 1 || limit > 100) {
            throw new IllegalArgumentException("limit must be between 1 and 100");
        }
        long from = query.containsKey("after")
                ? Math.max(0, Long.parseLong(query.get("after")) - GeneratedContacts.FIRST_ID)
                : 0;
        String asked = query.getOrDefault("properties", "");
        Collection<String> names = GeneratedContacts.rendered(
                asked.isEmpty() ? List.of("email", "firstname", "lastname") : List.of(asked.split(",")));
        long end = Math.min(n, from + limit);
        StringBuilder out = new StringBuilder(700 * limit).append("{\"results\":[");
        for (long i = from; i < end; i++) {
            if (i > from) {
                out.append(',');
            }
            GeneratedContacts.appendJson(out, i, names);
        }
        out.append(']');
        if (end < n) {
            long next = GeneratedContacts.id(end);
            out.append(",\"paging\":{\"next\":{\"after\":\"")
                    .append(next)
                    .append("\",\"link\":\"")
                    .append(LIST)
                    .append("?after=")
                    .append(next)
                    .append("\"}}");
        }
        records.addAndGet(Math.max(0, end - from));
        return out.append('}').toString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Map<String, String> query(String text) {
        Map<String, String> out = new HashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }

    /** A 64-bit FNV-1a of the request's method, target and body. */
    static long hash(String method, String target, byte[] body) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (method + ' ' + target + '\n').getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        for (byte b : body) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
