package dev.switchboard.benchmarks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.connectors.hubspot.HubSpotConnector;
import dev.switchboard.connectors.hubspot.internal.HubSpotRecords;
import dev.switchboard.connectors.salesforce.SalesforceConnector;
import dev.switchboard.connectors.salesforce.internal.SalesforceRecords;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.Normalizer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Records per second normalizing a page of HubSpot contacts and a page of Salesforce accounts from
 * the bytes the vendor sends: Switchboard's path (core's streaming JSON parse into the immutable
 * model, the connector's own record building, then the {@link Normalizer} with the connector's
 * mapper: typed values, each with provenance) against the floor, plain Jackson databind of the same
 * bytes into POJOs with String fields. The pages have the real payloads' shape
 * (shared/fixtures/vendor-samples/hubspot/dlt_contacts_page.json; a SOQL query answer with
 * {@code attributes} and {@code +0000} timestamps) with {@value #RECORDS} records each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class NormalizeBenchmark {
    static final int RECORDS = 500;

    private byte[] hubspotContacts;
    private byte[] salesforceAccounts;
    private Normalizer normalizer;
    private HubSpotRecords hubspotRecords;
    private SalesforceRecords salesforceRecords;
    private ObjectMapper jackson;
    private Schema hubspotContract;
    private Schema salesforceContract;

    @Setup
    public void setUp() {
        hubspotContacts = hubspotContactsPage(RECORDS).getBytes(StandardCharsets.UTF_8);
        salesforceAccounts = salesforceAccountsPage(RECORDS).getBytes(StandardCharsets.UTF_8);
        normalizer = Normalizer.standard();
        hubspotRecords = new HubSpotRecords("hubspot-bench", "portal-1");
        salesforceRecords = new SalesforceRecords("salesforce-bench", "00Dorg");
        jackson = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        hubspotContract = contract(new HubSpotConnector(), "contacts");
        salesforceContract = contract(new SalesforceConnector(), "Account");
        // Both paths must see every record: fail the run rather than measure a broken one.
        if (normalizeHubSpot() != RECORDS || normalizeSalesforce() != RECORDS) {
            throw new IllegalStateException("the normalizer lost records");
        }
        if (endToEnd(hubspotContacts, "results", hubspotContract, v -> hubspotRecords.crmObject("contacts", v))
                        != RECORDS
                || endToEnd(
                                salesforceAccounts,
                                "records",
                                salesforceContract,
                                v -> salesforceRecords.map("Account", "OwnerId", v))
                        != RECORDS) {
            throw new IllegalStateException("a record broke its connector's contract or was lost");
        }
    }

    private static Schema contract(Connector connector, String stream) {
        return connector.descriptor().stream(stream)
                .orElseThrow(() -> new IllegalStateException("no stream " + stream))
                .schema();
    }

    /**
     * What a read does with each record of a page once its bytes arrived, the HTTP call aside: the parse, the
     * connector's record building, the drift check against the connector's contract, then normalizing.
     * Returns how many records matched the contract.
     */
    private int endToEnd(byte[] page, String array, Schema contract, Function<JsonObject, Record> build) {
        int clean = 0;
        for (JsonValue v : Objects.requireNonNull(((JsonObject) Json.parse(page)).array(array))) {
            Record r = build.apply((JsonObject) v);
            if (contract.check(r.data()).stream().noneMatch(Drift::breaking)) {
                clean++;
            }
            lastEntity = normalizer.normalize(r);
        }
        return clean;
    }

    private @Nullable Entity lastEntity;

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int hubspotContactsEndToEnd() {
        return endToEnd(hubspotContacts, "results", hubspotContract, v -> hubspotRecords.crmObject("contacts", v));
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int salesforceAccountsEndToEnd() {
        return endToEnd(
                salesforceAccounts, "records", salesforceContract, v -> salesforceRecords.map("Account", "OwnerId", v));
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void hubspotContactsNormalized(Blackhole bh) {
        JsonArray results = Objects.requireNonNull(((JsonObject) Json.parse(hubspotContacts)).array("results"));
        for (JsonValue v : results) {
            bh.consume(normalizer.normalize(hubspotRecords.crmObject("contacts", (JsonObject) v)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void hubspotContactsJacksonPojo(Blackhole bh) throws IOException {
        for (HubSpotContact c : Objects.requireNonNull(jackson.readValue(hubspotContacts, HubSpotPage.class).results)) {
            bh.consume(c);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void salesforceAccountsNormalized(Blackhole bh) {
        JsonArray records = Objects.requireNonNull(((JsonObject) Json.parse(salesforceAccounts)).array("records"));
        for (JsonValue v : records) {
            bh.consume(normalizer.normalize(salesforceRecords.map("Account", "OwnerId", (JsonObject) v)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void salesforceAccountsJacksonPojo(Blackhole bh) throws IOException {
        for (SalesforceAccount a :
                Objects.requireNonNull(jackson.readValue(salesforceAccounts, SalesforcePage.class).records)) {
            bh.consume(a);
        }
    }

    int normalizeHubSpot() {
        int n = 0;
        for (JsonValue v : Objects.requireNonNull(((JsonObject) Json.parse(hubspotContacts)).array("results"))) {
            Entity e = normalizer.normalize(hubspotRecords.crmObject("contacts", (JsonObject) v));
            n += e.issues().isEmpty() ? 1 : 0;
        }
        return n;
    }

    int normalizeSalesforce() {
        int n = 0;
        for (JsonValue v : Objects.requireNonNull(((JsonObject) Json.parse(salesforceAccounts)).array("records"))) {
            Entity e = normalizer.normalize(salesforceRecords.map("Account", "OwnerId", (JsonObject) v));
            n += e.issues().isEmpty() ? 1 : 0;
        }
        return n;
    }

    static String hubspotContactsPage(int n) {
        StringBuilder sb = new StringBuilder("{\"results\":[");
        Instant created = Instant.parse("2023-02-24T03:00:13.460Z");
        for (int i = 1; i <= n; i++) {
            Instant modified = created.plusSeconds(i * 61L);
            sb.append(i == 1 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(i)
                    .append("\",\"properties\":{")
                    .append("\"createdate\":\"")
                    .append(created)
                    .append("\",")
                    .append("\"email\":\"contact")
                    .append(i)
                    .append("@example")
                    .append(i % 40)
                    .append(".com\",")
                    .append("\"firstname\":\"Maria")
                    .append(i)
                    .append("\",")
                    .append("\"hs_object_id\":\"")
                    .append(i)
                    .append("\",")
                    .append("\"lastmodifieddate\":\"")
                    .append(modified)
                    .append("\",")
                    .append("\"lastname\":\"Johnson (Sample Contact)\",")
                    .append("\"phone\":\"+1 (415) 555-")
                    .append(String.format("%04d", i % 10_000))
                    .append("\",")
                    .append("\"jobtitle\":\"Engineer\",\"lifecyclestage\":\"customer\",\"hubspot_owner_id\":\"7")
                    .append(i % 5)
                    .append("\"},\"createdAt\":\"")
                    .append(created)
                    .append("\",\"updatedAt\":\"")
                    .append(modified)
                    .append("\",\"archived\":false}");
        }
        return sb.append("]}").toString();
    }

    static String salesforceAccountsPage(int n) {
        StringBuilder sb = new StringBuilder("{\"totalSize\":").append(n).append(",\"done\":true,\"records\":[");
        for (int i = 1; i <= n; i++) {
            String id = String.format("001KA%013d", i);
            sb.append(i == 1 ? "" : ",")
                    .append("{\"attributes\":{\"type\":\"Account\",\"url\":\"/services/data/v62.0/sobjects/Account/")
                    .append(id)
                    .append("\"},\"Id\":\"")
                    .append(id)
                    .append("\",\"Name\":\"Account ")
                    .append(i)
                    .append("\",\"Website\":\"https://www.account")
                    .append(i)
                    .append(".example.com\",\"Industry\":\"Technology\",\"Type\":\"Customer - Direct\",")
                    .append("\"BillingCity\":\"San Francisco\",\"BillingCountry\":\"USA\",\"IsDeleted\":false,")
                    .append("\"Phone\":\"(415) 555-")
                    .append(String.format("%04d", i % 10_000))
                    .append("\",")
                    .append("\"NumberOfEmployees\":")
                    .append(10 + i)
                    .append(",\"AnnualRevenue\":")
                    .append(new BigDecimal(i).multiply(BigDecimal.valueOf(1000)))
                    .append(",\"CurrencyIsoCode\":\"USD\",\"OwnerId\":\"005KA000000")
                    .append(String.format("%07d", i % 7))
                    .append(
                            "\",\"CreatedDate\":\"2024-05-01T10:12:33.000+0000\",\"LastModifiedDate\":\"2024-05-02T10:12:33.000+0000\",")
                    .append("\"SystemModstamp\":\"2024-05-02T10:12:")
                    .append(String.format("%02d", i % 60))
                    .append(".000+0000\"}");
        }
        return sb.append("]}").toString();
    }

    /**
     * The floor: the same bytes into plain objects, no provenance, no typed values. Jackson leaves a
     * field the JSON lacks null, hence {@code @Nullable}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class HubSpotPage {
        public @Nullable List<HubSpotContact> results;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class HubSpotContact {
        public @Nullable String id;
        public @Nullable Map<String, String> properties;
        public @Nullable String createdAt;
        public @Nullable String updatedAt;
        public boolean archived;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class SalesforcePage {
        public int totalSize;
        public boolean done;
        public @Nullable List<SalesforceAccount> records;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class SalesforceAccount {
        public @Nullable Map<String, String> attributes;

        @JsonProperty("Id")
        public @Nullable String id;

        @JsonProperty("Name")
        public @Nullable String name;

        @JsonProperty("Website")
        public @Nullable String website;

        @JsonProperty("Industry")
        public @Nullable String industry;

        @JsonProperty("Phone")
        public @Nullable String phone;

        @JsonProperty("NumberOfEmployees")
        public @Nullable Integer numberOfEmployees;

        @JsonProperty("AnnualRevenue")
        public @Nullable BigDecimal annualRevenue;

        @JsonProperty("CurrencyIsoCode")
        public @Nullable String currencyIsoCode;

        @JsonProperty("OwnerId")
        public @Nullable String ownerId;

        @JsonProperty("CreatedDate")
        public @Nullable String createdDate;

        @JsonProperty("LastModifiedDate")
        public @Nullable String lastModifiedDate;

        @JsonProperty("SystemModstamp")
        public @Nullable String systemModstamp;
    }
}
