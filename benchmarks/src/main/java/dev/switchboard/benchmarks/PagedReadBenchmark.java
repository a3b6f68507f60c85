package dev.switchboard.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.connectors.hubspot.HubSpotConnector;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.model.Record;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.VendorFake;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Records per second through a full paged read of HubSpot contacts (1,000 records, 100 a page, 10
 * search requests) against a local FakeHubSpot: through Switchboard (pipeline, budget, breaker,
 * classification, JSON model, record mapping, access policy, checkpoints, audit), and the same
 * pages fetched with raw OkHttp and parsed with Jackson databind, the floor. The fake's rate limits
 * are lifted: the benchmark measures our overhead, not HubSpot's limits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class PagedReadBenchmark {
    static final int RECORDS = 1_000;
    static final int PAGE = 100;
    private static final AgentContext CONTEXT = AgentContext.of(Principal.user("bench", "bench"));
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String PROPERTIES =
            "[\"email\",\"firstname\",\"lastname\",\"phone\",\"company\",\"lifecyclestage\","
                    + "\"hubspot_owner_id\",\"createdate\",\"lastmodifieddate\",\"hs_object_id\"]";

    private FakeHubSpot fake;
    private Switchboard switchboard;
    private Connection connection;
    private OkHttpClient raw;
    private ObjectMapper mapper;
    private long to;

    @Setup(Level.Trial)
    public void start() {
        fake = new FakeHubSpot();
        fake.start();
        TokenStore tokens = TokenStore.inMemory(Clock.systemUTC());
        tokens.compareAndSet(
                "hubspot-bench", 0, Credential.builder(VendorFake.ACCESS_TOKEN).build());
        switchboard = Switchboard.builder()
                .discoverConnectors(true)
                .connection(ConnectionConfig.builder("hubspot-bench")
                        .connector("hubspot")
                        .baseUrl(fake.baseUrl())
                        .settings(Map.of(HubSpotConnector.PORTAL_ID, "62515"))
                        .budget(new BudgetSettings(1_000_000, 1_000_000, Duration.ofSeconds(1)))
                        .build())
                .tokenStore(tokens)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .auditSink(AuditSink.logging())
                .build();
        connection = switchboard.connection("hubspot-bench");
        raw = new OkHttpClient();
        mapper = new ObjectMapper();
    }

    /** Fresh fake state per iteration: the seed, lifted limits, an empty request journal. */
    @Setup(Level.Iteration)
    public void seed() {
        fake.reset();
        fake.rateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))
                .searchRateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))
                .dailyLimit(Long.MAX_VALUE);
        fake.seed("contacts", RECORDS, Instant.parse("2026-05-01T00:00:00Z"), Duration.ofSeconds(1));
        to = Instant.now().toEpochMilli() + 1;
    }

    @TearDown(Level.Trial)
    public void stop() {
        switchboard.close();
        raw.dispatcher().executorService().shutdown();
        raw.connectionPool().evictAll();
        fake.close();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void switchboard(Blackhole bh) {
        int n = 0;
        try (RecordStream records =
                connection.read(CONTEXT, ReadRequest.of("contacts").pageSize(PAGE))) {
            for (Record r : records) {
                bh.consume(r.data().string("email"));
                n++;
            }
            bh.consume(records.checkpoint());
        }
        check(n);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void rawOkHttpJackson(Blackhole bh) throws IOException {
        int n = 0;
        String after = null;
        do {
            JsonNode page = search(after);
            for (JsonNode r : page.get("results")) {
                bh.consume(r.get("properties").get("email").asText());
                n++;
            }
            JsonNode next = page.path("paging").path("next").path("after");
            after = next.isMissingNode() ? null : next.asText();
        } while (after != null);
        check(n);
    }

    private JsonNode search(@Nullable String after) throws IOException {
        String body =
                "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"GTE\",\"value\":\"0\"},"
                        + "{\"propertyName\":\"lastmodifieddate\",\"operator\":\"LT\",\"value\":\"" + to + "\"}]}],"
                        + "\"sorts\":[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"ASCENDING\"}],"
                        + "\"properties\":" + PROPERTIES + ",\"limit\":" + PAGE
                        + (after == null ? "" : ",\"after\":\"" + after + "\"") + "}";
        Request request = new Request.Builder()
                .url(fake.baseUrl() + "/crm/v3/objects/contacts/search")
                .header("Authorization", "Bearer " + VendorFake.ACCESS_TOKEN)
                .post(RequestBody.create(body, JSON))
                .build();
        try (Response response = raw.newCall(request).execute()) {
            if (response.code() != 200) {
                throw new IOException("HTTP " + response.code());
            }
            return mapper.readTree(response.body().byteStream());
        }
    }

    private static void check(int n) {
        if (n != RECORDS) {
            throw new IllegalStateException("read " + n + " records, expected " + RECORDS);
        }
    }
}
