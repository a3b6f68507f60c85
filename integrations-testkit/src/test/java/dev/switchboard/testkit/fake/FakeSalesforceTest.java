package dev.switchboard.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.testkit.VendorSamples;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FakeSalesforce's answers have the shape of the real Salesforce payloads in the vendor samples:
 * the same envelope keys, the same record field keys and value types, the same error body shape.
 */
class FakeSalesforceTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The dateTime form of the captured query answer, e.g. {@code 2025-12-16T13:05:30.000+0000}. */
    private static final Pattern SF_DATETIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000");

    private static final Pattern SF_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private record Answer(int status, Map<String, String> headers, JsonValue json) {}

    private static Answer send(String method, String path, String body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(FAKE.baseUrl() + path))
                    .header("Authorization", "Bearer " + VendorFake.ACCESS_TOKEN)
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> h = new HashMap<>();
            r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            return new Answer(r.statusCode(), h, r.body().isEmpty() ? JsonObject.empty() : Json.parse(r.body()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer query(String soql, String... headers) {
        return send(
                "GET",
                FakeSalesforce.API + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8),
                null,
                headers);
    }

    private static JsonObject sample(String name) {
        return (JsonObject) VendorSamples.json("salesforce/" + name);
    }

    @Test
    void aQueryAnswerHasTheEnvelopeAndRecordShapeOfTheCapturedOne() {
        JsonObject real = sample("nifi_query_sobject.json");
        JsonObject realRow = (JsonObject) real.array("records").get(0);

        Answer a = query("SELECT Id, Name, CreatedDate, SystemModstamp FROM Account ORDER BY SystemModstamp, Id");

        assertThat(a.status()).isEqualTo(200);
        JsonObject body = (JsonObject) a.json();
        assertThat(body.names()).containsExactlyElementsOf(real.names());
        assertThat(body.get("totalSize").type()).isEqualTo(real.get("totalSize").type());
        assertThat(body.get("done").type()).isEqualTo(real.get("done").type());
        JsonObject row = (JsonObject) body.array("records").get(0);
        assertThat(row.names()).first().isEqualTo("attributes");
        assertThat(row.object("attributes").names())
                .containsExactlyElementsOf(realRow.object("attributes").names());
        assertThat(row.object("attributes").string("url"))
                .isEqualTo(FakeSalesforce.API + "/sobjects/Account/" + row.string("Id"));
        assertThat(realRow.string("datetime__c")).matches(SF_DATETIME);
        assertThat(row.string("CreatedDate")).matches(SF_DATETIME);
        assertThat(row.string("SystemModstamp")).matches(SF_DATETIME);
        assertThat(row.names()).containsExactly("attributes", "Id", "Name", "CreatedDate", "SystemModstamp");
    }

    @Test
    void datesHaveTheCapturedForm() {
        JsonObject realRow =
                (JsonObject) sample("nifi_query_sobject.json").array("records").get(0);
        assertThat(realRow.string("date__c")).matches(SF_DATE);

        JsonObject row = (JsonObject)
                ((JsonObject) query("SELECT Id, CloseDate FROM Opportunity").json())
                        .array("records")
                        .get(0);

        assertThat(row.string("CloseDate")).matches(SF_DATE);
    }

    @Test
    void largeAnswersArePagedWithQueryLocators() {
        FAKE.seed("Account", 5);

        JsonObject first =
                (JsonObject) query("SELECT Id FROM Account ORDER BY Id", "Sforce-Query-Options", "batchSize=2")
                        .json();

        assertThat(first.bool("done")).isFalse();
        assertThat(first.names()).containsExactly("totalSize", "done", "nextRecordsUrl", "records");
        assertThat(first.string("nextRecordsUrl")).matches("/services/data/v62\\.0/query/01gRO\\d{13}-2");
        int seen = first.array("records").size();
        String next = first.string("nextRecordsUrl");
        int pages = 1;
        while (next != null) {
            JsonObject page = (JsonObject) send("GET", next, null).json();
            seen += page.array("records").size();
            next = page.string("nextRecordsUrl");
            pages++;
            assertThat(page.number("totalSize")).isEqualByComparingTo("5");
        }
        assertThat(seen).isEqualTo(5);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void theIncrementalConditionAndEscapedLiteralsAreUnderstood() {
        FAKE.seed("Case", 6);
        var rows = FAKE.records("Case");
        String stamp = rows.get(2).string("SystemModstamp");
        String literal = stamp.substring(0, stamp.length() - 5) + "Z";

        JsonObject after = (JsonObject)
                query("SELECT Id FROM Case WHERE (SystemModstamp > " + literal + " OR (SystemModstamp = " + literal
                                + " AND Id > '" + rows.get(2).string("Id") + "')) ORDER BY SystemModstamp ASC, Id ASC")
                        .json();
        assertThat(after.array("records").stream()
                        .map(v -> ((JsonObject) v).string("Id"))
                        .toList())
                .containsExactly(
                        rows.get(3).string("Id"),
                        rows.get(4).string("Id"),
                        rows.get(5).string("Id"));

        JsonObject hostile = (JsonObject) query("SELECT Id FROM Case WHERE Subject = 'x\\' OR Subject != \\'y'")
                .json();
        assertThat(hostile.array("records").isEmpty()).isTrue();
    }

    @Test
    void aDescribeHasTheKeysAndValueTypesOfTheCapturedOne() {
        JsonObject real = sample("nifi_describe_sobject.json");
        JsonObject realField = (JsonObject) real.array("fields").get(0);

        JsonObject describe = (JsonObject) send("GET", FakeSalesforce.API + "/sobjects/Case/describe", null)
                .json();

        assertThat(describe.names()).containsExactlyInAnyOrderElementsOf(real.names());
        assertThat(describe.string("name")).isEqualTo("Case");
        assertThat(describe.string("keyPrefix")).isEqualTo("500");
        for (JsonValue v : describe.array("fields")) {
            JsonObject field = (JsonObject) v;
            assertThat(field.names()).containsExactlyInAnyOrderElementsOf(realField.names());
            for (String key :
                    Set.of("name", "type", "soapType", "nillable", "length", "picklistValues", "referenceTo")) {
                assertThat(field.get(key).type())
                        .as("%s of %s", key, field.string("name"))
                        .isEqualTo(realField.get(key).type());
            }
        }
        assertThat(describe.array("fields").stream().map(f -> ((JsonObject) f).string("name")))
                .contains("Id", "Status", "SystemModstamp", "OwnerId");
    }

    @Test
    void errorsHaveTheShapeOfTheCapturedErrorBodies() {
        JsonObject realError = (JsonObject) ((JsonObject) sample("camel_composite_response_example_failure.json")
                        .array("compositeResponse")
                        .get(1))
                .array("body")
                .get(0);

        Answer invalidField = query("SELECT Id, Nope FROM Case");
        assertThat(invalidField.status()).isEqualTo(400);
        JsonObject error = (JsonObject) ((JsonArray) invalidField.json()).get(0);
        assertThat(error.names()).containsExactlyInAnyOrderElementsOf(realError.names());
        assertThat(error.string("errorCode")).isEqualTo("INVALID_FIELD");
        assertThat(error.string("message")).startsWith("No such column 'Nope' on entity 'Case'");

        assertThat(((JsonObject) ((JsonArray) query("SELEC Id FROM Case").json()).get(0)).string("errorCode"))
                .isEqualTo("MALFORMED_QUERY");

        FAKE.revokeAccessTokens();
        Answer expired = query("SELECT Id FROM Case");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().toJson())
                .isEqualTo("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
    }

    @Test
    void theDailyLimitIsCountedReportedOnEveryAnswerAndEnforced() {
        JsonObject realLimits = sample("camel_limits.json");
        JsonObject limits =
                (JsonObject) send("GET", FakeSalesforce.API + "/limits", null).json();
        assertThat(limits.object("DailyApiRequests").names())
                .containsExactlyInAnyOrderElementsOf(
                        realLimits.object("DailyApiRequests").names());
        assertThat(limits.object("DailyApiRequests").number("Remaining")).isEqualByComparingTo("99999");
        FAKE.apiUsage(99_998, 100_000);

        assertThat(query("SELECT Id FROM Case").headers().get("sforce-limit-info"))
                .isEqualTo("api-usage=99999/100000");
        FAKE.faults().serverErrors(1, 503);
        assertThat(query("SELECT Id FROM Case").headers().get("sforce-limit-info"))
                .isEqualTo("api-usage=99999/100000");
        assertThat(query("SELECT Id FROM Case").headers().get("sforce-limit-info"))
                .isEqualTo("api-usage=100000/100000");
        Answer refused = query("SELECT Id FROM Case");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().toJson())
                .isEqualTo(
                        "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
        assertThat(refused.headers().get("sforce-limit-info")).isEqualTo("api-usage=100000/100000");
    }

    @Test
    void writesAnswerLikeSalesforceAndChangeLaterReads() {
        JsonObject realCreated = (JsonObject) ((JsonObject) sample("camel_composite_response_example_success.json")
                        .array("compositeResponse")
                        .get(0))
                .get("body");
        JsonObject theCase = FAKE.records("Case").get(0);
        String id = theCase.string("Id");

        Answer patched = send("PATCH", FakeSalesforce.API + "/sobjects/Case/" + id, "{\"Status\":\"Escalated\"}");
        assertThat(patched.status()).isEqualTo(204);
        JsonObject after = FAKE.record("Case", id);
        assertThat(after.string("Status")).isEqualTo("Escalated");
        assertThat(after.string("SystemModstamp"))
                .isGreaterThan(theCase.string("SystemModstamp"))
                .matches(SF_DATETIME);

        Answer created =
                send("POST", FakeSalesforce.API + "/sobjects/Task", "{\"Subject\":\"Call\",\"WhatId\":\"" + id + "\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(((JsonObject) created.json()).names()).containsExactlyInAnyOrderElementsOf(realCreated.names());
        assertThat(((JsonObject) created.json()).string("id")).startsWith("00T").hasSize(18);

        Answer bad = send("PATCH", FakeSalesforce.API + "/sobjects/Case/" + id, "{\"Status\":\"Bogus\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(((JsonObject) ((JsonArray) bad.json()).get(0))
                        .array("fields")
                        .toJson())
                .isEqualTo("[\"Status\"]");
        assertThat(send("PATCH", FakeSalesforce.API + "/sobjects/Case/500RO9999999999AAA", "{\"Status\":\"New\"}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void putAddsRecordsAsACreateWouldWithTheirReferencesAndWithoutCountingARequest() {
        long used = FAKE.apiUsed();
        String account = FAKE.put(
                "Account",
                JsonObject.builder()
                        .put("Name", "Acme Corp")
                        .put("Website", "https://www.acme.example")
                        .put("AnnualRevenue", 1_200_000)
                        .build());
        String contact = FAKE.put(
                "Contact",
                JsonObject.builder()
                        .put("AccountId", account)
                        .put("LastName", "Grey")
                        .put("Email", "jane@acme.example")
                        .build());
        String kase = FAKE.put(
                "Case",
                JsonObject.builder()
                        .put("Subject", "Export fails")
                        .put("Status", "Escalated")
                        .put("ContactId", contact)
                        .put("AccountId", account)
                        .build());

        assertThat(FAKE.apiUsed()).isEqualTo(used);
        assertThat(account).startsWith("001").hasSize(18);
        assertThat(contact).startsWith("003");
        JsonObject row =
                (JsonObject) ((JsonObject) query("SELECT Id, Email, AccountId, OwnerId, SystemModstamp FROM Contact"
                                        + " WHERE AccountId = '" + account + "'")
                                .json())
                        .array("records")
                        .get(0);
        assertThat(row.string("Id")).isEqualTo(contact);
        assertThat(row.string("Email")).isEqualTo("jane@acme.example");
        assertThat(row.string("OwnerId")).isEqualTo(FakeSalesforce.API_USER_ID);
        // Later than every seeded record, so an incremental read meets it after them.
        assertThat(row.string("SystemModstamp"))
                .matches(SF_DATETIME)
                .isGreaterThan(FAKE.records("Contact").get(0).string("SystemModstamp"));
        // CaseNumber is an auto-number: the next after the seeded cases'.
        int seededCases = FAKE.records("Case").size() - 1;
        assertThat(FAKE.record("Case", kase).string("CaseNumber")).isEqualTo(String.format("%08d", 1000 + seededCases));
        assertThat(FAKE.record("Case", kase).get("IsClosed").toJson()).isEqualTo("false");

        assertThatThrownBy(() -> FAKE.put(
                        "Contact",
                        JsonObject.builder()
                                .put("LastName", "X")
                                .put("Tier__c", "Gold")
                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INVALID_FIELD")
                .hasMessageContaining("Tier__c");
        assertThatThrownBy(() -> FAKE.put(
                        "Contact",
                        JsonObject.builder()
                                .put("LastName", "X")
                                .put("AccountId", "001RO9999999999AAA")
                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INVALID_CROSS_REFERENCE_KEY");
        assertThatThrownBy(() -> FAKE.put(
                        "Contact",
                        JsonObject.builder().put("Email", "x@acme.example").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REQUIRED_FIELD_MISSING");
    }

    @Test
    void everyRenderedRecordPassesThroughTheDataFaults() {
        FAKE.faults().drop("Name");

        JsonObject row =
                (JsonObject) ((JsonObject) query("SELECT Id, Name FROM Account").json())
                        .array("records")
                        .get(0);

        assertThat(row.has("Name")).isFalse();
    }

    // ---- a changing org: recycle bin, transactions, expiring locators, passing errors ----

    private static Answer queryAll(String soql) {
        return send("GET", FakeSalesforce.API + "/queryAll?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null);
    }

    private static java.util.List<String> ids(Answer a) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (JsonValue v : ((JsonObject) a.json()).array("records")) {
            ids.add(((JsonObject) v).string("Id"));
        }
        return ids;
    }

    @Test
    void aDeletedRecordLeavesQueryButQueryAllFindsItUntilTheRecycleBinIsEmptied() {
        String id = FAKE.records("Case").get(0).string("Id");
        String before = FAKE.record("Case", id).string("SystemModstamp");

        assertThat(send("DELETE", FakeSalesforce.API + "/sobjects/Case/" + id, null)
                        .status())
                .isEqualTo(204);

        assertThat(ids(query("SELECT Id FROM Case"))).doesNotContain(id);
        Answer all = queryAll("SELECT Id, IsDeleted, SystemModstamp FROM Case WHERE IsDeleted = true");
        assertThat(ids(all)).containsExactly(id);
        JsonObject row = (JsonObject) ((JsonObject) all.json()).array("records").get(0);
        assertThat(row.bool("IsDeleted")).isTrue();
        assertThat(row.string("SystemModstamp")).isGreaterThan(before); // a delete moves it
        assertThat(send("GET", FakeSalesforce.API + "/sobjects/Case/" + id, null)
                        .status())
                .isEqualTo(404);

        FAKE.emptyRecycleBin();
        assertThat(ids(queryAll("SELECT Id FROM Case"))).doesNotContain(id);
    }

    @Test
    void aTransactionsRowsAppearWhenItCommitsStampedWhenItBegan() {
        String id = FAKE.records("Case").get(0).string("Id");
        FakeSalesforce.Transaction t = FAKE.begin();
        t.set("Case", id, "Status", new dev.switchboard.core.json.JsonString("Escalated"));
        String other = FAKE.records("Case").get(1).string("Id");
        FAKE.set("Case", other, "Status", new dev.switchboard.core.json.JsonString("Working"));
        String later = FAKE.record("Case", other).string("SystemModstamp");

        assertThat(FAKE.record("Case", id).string("Status")).isNotEqualTo("Escalated"); // not committed yet
        Answer locked = send("PATCH", FakeSalesforce.API + "/sobjects/Case/" + id, "{\"Status\":\"Working\"}");
        assertThat(locked.status()).isEqualTo(400);
        assertThat(locked.json().toJson()).contains("\"errorCode\":\"UNABLE_TO_LOCK_ROW\"");

        t.commit();
        JsonObject committed = FAKE.record("Case", id);
        assertThat(committed.string("Status")).isEqualTo("Escalated");
        assertThat(committed.string("SystemModstamp")).isLessThan(later); // behind a change made before it committed
    }

    @Test
    void anExpiredLocatorAnswersInvalidQueryLocator() {
        Answer first = query("SELECT Id FROM Case", "Sforce-Query-Options", "batchSize=2");
        String next = ((JsonObject) first.json()).string("nextRecordsUrl");

        FAKE.expireQueryLocators();
        Answer expired = send("GET", next, null);

        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().toJson())
                .isEqualTo(
                        "[{\"message\":\"invalid query locator\",\"errorCode\":\"INVALID_QUERY_LOCATOR\",\"fields\":[]}]");
    }

    @Test
    void aLocatorUnusedForFifteenMinutesExpires() {
        dev.switchboard.core.time.ManualClock clock =
                dev.switchboard.core.time.ManualClock.at(java.time.Instant.parse("2026-06-01T09:00:00Z"));
        FAKE.clock(clock);
        String next = ((JsonObject) query("SELECT Id FROM Case", "Sforce-Query-Options", "batchSize=1")
                        .json())
                .string("nextRecordsUrl");
        clock.advance(java.time.Duration.ofMinutes(14));
        Answer inTime = send("GET", next, null);
        assertThat(inTime.status()).isEqualTo(200);

        clock.advance(java.time.Duration.ofMinutes(16));
        assertThat(send("GET", ((JsonObject) inTime.json()).string("nextRecordsUrl"), null)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aTimedOutQueryAnswersQueryTimeout() {
        FAKE.timeOutNextQueries(1);

        Answer a = query("SELECT Id FROM Case");

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().toJson())
                .isEqualTo("[{\"message\":\"Your query request was running for too long.\","
                        + "\"errorCode\":\"QUERY_TIMEOUT\",\"fields\":[]}]");
        assertThat(query("SELECT Id FROM Case").status()).isEqualTo(200);
    }

    @Test
    void aPatchIfUnmodifiedSinceAnEarlierDateIsRefusedWith412() {
        String id = FAKE.records("Case").get(0).string("Id");
        String path = FakeSalesforce.API + "/sobjects/Case/" + id;
        // seeded at 2026-05-01T08:00:00Z
        assertThat(send(
                                "PATCH",
                                path,
                                "{\"Status\":\"Working\"}",
                                "If-Unmodified-Since",
                                "Fri, 01 May 2026 08:00:00 GMT")
                        .status())
                .isEqualTo(204);

        Answer stale =
                send("PATCH", path, "{\"Status\":\"Closed\"}", "If-Unmodified-Since", "Fri, 01 May 2026 08:00:00 GMT");

        assertThat(stale.status()).isEqualTo(412);
        assertThat(FAKE.record("Case", id).string("Status")).isEqualTo("Working");
        assertThat(send("PATCH", path, "{\"Status\":\"Closed\"}", "If-Unmodified-Since", "yesterday")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aQuotedLiteralForABooleanFieldIsRefusedAsSalesforceDoes() {
        Answer a = query("SELECT Id FROM Case WHERE IsClosed = 'false'");

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().toJson()).contains("INVALID_QUERY_FILTER_OPERATOR");
        assertThat(query("SELECT Id FROM Case WHERE IsClosed = false").status()).isEqualTo(200);
    }
}
