package dev.switchboard.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.testkit.VendorSamples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FakeHubSpot answers in the shapes of the real HubSpot payloads in the vendor samples. */
class FakeHubSpotTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private record Answer(int status, Map<String, List<String>> headers, JsonObject body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    private static Answer send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(FAKE.baseUrl() + path))
                .method(
                        method,
                        body.isEmpty()
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                r.statusCode(),
                r.headers().map(),
                r.body().isEmpty() ? JsonObject.empty() : (JsonObject) Json.parse(r.body()));
    }

    private static Answer get(String path) throws Exception {
        return send("GET", path, "", VendorFake.ACCESS_TOKEN);
    }

    private static JsonArray sampleResults(String name) {
        return ((JsonObject) VendorSamples.json("hubspot/" + name)).array("results");
    }

    @ParameterizedTest
    @ValueSource(strings = {"contacts", "companies", "deals", "tickets"})
    void listsTheSeededSampleRecordsExactlyAsTheRealPayloadShowsThem(String type) throws Exception {
        Answer a = get("/crm/v3/objects/" + type + "?limit=100");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().names()).containsExactly("results");
        assertThat(a.body().array("results")).isEqualTo(sampleResults("dlt_" + type + "_page.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"contacts", "companies", "deals", "tickets"})
    void generatedRecordsKeepTheSampleShape(String type) throws Exception {
        FAKE.seed(type, 5);
        JsonObject sample =
                (JsonObject) sampleResults("dlt_" + type + "_page.json").get(0);

        Answer first = get("/crm/v3/objects/" + type + "?limit=2");
        assertThat(first.body().names()).containsExactly("results", "paging");
        String after = first.body().object("paging").object("next").string("after");
        Answer second = get("/crm/v3/objects/" + type + "?limit=2&after=" + after);

        List<JsonValue> records = new ArrayList<>(first.body().array("results").elements());
        records.addAll(second.body().array("results").elements());
        assertThat(records).hasSize(4).doesNotHaveDuplicates();
        for (JsonValue v : records) {
            JsonObject r = (JsonObject) v;
            assertThat(r.names()).isEqualTo(sample.names());
            for (String field : sample.names()) {
                assertThat(r.get(field).type())
                        .as(field)
                        .isEqualTo(sample.get(field).type());
            }
            assertThat(r.object("properties").names())
                    .isEqualTo(sample.object("properties").names());
            r.object("properties")
                    .fields()
                    .forEach((name, value) ->
                            assertThat(value.type()).as(name).isIn(JsonValue.Type.STRING, JsonValue.Type.NULL));
        }
    }

    @Test
    void associationsHaveTheShapeOfTheRealContactWithAssociations() throws Exception {
        JsonObject real = (JsonObject)
                sampleResults("dlt_contacts_with_history_page.json").get(0);

        JsonObject contact = (JsonObject) get("/crm/v3/objects/contacts?limit=1&associations=deals")
                .body()
                .array("results")
                .get(0);

        assertThat(contact.string("id")).isEqualTo(real.string("id"));
        assertThat(contact.object("associations")).isEqualTo(real.object("associations"));
    }

    @Test
    void servesTheRealContactPropertyDefinitions() throws Exception {
        List<String> realNames = sampleResults("dlt_contacts_properties_page.json").stream()
                .map(v -> ((JsonObject) v).string("name"))
                .toList();

        JsonArray served = get("/crm/v3/properties/contacts").body().array("results");

        assertThat(served.stream().map(v -> ((JsonObject) v).string("name")).toList())
                .hasSize(283)
                .isEqualTo(realNames);
        assertThat(served)
                .allSatisfy(v -> assertThat(((JsonObject) v).names())
                        .contains("name", "label", "type", "fieldType", "groupName"));
    }

    @Test
    void searchPagesByAfterUpToTheResultCapAndSaysTheTotal() throws Exception {
        FAKE.searchRateLimit(1000, Duration.ofSeconds(1)).searchResultCap(6);
        FAKE.seed("tickets", 10, Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMinutes(1));
        String query =
                "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_lastmodifieddate\",\"operator\":\"GTE\",\"value\":\""
                        + Instant.parse("2026-01-01T00:02:00Z").toEpochMilli() + "\"}]}],"
                        + "\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\",\"direction\":\"ASCENDING\"}],\"limit\":4%s}";

        Answer first =
                send("POST", "/crm/v3/objects/tickets/search", String.format(query, ""), VendorFake.ACCESS_TOKEN);
        Answer second = send(
                "POST",
                "/crm/v3/objects/tickets/search",
                String.format(query, ",\"after\":\"4\""),
                VendorFake.ACCESS_TOKEN);
        String atTheCap = "{\"filterGroups\":[],\"limit\":2,\"after\":\"4\"}";
        Answer last = send("POST", "/crm/v3/objects/tickets/search", atTheCap, VendorFake.ACCESS_TOKEN);
        Answer beyond = send(
                "POST", "/crm/v3/objects/tickets/search", atTheCap.replace("\"4\"", "\"6\""), VendorFake.ACCESS_TOKEN);

        assertThat(first.body().number("total").intValue()).isEqualTo(8);
        assertThat(first.body().array("results")).hasSize(4);
        assertThat(first.body().object("paging").object("next").string("after")).isEqualTo("4");
        assertThat(second.status()).as("a page reaching past the cap").isEqualTo(400);
        assertThat(last.body().array("results")).hasSize(2); // up to the cap: 6 of 12
        assertThat(last.body().object("paging").object("next").string("after")).isEqualTo("6");
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.body().string("category")).isEqualTo("VALIDATION_ERROR");
        JsonObject record = (JsonObject) first.body().array("results").get(0);
        assertThat(record.names())
                .isEqualTo(((JsonObject) sampleResults("dlt_tickets_page.json").get(0)).names());
    }

    @Test
    void everyAuthenticatedAnswerCarriesTheRateLimitHeaders() throws Exception {
        FAKE.rateLimit(3, Duration.ofMinutes(1));

        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(get("/crm/v3/owners"));
        }

        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 200, 429);
        assertThat(answers)
                .extracting(a -> a.header("X-HubSpot-RateLimit-Remaining"))
                .containsExactly("2", "1", "0", "0");
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.header("X-HubSpot-RateLimit-Max")).isEqualTo("3");
            assertThat(a.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("60000");
            assertThat(a.header("X-HubSpot-RateLimit-Daily")).isNotNull();
            assertThat(a.header("X-HubSpot-RateLimit-Daily-Remaining")).isNotNull();
        });
        JsonObject body = answers.get(3).body();
        assertThat(body.names()).containsExactly("status", "message", "errorType", "correlationId", "policyName");
        assertThat(body.string("errorType")).isEqualTo("RATE_LIMIT");
        assertThat(body.string("policyName")).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(FAKE.throttledCount()).isEqualTo(1);
    }

    @Test
    void theDailyLimitAnswersWithTheDailyPolicy() throws Exception {
        FAKE.dailyLimit(1);

        assertThat(get("/crm/v3/owners").status()).isEqualTo(200);
        Answer spent = get("/crm/v3/owners");

        assertThat(spent.status()).isEqualTo(429);
        assertThat(spent.body().string("policyName")).isEqualTo("DAILY");
        assertThat(spent.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("0");
    }

    @Test
    void errorsHaveHubSpotsShape() throws Exception {
        Answer unauthenticated = send("GET", "/crm/v3/objects/contacts", "", "wrong-token");
        Answer missing = send(
                "PATCH",
                "/crm/v3/objects/tickets/123",
                "{\"properties\":{\"subject\":\"x\"}}",
                VendorFake.ACCESS_TOKEN);
        Answer invalid = send(
                "PATCH",
                "/crm/v3/objects/tickets/1075966440",
                "{\"properties\":{\"hs_ticket_priority\":\"EXTREME\"}}",
                VendorFake.ACCESS_TOKEN);
        FAKE.withholdScope("tickets");
        Answer scopes = get("/crm/v3/objects/tickets");

        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.body().string("category")).isEqualTo("INVALID_AUTHENTICATION");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().string("category")).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().string("category")).isEqualTo("VALIDATION_ERROR");
        assertThat(invalid.body().string("message")).contains("INVALID_OPTION", "hs_ticket_priority");
        assertThat(scopes.status()).isEqualTo(403);
        assertThat(scopes.body().string("category")).isEqualTo("MISSING_SCOPES");
        for (Answer a : List.of(unauthenticated, missing, invalid, scopes)) {
            assertThat(a.body().names()).contains("status", "message", "correlationId", "category");
            assertThat(a.body().string("status")).isEqualTo("error");
        }
    }

    @Test
    void writesChangeWhatLaterReadsReturn() throws Exception {
        send(
                "PATCH",
                "/crm/v3/objects/tickets/1075966440",
                "{\"properties\":{\"hs_pipeline_stage\":\"4\"}}",
                VendorFake.ACCESS_TOKEN);
        Answer created = send(
                "POST",
                "/crm/v3/objects/notes",
                "{\"properties\":{\"hs_note_body\":\"hi\",\"hs_timestamp\":"
                        + "\"2026-06-01T00:00:00Z\"},\"associations\":[{\"to\":{\"id\":\"1\"},\"types\":[{\"associationCategory\":"
                        + "\"HUBSPOT_DEFINED\",\"associationTypeId\":202}]}]}",
                VendorFake.ACCESS_TOKEN);

        assertThat(FAKE.object("tickets", "1075966440")
                        .orElseThrow()
                        .object("properties")
                        .string("hs_pipeline_stage"))
                .isEqualTo("4");
        assertThat(created.status()).isEqualTo(201);
        String noteId = created.body().string("id");
        assertThat(FAKE.associations("notes", noteId, "contacts")).containsExactly("1");
        assertThat(FAKE.associations("contacts", "1", "notes")).containsExactly(noteId);
    }

    @Test
    void dataFaultsApplyToEveryRenderedRecord() throws Exception {
        FAKE.faults().drop("email").retype("archived", dev.switchboard.core.json.JsonNull.INSTANCE);

        JsonArray results = get("/crm/v3/objects/contacts").body().array("results");

        Set<String> seen = new HashSet<>();
        results.forEach(v -> {
            JsonObject r = (JsonObject) v;
            seen.add(r.string("id"));
            assertThat(r.object("properties").has("email")).isFalse();
            assertThat(r.get("archived").type()).isEqualTo(JsonValue.Type.NULL);
        });
        assertThat(seen).hasSize(2);
    }

    private static String searchBody(long fromMillis, int limit, String after) {
        return "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_lastmodifieddate\",\"operator\":\"GTE\","
                + "\"value\":\"" + fromMillis + "\"}]}],"
                + "\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\",\"direction\":\"ASCENDING\"}],\"limit\":"
                + limit
                + (after == null ? "" : ",\"after\":\"" + after + "\"") + "}";
    }

    private static List<String> ids(Answer answer) {
        List<String> ids = new ArrayList<>();
        for (JsonValue v : answer.body().array("results")) {
            ids.add(((JsonObject) v).string("id"));
        }
        return ids;
    }

    @Test
    void searchPagesByOffsetSoARecordChangedMidReadMakesTheNextOneVanish() throws Exception {
        FAKE.searchRateLimit(1000, Duration.ofSeconds(1));
        dev.switchboard.core.time.ManualClock clock =
                dev.switchboard.core.time.ManualClock.at(Instant.parse("2026-06-01T00:00:00Z"));
        FAKE.clock(clock);
        FAKE.seed("tickets", 6, Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMinutes(1));
        long from = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        List<String> all = FAKE.liveIds("tickets");

        Answer first =
                send("POST", "/crm/v3/objects/tickets/search", searchBody(from, 2, null), VendorFake.ACCESS_TOKEN);
        FAKE.set("tickets", all.get(0), "subject", "changed"); // moves to the end of the result set
        Answer second =
                send("POST", "/crm/v3/objects/tickets/search", searchBody(from, 2, "2"), VendorFake.ACCESS_TOKEN);

        assertThat(ids(first)).containsExactly(all.get(0), all.get(1));
        assertThat(ids(second)).as("the third ticket shifted below the offset").containsExactly(all.get(3), all.get(4));
    }

    @Test
    void searchSeesAChangeOnlyAfterTheIndexLagWhileTheObjectsApiSeesItAtOnce() throws Exception {
        FAKE.searchRateLimit(1000, Duration.ofSeconds(1));
        dev.switchboard.core.time.ManualClock clock =
                dev.switchboard.core.time.ManualClock.at(Instant.parse("2026-06-01T00:00:00Z"));
        FAKE.clock(clock);
        String ticket = FAKE.liveIds("tickets").get(0);
        FAKE.indexLag(Duration.ofSeconds(30)).set("tickets", ticket, "subject", "lagging");
        String bySubject = "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"subject\",\"operator\":\"EQ\","
                + "\"value\":\"lagging\"}]}],\"properties\":[\"subject\"],\"limit\":10}";

        Answer before = send("POST", "/crm/v3/objects/tickets/search", bySubject, VendorFake.ACCESS_TOKEN);
        Answer object = get("/crm/v3/objects/tickets/" + ticket + "?properties=subject");
        clock.advance(Duration.ofSeconds(30));
        Answer after = send("POST", "/crm/v3/objects/tickets/search", bySubject, VendorFake.ACCESS_TOKEN);

        assertThat(ids(before)).isEmpty();
        assertThat(object.body().object("properties").string("subject")).isEqualTo("lagging");
        assertThat(ids(after)).containsExactly(ticket);
    }

    @Test
    void anArchivedObjectLeavesTheObjectsApiAndSearchAndIsListedInTheRecyclingBin() throws Exception {
        FAKE.searchRateLimit(1000, Duration.ofSeconds(1));
        String ticket = FAKE.liveIds("tickets").get(0);

        Answer deleted = send("DELETE", "/crm/v3/objects/tickets/" + ticket, "", VendorFake.ACCESS_TOKEN);
        Answer gone = get("/crm/v3/objects/tickets/" + ticket);
        Answer bin = get("/crm/v3/objects/tickets?archived=true");
        Answer live = get("/crm/v3/objects/tickets");
        Answer search = send("POST", "/crm/v3/objects/tickets/search", "{\"limit\":10}", VendorFake.ACCESS_TOKEN);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(ids(bin)).containsExactly(ticket);
        JsonObject archived = (JsonObject) bin.body().array("results").get(0);
        assertThat(archived.get("archived")).isEqualTo(dev.switchboard.core.json.JsonBoolean.TRUE);
        assertThat(archived.string("archivedAt")).isNotNull();
        assertThat(ids(live)).doesNotContain(ticket);
        assertThat(ids(search)).doesNotContain(ticket);
    }

    @Test
    void v4AssociationsPageEachObjectWithItsOwnAfter() throws Exception {
        FAKE.associationPageSize(2);
        for (int i = 0; i < 5; i++) {
            String company = FAKE.put("companies", Map.of("name", "c" + i), Instant.parse("2026-01-01T00:00:00Z"));
            FAKE.associate("contacts", "1", "companies", company);
        }
        String batch = "{\"inputs\":[{\"id\":\"1\"}]}";

        Answer first =
                send("POST", "/crm/v4/associations/contacts/companies/batch/read", batch, VendorFake.ACCESS_TOKEN);
        JsonObject result = (JsonObject) first.body().array("results").get(0);
        String after = result.object("paging").object("next").string("after");
        Answer second = send(
                "POST",
                "/crm/v4/associations/contacts/companies/batch/read",
                "{\"inputs\":[{\"id\":\"1\",\"after\":\"" + after + "\"}]}",
                VendorFake.ACCESS_TOKEN);
        Answer single = get("/crm/v4/objects/contacts/1/associations/companies?limit=500");

        assertThat(result.array("to")).hasSize(2);
        assertThat(((JsonObject) result.array("to").get(0)).number("toObjectId"))
                .isNotNull(); // a number, as v4 sends it
        assertThat(((JsonObject) second.body().array("results").get(0)).array("to"))
                .hasSize(2);
        // The sample's contact 1 has one company of its own, plus the five: six, two a page.
        assertThat(single.body().array("results")).hasSize(2);
        assertThat(single.body().object("paging").object("next").string("after"))
                .isEqualTo("2");
    }

    @Test
    void webhookDeliveriesCarryTheEventsSignedWithV3() throws Exception {
        dev.switchboard.core.time.ManualClock clock =
                dev.switchboard.core.time.ManualClock.at(Instant.parse("2026-06-01T00:00:00Z"));
        FAKE.clock(clock).subscribeWebhooks(URI.create("https://app.example.com/hooks"), "secret-1");
        String ticket = FAKE.liveIds("tickets").get(0);
        FAKE.set("tickets", ticket, "subject", "new subject");
        FAKE.archive("tickets", ticket);

        List<dev.switchboard.core.webhook.WebhookRequest> deliveries = FAKE.takeWebhookDeliveries("conn");

        assertThat(deliveries).hasSize(1);
        dev.switchboard.core.webhook.WebhookRequest d = deliveries.get(0);
        String timestamp = d.header("X-HubSpot-Request-Timestamp").orElseThrow();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(
                "secret-1".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = java.util.Base64.getEncoder()
                .encodeToString(mac.doFinal(("POST" + "https://app.example.com/hooks" + d.bodyText() + timestamp)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(d.header("X-HubSpot-Signature-v3")).contains(expected);
        assertThat(timestamp).isEqualTo(Long.toString(clock.instant().toEpochMilli()));
        JsonArray events = (JsonArray) Json.parse(d.bodyText());
        assertThat(events.elements())
                .extracting(e -> ((JsonObject) e).string("subscriptionType"))
                .containsExactly("ticket.propertyChange", "ticket.deletion");
        assertThat(((JsonObject) events.get(0)).string("propertyName")).isEqualTo("subject");
        assertThat(FAKE.takeWebhookDeliveries("conn")).isEmpty();
    }
}
