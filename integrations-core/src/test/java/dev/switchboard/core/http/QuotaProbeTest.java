package dev.switchboard.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.error.QuotaExhaustedException;
import dev.switchboard.core.support.PipelineFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A spent quota whose reset is hours away is tested with one request per probe interval (15 minutes
 * by default), on the injected clock; every other caller fails fast without sending.
 */
class QuotaProbeTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(32))
            .build();

    private final ExecutorService callers = Executors.newFixedThreadPool(16);
    private PipelineFixture fixture;
    private VendorHttp http;

    @BeforeEach
    void setUp() {
        fixture = new PipelineFixture(server.baseUrl());
        Instant reset = fixture.clock.instant().plus(Duration.ofHours(12)); // the vendor's midnight
        fixture.classifier((response, clock) -> response.status() == 429
                ? ResponseClass.quotaExhausted(reset, "DAILY")
                : ResponseClassifier.standard().classify(response, clock));
        http = fixture.http();
    }

    @AfterEach
    void tearDown() {
        callers.shutdownNow();
    }

    private int requests() {
        return server.findAll(getRequestedFor(urlPathEqualTo("/items"))).size();
    }

    /** Sixteen callers at once; returns how many got an answer (the others failed as quota). */
    private int sixteenAtOnce() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            results.add(callers.submit(() -> {
                start.await();
                try {
                    http.execute(VendorRequest.get("/items").build());
                    return true;
                } catch (QuotaExhaustedException e) {
                    return false;
                }
            }));
        }
        start.countDown();
        int answered = 0;
        for (Future<Boolean> r : results) {
            answered += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        return answered;
    }

    @Test
    void oneProbePerIntervalReachesTheVendorWhileItsQuotaIsSpent() throws Exception {
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(429)));
        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOf(QuotaExhaustedException.class);
        assertThat(requests()).isEqualTo(1);

        fixture.clock.advance(Duration.ofMinutes(14)); // before the interval: nothing goes out
        assertThat(sixteenAtOnce()).isZero();
        assertThat(requests()).isEqualTo(1);

        fixture.clock.advance(Duration.ofMinutes(1)); // 15 minutes after the quota answer
        assertThat(sixteenAtOnce()).isZero();
        assertThat(requests()).isEqualTo(2); // exactly one probe, answered "still spent"

        fixture.clock.advance(Duration.ofMinutes(15)); // 15 minutes after that answer
        assertThat(sixteenAtOnce()).isZero();
        assertThat(requests()).isEqualTo(3);
        assertThat(fixture.counter("switchboard.http.quota.probes", "outcome", "spent"))
                .isEqualTo(2);
        assertThat(fixture.clock.totalSlept()).isZero();
    }

    @Test
    void aProbeThatFindsTheQuotaLiftedLetsLaterCallsThrough() {
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(429)));
        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOf(QuotaExhaustedException.class);
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{}"))); // the vendor raised the limit

        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOf(QuotaExhaustedException.class); // not yet probed: nothing sent
        fixture.clock.advance(Duration.ofMinutes(15));
        assertThat(http.execute(VendorRequest.get("/items").build()).status()).isEqualTo(200); // the probe
        assertThat(http.execute(VendorRequest.get("/items").build()).status()).isEqualTo(200);
        assertThat(http.execute(VendorRequest.get("/items").build()).status()).isEqualTo(200);

        assertThat(requests()).isEqualTo(4);
        assertThat(fixture.counter("switchboard.http.quota.probes", "outcome", "lifted"))
                .isEqualTo(1);
        assertThat(fixture.clock.totalSlept()).isZero();
    }

    @Test
    void aQuotaThatResetsWithinTheIntervalIsWaitedOutNotProbed() {
        fixture.settings(HttpSettings.custom()
                .quotaProbeInterval(Duration.ofHours(13))
                .maxTotalWait(Duration.ofHours(1))
                .build());
        http = fixture.http();
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(aResponse().withStatus(429)));
        assertThatThrownBy(() -> http.execute(VendorRequest.get("/items").build()))
                .isInstanceOf(QuotaExhaustedException.class);

        fixture.clock.advance(Duration.ofHours(11).plusMinutes(30));
        server.stubFor(get(urlPathEqualTo("/items")).willReturn(okJson("{}")));
        assertThat(http.execute(VendorRequest.get("/items").build()).status()).isEqualTo(200);

        assertThat(fixture.clock.totalSlept()).isEqualTo(Duration.ofMinutes(30)); // waited out, as before
        assertThat(fixture.counter("switchboard.http.quota.probes", "outcome", "lifted"))
                .isZero();
    }
}
