package dev.switchboard.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.switchboard.core.error.CircuitOpenException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.QuotaExhaustedException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.support.PipelineFixture;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline against a real local HTTP server. Assertions count the requests the server received
 * and the virtual time the injected sleeper was asked to wait; nothing here depends on real time
 * except the read-timeout test, which only needs the timeout to fire.
 */
class HttpPipelineTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private PipelineFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new PipelineFixture(server.baseUrl());
    }

    private int requests(String path) {
        return server.findAll(getRequestedFor(urlPathEqualTo(path))).size()
                + server.findAll(postRequestedFor(urlPathEqualTo(path))).size();
    }

    /**
     * Four attempts, set here rather than read from {@link HttpSettings#defaults()}: a count expected from the
     * code under test passes with no retry at all if the default becomes 1.
     */
    private static HttpSettings fourAttempts() {
        return HttpSettings.custom()
                .maxAttempts(4)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(5))
                .build();
    }

    private void sequence(String path, com.github.tomakehurst.wiremock.client.MappingBuilder... steps) {
        // Each step answers once, in order; the last keeps answering.
        for (int i = 0; i < steps.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "step-" + i;
            var mapping = steps[i].inScenario(path).whenScenarioStateIs(state);
            if (i < steps.length - 1) {
                mapping = mapping.willSetStateTo("step-" + (i + 1));
            }
            server.stubFor(mapping);
        }
    }

    @Test
    void retryAfterInSecondsIsWaitedExactlyThenTheCallSucceeds() {
        sequence(
                "/items",
                get(urlPathEqualTo("/items"))
                        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")),
                get(urlPathEqualTo("/items")).willReturn(okJson("{\"ok\":true}")));

        VendorResponse response =
                fixture.http().execute(VendorRequest.get("/items").build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(requests("/items")).isEqualTo(2);
        assertThat(fixture.clock.totalSlept()).isEqualTo(Duration.ofSeconds(7));
        assertThat(fixture.counter("switchboard.http.throttled")).isEqualTo(1);
    }

    @Test
    void retryAfterAsHttpDateIsWaitedUntilThatDate() {
        String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                fixture.clock.instant().plusSeconds(5).atOffset(ZoneOffset.UTC));
        sequence(
                "/items",
                get(urlPathEqualTo("/items"))
                        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", inFiveSeconds)),
                get(urlPathEqualTo("/items")).willReturn(okJson("{}")));

        fixture.http().execute(VendorRequest.get("/items").build());

        assertThat(requests("/items")).isEqualTo(2);
        assertThat(fixture.clock.totalSlept()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void a503StormIsOutlastedWithBackoffWithinTheCap() {
        sequence(
                "/items",
                get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(503)),
                get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(503)),
                get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(503)),
                get(urlPathEqualTo("/items")).willReturn(okJson("{}")));

        assertThat(fixture.http().execute(VendorRequest.get("/items").build()).status())
                .isEqualTo(200);
        assertThat(requests("/items")).isEqualTo(4);
        assertThat(fixture.counter("switchboard.http.retries", "reason", "TRANSIENT"))
                .isEqualTo(3);
        // Full jitter from the fixture's new Random(42): nextLong(101), nextLong(201), nextLong(401), i.e.
        // uniform under the ceilings 100, 200 and 400 ms. A fixed wait at the ceiling, or none, fails this.
        assertThat(fixture.sleeps)
                .containsExactly(Duration.ofMillis(2), Duration.ofMillis(106), Duration.ofMillis(260));
    }

    @Test
    void backoffWaitsAreFullJitterUnderADoublingCeilingCappedAtTheCap() {
        fixture.settings(HttpSettings.custom()
                .maxAttempts(8)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(1_000))
                .maxTotalWait(Duration.ofMinutes(10))
                .build());
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOf(TransientException.class);

        // From first principles, not from Backoff: retry n waits a uniform draw from [0, ceiling(n)], where the
        // ceiling starts at the base and doubles up to the cap, drawn from the fixture's generator, new Random(42).
        // Ceilings 100, 200, 400, 800, then 1000 (the cap) for retries 5 to 7.
        Random seeded = new Random(42);
        List<Duration> expected = new ArrayList<>();
        long ceiling = 100;
        for (int retry = 1; retry <= 7; retry++) {
            long wait = seeded.nextLong(ceiling + 1);
            if (wait > 0) {
                expected.add(Duration.ofMillis(wait)); // the fixture records only real waits
            }
            ceiling = Math.min(1_000, ceiling * 2);
        }
        assertThat(requests("/items")).isEqualTo(8);
        assertThat(fixture.sleeps).containsExactlyElementsOf(expected);
    }

    @Test
    void withTheDefaultSettingsA503StormIsTriedFiveTimes() {
        fixture.settings(HttpSettings.defaults());
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOf(TransientException.class);
        assertThat(requests("/items")).isEqualTo(5); // written here, not read from defaults()
        // Four backoffs under the ceilings 250, 500, 1000 and 2000 ms.
        assertThat(fixture.clock.totalSlept()).isLessThanOrEqualTo(Duration.ofMillis(3_750));
    }

    @Test
    void a503StormLongerThanTheAttemptsFailsTransientWithNextStepRetry() {
        fixture.settings(fourAttempts());
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOfSatisfying(
                        TransientException.class, e -> assertThat(e.nextStep()).isEqualTo(NextStep.RETRY_AFTER));
        assertThat(requests("/items")).isEqualTo(4);
    }

    @Test
    void a500OnAPostWithoutIdempotencyKeyIsNotRetried() {
        server.stubFor(post(urlPathEqualTo("/comments")).willReturn(aResponse().withStatus(500)));

        assertThatThrownBy(() -> fixture.http()
                        .execute(VendorRequest.post("/comments")
                                .jsonBody(JsonObject.builder().put("text", "hi").build())
                                .build()))
                .isInstanceOfSatisfying(
                        OutcomeUnknownException.class,
                        e -> assertThat(e.nextStep()).isEqualTo(NextStep.ASK_USER));
        assertThat(requests("/comments")).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyAloneDoesNotMakeAPostRetrySafe() {
        server.stubFor(post(urlPathEqualTo("/comments")).willReturn(aResponse().withStatus(503)));

        // The connector does not declare that its vendor honours the key: a repeat could post twice.
        assertThatThrownBy(() -> fixture.http()
                        .execute(VendorRequest.post("/comments")
                                .jsonBody(JsonObject.builder().put("text", "hi").build())
                                .idempotencyKey("key-123")
                                .build()))
                .isInstanceOf(OutcomeUnknownException.class);
        assertThat(requests("/comments")).isEqualTo(1);
    }

    @Test
    void aPostWithAnIdempotencyKeyIsRetriedWithTheSameKeyWhereTheVendorHonoursIt() {
        fixture.honoursIdempotencyKeys(true);
        sequence(
                "/comments",
                post(urlPathEqualTo("/comments")).willReturn(aResponse().withStatus(503)),
                post(urlPathEqualTo("/comments")).willReturn(okJson("{\"id\":\"c1\"}")));

        VendorResponse response = fixture.http()
                .execute(VendorRequest.post("/comments")
                        .jsonBody(JsonObject.builder().put("text", "hi").build())
                        .idempotencyKey("key-123")
                        .build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(server.findAll(postRequestedFor(urlPathEqualTo("/comments"))))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo("key-123"));
    }

    @Test
    void aConnectionResetOnAGetIsRetried() {
        sequence(
                "/items",
                get(urlPathEqualTo("/items")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                get(urlPathEqualTo("/items")).willReturn(okJson("{}")));

        assertThat(fixture.http().execute(VendorRequest.get("/items").build()).status())
                .isEqualTo(200);
        assertThat(requests("/items")).isEqualTo(2);
    }

    @Test
    void aConnectionResetOnAPostThatReachedTheServerIsOutcomeUnknown() {
        server.stubFor(
                post(urlPathEqualTo("/comments")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> fixture.http()
                        .execute(VendorRequest.post("/comments")
                                .jsonBody(JsonObject.empty())
                                .build()))
                .isInstanceOf(OutcomeUnknownException.class);
        assertThat(requests("/comments")).isEqualTo(1);
    }

    @Test
    void aPostThatNeverLeftIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PipelineFixture nowhere = new PipelineFixture("http://127.0.0.1:" + closedPort).settings(fourAttempts());

        assertThatThrownBy(() -> nowhere.http()
                        .execute(VendorRequest.post("/comments")
                                .jsonBody(JsonObject.empty())
                                .build()))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("connection failed");
        // Connection refused proves the vendor never saw it: every attempt was made.
        assertThat(nowhere.timerCount("switchboard.http.requests", "status", "IO_ERROR"))
                .isEqualTo(4);
    }

    @Test
    void aReadTimeoutIsRetried() {
        fixture.settings(HttpSettings.custom()
                .readTimeout(Duration.ofMillis(150))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                .build());
        sequence(
                "/slow",
                get(urlPathEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(2_000)),
                get(urlPathEqualTo("/slow")).willReturn(okJson("{\"fast\":true}")));

        VendorResponse response =
                fixture.http().execute(VendorRequest.get("/slow").build());

        assertThat(response.bodyString()).contains("fast");
        assertThat(requests("/slow")).isEqualTo(2);
    }

    @Test
    void waitingLongerThanTheTotalCapFailsRateLimitedWithTheServersWait() {
        server.stubFor(get(urlPathEqualTo("/items"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
                    assertThat(e.nextStep()).isEqualTo(NextStep.RETRY_AFTER);
                });
        assertThat(requests("/items")).isEqualTo(1);
        assertThat(fixture.clock.totalSlept()).isZero();
    }

    @Test
    void throttlingForeverStopsAtTheAttemptLimitAsRateLimited() {
        fixture.settings(fourAttempts());
        server.stubFor(get(urlPathEqualTo("/items"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOf(RateLimitedException.class);
        assertThat(requests("/items")).isEqualTo(4);
    }

    @Test
    void throttlingWithoutAServerWaitSuggestsTheNextBackoffWhenAttemptsRunOut() {
        fixture.settings(HttpSettings.custom()
                .maxAttempts(3)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .build());
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(429)));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.retryAfter())
                                .contains(Duration.ofSeconds(8))); // ceiling of attempt 4: 1 s * 2^3
        assertThat(requests("/items")).isEqualTo(3);
    }

    @Test
    void theCircuitOpensAfterFailuresAndSendsNothingWhileOpen() {
        fixture.settings(HttpSettings.custom()
                .maxAttempts(1)
                .circuitBreaker(50, 4, 4, Duration.ofSeconds(30))
                .build());
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(500)));
        VendorHttp http = fixture.http();

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                    .isInstanceOf(TransientException.class);
        }
        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOfSatisfying(
                        CircuitOpenException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)));
        assertThat(requests("/items")).isEqualTo(4);

        // After the open wait, a trial call goes through again.
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{}")));
        fixture.clock.advance(Duration.ofSeconds(31));
        assertThat(http.execute(VendorRequest.get("/items").build()).status()).isEqualTo(200);
    }

    @Test
    void anOpenBreakerFailsBeforeABudgetPermitIsTaken() {
        fixture.budget(new BudgetSettings(3, 3, Duration.ofHours(1)))
                .settings(HttpSettings.custom()
                        .maxAttempts(1)
                        .maxTotalWait(Duration.ZERO)
                        .circuitBreaker(50, 2, 2, Duration.ofSeconds(30))
                        .build());
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(500)));
        VendorHttp http = fixture.http();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                    .isInstanceOf(TransientException.class);
        }

        // Open: refused before the budget is asked, so its third permit stays.
        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOf(CircuitOpenException.class);
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{}")));
        fixture.clock.advance(Duration.ofSeconds(31)); // half-open; the budget refills 3 an hour: no new permit
        assertThat(http.execute(VendorRequest.get("/items").build()).status()).isEqualTo(200);
        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOf(RateLimitedException.class);
        assertThat(requests("/items")).isEqualTo(3);
        assertThat(fixture.clock.totalSlept()).isZero();
    }

    @Test
    void twoCallsThatExhaustTheirRetriesLeaveTheBucketsBreakerClosedForItsOtherConnections() {
        // Breaker defaults: open at 50% failures of the last 20 calls, counted from 10 calls on.
        server.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(503)));
        VendorRequest search =
                VendorRequest.get("/search").budgetKey("vendor:search").build();
        for (String connection : List.of("conn-a", "conn-b")) {
            assertThatThrownBy(() ->
                            fixture.pipeline(connection).bind(null, false, true).execute(search))
                    .isInstanceOf(TransientException.class);
        }
        assertThat(requests("/search")).isEqualTo(10); // 2 calls x 5 attempts: 2 outcomes, not 10

        assertThat(fixture.breakers.circuitBreaker("vendor:search").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        server.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson("{}")));
        assertThat(fixture.pipeline("conn-c")
                        .bind(null, false, true)
                        .execute(search)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void tenCallsThatExhaustTheirRetriesOpenTheBucketsBreaker() {
        server.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(503)));
        VendorRequest search =
                VendorRequest.get("/search").budgetKey("vendor:search").build();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() ->
                            fixture.pipeline("conn-a").bind(null, false, true).execute(search))
                    .isInstanceOf(TransientException.class);
        }

        assertThat(fixture.breakers.circuitBreaker("vendor:search").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(
                        () -> fixture.pipeline("conn-b").bind(null, false, true).execute(search))
                .isInstanceOf(CircuitOpenException.class);
        assertThat(requests("/search")).isEqualTo(50);
    }

    @Test
    void eachVendorBucketHasItsOwnCircuit() {
        fixture.settings(HttpSettings.custom()
                .maxAttempts(1)
                .circuitBreaker(50, 4, 4, Duration.ofSeconds(30))
                .build());
        server.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(500)));
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{}")));
        VendorHttp http = fixture.http();

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> http.execute(VendorRequest.get("/search")
                            .budgetKey("vendor:search")
                            .build()))
                    .isInstanceOf(i < 4 ? TransientException.class : CircuitOpenException.class);
        }
        assertThat(http.execute(VendorRequest.get("/items").build()).status()).isEqualTo(200);
        assertThat(requests("/search")).isEqualTo(4);
    }

    @Test
    void throttlingDoesNotOpenTheCircuit() {
        fixture.settings(HttpSettings.custom()
                .maxAttempts(1)
                .circuitBreaker(50, 4, 4, Duration.ofSeconds(30))
                .build());
        server.stubFor(get(urlPathEqualTo("/items"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        VendorHttp http = fixture.http();

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                    .isInstanceOf(RateLimitedException.class);
        }
        assertThat(requests("/items")).isEqualTo(10);
    }

    @Test
    void aResponseOverTheSizeBoundFailsCleanly() {
        fixture.settings(HttpSettings.custom().maxResponseBytes(2048).build());
        server.stubFor(get(urlPathEqualTo("/big")).willReturn(okJson("{\"data\":\"" + "x".repeat(10_000) + "\"}")));
        server.stubFor(get(urlPathEqualTo("/big-chunked"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Transfer-Encoding", "chunked")
                        .withBody("y".repeat(10_000))));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/big").build()))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("maxResponseBytes");
        assertThatThrownBy(() ->
                        fixture.http().execute(VendorRequest.get("/big-chunked").build()))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("more than 2048 bytes");
        assertThat(requests("/big")).isEqualTo(1);
        assertThat(fixture.timerCount("switchboard.http.requests", "outcome", "TOO_LARGE"))
                .isEqualTo(2);
    }

    @Test
    void malformedJsonIsPermanentAndNotRetried() {
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{\"items\": [1, 2,, 3]}")));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("malformed JSON");
        assertThat(requests("/items")).isEqualTo(1);
        assertThat(fixture.timerCount("switchboard.http.requests", "outcome", "MALFORMED"))
                .isEqualTo(1);
    }

    @Test
    void aNumberWithAHugeExponentIsAMalformedBodyNotAnUntypedException() {
        server.stubFor(get(urlPathEqualTo("/items"))
                .willReturn(okJson("{\"items\": [{\"id\": \"1\", \"amount\": 1e9999999999}]}")));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("number out of range");
        assertThat(requests("/items")).isEqualTo(1);
    }

    @Test
    void truncatedJsonIsRetriedThenFailsTransient() {
        fixture.settings(fourAttempts());
        server.stubFor(
                get(urlPathEqualTo("/items")).willReturn(okJson("{\"items\": [{\"id\": \"1\"}, {\"id\": \"2\"")));

        assertThatThrownBy(
                        () -> fixture.http().execute(VendorRequest.get("/items").build()))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("truncated JSON");
        assertThat(requests("/items")).isEqualTo(4);
    }

    @Test
    void aBodyCutOffMidStreamIsTransient() {
        sequence(
                "/items",
                get(urlPathEqualTo("/items")).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
                get(urlPathEqualTo("/items")).willReturn(okJson("{\"n\":1}")));

        assertThat(fixture.http().execute(VendorRequest.get("/items").build()).bodyString())
                .isEqualTo("{\"n\":1}");
        assertThat(requests("/items")).isEqualTo(2);
    }

    @Test
    void theBudgetSmoothsABurstBeforeTheVendorHasToSay429() {
        fixture.budget(BudgetSettings.of(2, Duration.ofSeconds(1)));
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{}")));
        VendorHttp http = fixture.http();

        for (int i = 0; i < 6; i++) {
            http.execute(VendorRequest.get("/items").build());
        }

        assertThat(requests("/items")).isEqualTo(6);
        // 2 at once, then 2 per second: the last 4 wait 2 s of virtual time in all.
        assertThat(fixture.clock.totalSlept()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aVendorSayingNothingRemainsPausesTheBudgetUntilItsReset() {
        sequence(
                "/items",
                get(urlPathEqualTo("/items"))
                        .willReturn(okJson("{}")
                                .withHeader("X-RateLimit-Remaining", "0")
                                .withHeader("X-RateLimit-Reset", "9")),
                get(urlPathEqualTo("/items")).willReturn(okJson("{}")));
        VendorHttp http = fixture.http();

        http.execute(VendorRequest.get("/items").build());
        http.execute(VendorRequest.get("/items").build());

        assertThat(requests("/items")).isEqualTo(2);
        assertThat(fixture.clock.totalSlept()).isEqualTo(Duration.ofSeconds(9));
        assertThat(fixture.counter("switchboard.http.throttled")).isZero();
    }

    @Test
    void aServersWaitToOneCallerHoldsAnotherCallerOfTheSameBucket() throws Exception {
        fixture.settings(HttpSettings.custom().maxAttempts(1).build());
        List<Instant> answeredAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        fixture.classifier((response, clock) -> {
            answeredAt.add(clock.instant()); // no time passes on the wire: the virtual time the request was sent
            return ResponseClassifier.standard().classify(response, clock);
        });
        sequence(
                "/search",
                get(urlPathEqualTo("/search"))
                        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")),
                get(urlPathEqualTo("/search")).willReturn(okJson("{}")));
        Instant start = fixture.clock.instant();
        VendorHttp callerA = fixture.pipeline("conn-a").bind(null, false, true);
        VendorHttp callerB = fixture.pipeline("conn-b").bind(null, false, true);

        // A is told to wait 7 s and, with one attempt, gives up at once: nothing of A waits.
        assertThatThrownBy(() -> callerA.execute(
                        VendorRequest.get("/search").budgetKey("vendor:search").build()))
                .isInstanceOf(RateLimitedException.class);
        assertThat(fixture.sleeps).isEmpty();
        // B, another connection on another thread, shares the bucket: it must not send before the pause ends.
        java.util.concurrent.atomic.AtomicReference<VendorResponse> b =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread other = new Thread(() -> b.set(callerB.execute(
                VendorRequest.get("/search").budgetKey("vendor:search").build())));
        other.start();
        other.join(10_000);

        assertThat(b.get().status()).isEqualTo(200);
        assertThat(requests("/search")).isEqualTo(2);
        assertThat(fixture.sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(answeredAt).containsExactly(start, start.plusSeconds(7));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 5})
    void aVendorsRemainingCountDrainsTheLocalBucketToIt(int remaining) {
        // 10 at once, refilled one per 100 ms: without the vendor's word, 10 calls go without a wait.
        fixture.budget(BudgetSettings.of(10, Duration.ofSeconds(1)));
        sequence(
                "/items",
                get(urlPathEqualTo("/items"))
                        .willReturn(okJson("{}").withHeader("X-RateLimit-Remaining", Integer.toString(remaining))),
                get(urlPathEqualTo("/items")).willReturn(okJson("{}")));
        VendorHttp http = fixture.http();

        // The first answer says `remaining` are left: the bucket holds at most that many, so after it exactly
        // `remaining` calls go at once and the next one waits for one refill.
        for (int i = 0; i < remaining + 2; i++) {
            http.execute(VendorRequest.get("/items").build());
        }

        assertThat(requests("/items")).isEqualTo(remaining + 2);
        assertThat(fixture.sleeps).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void aBudgetWaitBeyondTheCapFailsWithoutSending() {
        fixture.settings(
                HttpSettings.custom().maxTotalWait(Duration.ofSeconds(5)).build());
        server.stubFor(get(urlPathEqualTo("/items"))
                .willReturn(
                        okJson("{}").withHeader("X-RateLimit-Remaining", "0").withHeader("X-RateLimit-Reset", "60")));
        VendorHttp http = fixture.http();
        http.execute(VendorRequest.get("/items").build());

        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.retryAfter().orElseThrow()).isEqualTo(Duration.ofSeconds(60)));
        assertThat(requests("/items")).isEqualTo(1);
    }

    @Test
    void eachVendorBucketHasItsOwnSize() {
        fixture.budgetFor(key -> key.equals("vendor:search") ? BudgetSettings.of(1, Duration.ofSeconds(1)) : null);
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{}")));
        server.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson("{}")));
        VendorHttp http = fixture.http();

        for (int i = 0; i < 3; i++) {
            http.execute(VendorRequest.get("/items").build());
        }
        assertThat(fixture.clock.totalSlept()).isZero();
        for (int i = 0; i < 3; i++) {
            http.execute(VendorRequest.get("/search").budgetKey("vendor:search").build());
        }
        assertThat(fixture.clock.totalSlept()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aSpentQuotaFailsLaterCallsAsQuotaWithoutSending() {
        Instant midnight = fixture.clock.instant().plus(Duration.ofHours(12));
        fixture.classifier((response, clock) -> response.status() == 429
                ? ResponseClass.quotaExhausted(midnight, "DAILY")
                : ResponseClassifier.standard().classify(response, clock));
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(429)));
        VendorHttp http = fixture.http();

        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOfSatisfying(
                        QuotaExhaustedException.class,
                        e -> assertThat(e.until()).isEqualTo(midnight));
        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOfSatisfying(QuotaExhaustedException.class, e -> {
                    assertThat(e.until()).isEqualTo(midnight);
                    assertThat(e.retryAfter()).contains(Duration.ofHours(12));
                });
        assertThat(requests("/items")).isEqualTo(1);
    }

    @Test
    void aVendorValidationErrorIsTheCallersToFix() {
        fixture.classifier((response, clock) -> response.status() == 400
                ? ResponseClass.invalidInput("VALIDATION_ERROR", "Property values were not valid")
                : ResponseClassifier.standard().classify(response, clock));
        server.stubFor(post(urlPathEqualTo("/tickets")).willReturn(aResponse().withStatus(400)));

        assertThatThrownBy(() -> fixture.http()
                        .execute(VendorRequest.post("/tickets")
                                .jsonBody(JsonObject.empty())
                                .build()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.nextStep()).isEqualTo(NextStep.FIX_INPUT);
                    assertThat(e)
                            .hasMessageContaining("VALIDATION_ERROR")
                            .hasMessageContaining("Property values were not valid");
                    assertThat(e.violations()).containsExactly("Property values were not valid");
                });
        assertThat(requests("/tickets")).isEqualTo(1);
    }

    @Test
    void aServerWaitThatSpendsTheWholeAllowanceStillLetsAFreePermitThrough() {
        fixture.budget(BudgetSettings.of(10, Duration.ofSeconds(1)))
                .settings(HttpSettings.custom()
                        .maxTotalWait(Duration.ofSeconds(5))
                        .build());
        sequence(
                "/items",
                get(urlPathEqualTo("/items"))
                        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5")),
                get(urlPathEqualTo("/items")).willReturn(okJson("{}")));

        assertThat(fixture.http().execute(VendorRequest.get("/items").build()).status())
                .isEqualTo(200);
        assertThat(requests("/items")).isEqualTo(2);
    }

    @Test
    void aCutOffAnswerToAWriteIsOutcomeUnknown() {
        server.stubFor(post(urlPathEqualTo("/comments")).willReturn(okJson("{\"id\": \"c1\", \"text\": \"hel")));

        assertThatThrownBy(() -> fixture.http()
                        .execute(VendorRequest.post("/comments")
                                .jsonBody(JsonObject.empty())
                                .build()))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("truncated JSON");
        assertThat(requests("/comments")).isEqualTo(1);
    }

    @Test
    void aRequestsOwnRetryDeclarationWinsOverItsActions() {
        fixture.settings(fourAttempts());
        server.stubFor(post(urlPathEqualTo("/comments")).willReturn(aResponse().withStatus(500)));
        VendorHttp retrySafeAction = fixture.pipeline().bind(null, true, true);

        assertThatThrownBy(() -> retrySafeAction.execute(VendorRequest.post("/comments")
                        .jsonBody(JsonObject.empty())
                        .retrySafe(false)
                        .build()))
                .isInstanceOf(OutcomeUnknownException.class);
        assertThat(requests("/comments")).isEqualTo(1);

        assertThatThrownBy(() -> retrySafeAction.execute(VendorRequest.post("/comments")
                        .jsonBody(JsonObject.empty())
                        .build()))
                .isInstanceOf(TransientException.class);
        assertThat(requests("/comments")).isEqualTo(1 + 4);
    }

    @Test
    void aConnectorClassifierSeesThroughA200() {
        // Slack-style: HTTP 200 with ok:false and a throttling error.
        fixture.classifier((response, clock) -> {
            JsonObject body = (JsonObject) response.json();
            return Boolean.FALSE.equals(body.bool("ok")) && "ratelimited".equals(body.string("error"))
                    ? ResponseClass.throttled(Duration.ofSeconds(3), "tier3")
                    : ResponseClassifier.standard().classify(response, clock);
        });
        sequence(
                "/chat",
                get(urlPathEqualTo("/chat")).willReturn(okJson("{\"ok\":false,\"error\":\"ratelimited\"}")),
                get(urlPathEqualTo("/chat")).willReturn(okJson("{\"ok\":true}")));

        VendorResponse response =
                fixture.http().execute(VendorRequest.get("/chat").build());

        assertThat(((JsonObject) response.json()).bool("ok")).isTrue();
        assertThat(fixture.clock.totalSlept()).isEqualTo(Duration.ofSeconds(3));
        assertThat(fixture.counter("switchboard.http.throttled", "scope", "tier3"))
                .isEqualTo(1);
    }

    @Test
    void anHtmlErrorPageIsClassifiedByStatusEvenWhenTheClassifierExpectsJson() {
        fixture.classifier((response, clock) -> {
            response.json(); // a JSON-only classifier
            return ResponseClassifier.standard().classify(response, clock);
        });
        sequence(
                "/items",
                get(urlPathEqualTo("/items"))
                        .willReturn(aResponse().withStatus(502).withBody("<html>Bad gateway</html>")),
                get(urlPathEqualTo("/items")).willReturn(okJson("{}")));

        assertThat(fixture.http().execute(VendorRequest.get("/items").build()).status())
                .isEqualTo(200);
        assertThat(requests("/items")).isEqualTo(2);
    }

    @Test
    void queryParametersAreSentAndHeadersPassThrough() {
        server.stubFor(get(urlPathEqualTo("/search"))
                .withQueryParam("q", equalTo("a b&c"))
                .withHeader("X-Trace", equalTo("t1"))
                .willReturn(okJson("{\"found\":1}")));

        VendorResponse response = fixture.http()
                .execute(VendorRequest.get("/search")
                        .query("q", "a b&c")
                        .header("X-Trace", "t1")
                        .build());

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void a401ToARequestSentWithoutACredentialSaysSoAndAsksForNoReauthorization() {
        server.stubFor(get(urlPathEqualTo("/private")).willReturn(aResponse().withStatus(401)));

        // The fixture has no credential source, like a connector declaring AuthKind.NONE.
        assertThatThrownBy(() ->
                        fixture.http().execute(VendorRequest.get("/private").build()))
                .isInstanceOfSatisfying(PermanentException.class, e -> {
                    assertThat(e.nextStep()).isEqualTo(NextStep.GIVE_UP);
                    assertThat(e.status()).hasValue(401);
                    assertThat(e)
                            .hasMessageContaining("HTTP 401")
                            .hasMessageContaining("sent without a credential")
                            .hasMessageContaining("declares AuthKind.NONE")
                            .hasMessageContaining("configure the connection's credential")
                            .hasMessageNotContaining("after a refresh");
                });
        assertThat(requests("/private")).isEqualTo(1);
    }

    @Test
    void aVendorInputErrorOnARequestWithoutCallerInputIsPermanent() {
        fixture.classifier((response, clock) -> response.status() == 404
                ? ResponseClass.invalidInput("NOT_FOUND", "No such object type")
                : ResponseClassifier.standard().classify(response, clock));
        server.stubFor(
                get(urlPathEqualTo("/schema/tickets")).willReturn(aResponse().withStatus(404)));
        VendorRequest metadata = VendorRequest.get("/schema/tickets").build();

        assertThatThrownBy(() -> fixture.pipeline().bind(null, false, false).execute(metadata))
                .isInstanceOfSatisfying(PermanentException.class, e -> {
                    assertThat(e.nextStep()).isEqualTo(NextStep.GIVE_UP);
                    assertThat(e.status()).hasValue(404);
                    assertThat(e).hasMessageContaining("HTTP 404").hasMessageContaining("nothing to fix");
                });
        // A request's own declaration wins over its binding.
        assertThatThrownBy(() -> fixture.pipeline()
                        .bind(null, false, false)
                        .execute(metadata.newBuilder().callerInput(true).build()))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.nextStep()).isEqualTo(NextStep.FIX_INPUT));
        assertThat(requests("/schema/tickets")).isEqualTo(2);
    }

    @Test
    void aPermanentErrorIsNotRetriedAndNamesTheStatus() {
        server.stubFor(get(urlPathEqualTo("/missing")).willReturn(aResponse().withStatus(404)));

        assertThatThrownBy(() ->
                        fixture.http().execute(VendorRequest.get("/missing").build()))
                .isInstanceOfSatisfying(PermanentException.class, e -> {
                    assertThat(e.nextStep()).isEqualTo(NextStep.GIVE_UP);
                    assertThat(e.status()).hasValue(404);
                    assertThat(e.vendorCode()).contains("HTTP_404");
                    assertThat(e).hasMessageContaining("404").hasMessageContaining("testvendor");
                });
        assertThat(requests("/missing")).isEqualTo(1);
    }
}
