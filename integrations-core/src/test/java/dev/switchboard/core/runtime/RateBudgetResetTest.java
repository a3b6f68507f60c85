package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.QuotaExhaustedException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.support.BucketConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Switchboard#resetRateBudget}: the application lifts a pause it knows is over. */
class RateBudgetResetTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private Switchboard switchboard;

    @AfterEach
    void tearDown() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    private Switchboard build(HttpSettings http) {
        switchboard = Switchboard.builder()
                .connector(new BucketConnector())
                .connection(ConnectionConfig.builder("pinger")
                        .connector(BucketConnector.ID)
                        .baseUrl(server.baseUrl())
                        .budget(new BudgetSettings(1, 1, Duration.ofHours(1)))
                        .http(http)
                        .build())
                .accessPolicy(AccessPolicy.allowAll())
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        return switchboard;
    }

    private void ping() {
        switchboard.connection("pinger").execute(alice, "ping", JsonObject.empty());
    }

    private int pings() {
        return server.findAll(getRequestedFor(urlPathEqualTo("/ping"))).size();
    }

    @Test
    void aResetLiftsASpentQuotaAndRefillsTheBudgetAtOnce() {
        build(HttpSettings.defaults());
        server.stubFor(get(urlPathEqualTo("/ping"))
                .willReturn(aResponse().withStatus(429).withHeader("X-Quota", "daily")));
        assertThatThrownBy(this::ping).isInstanceOf(QuotaExhaustedException.class);
        assertThatThrownBy(this::ping).isInstanceOf(QuotaExhaustedException.class);
        assertThat(pings()).isEqualTo(1);
        server.stubFor(get(urlPathEqualTo("/ping")).willReturn(okJson("{}"))); // the vendor raised the limit

        assertThat(switchboard.rateBudgetKeys()).containsExactly("pinger");
        switchboard.resetRateBudget("pinger");
        ping(); // its one-an-hour permit was spent on the first ping: the reset refilled it

        assertThat(pings()).isEqualTo(2);
        assertThat(clock.totalSlept()).isZero();
    }

    @Test
    void aResetRefillsABudgetTheCallerCouldNotWaitFor() {
        build(HttpSettings.custom().maxTotalWait(Duration.ZERO).build());
        server.stubFor(get(urlPathEqualTo("/ping")).willReturn(okJson("{}")));
        ping();
        assertThatThrownBy(this::ping).isInstanceOf(RateLimitedException.class);

        switchboard.resetRateBudget("pinger");
        ping();

        assertThat(pings()).isEqualTo(2);
    }

    @Test
    void anUnknownKeyIsInvalidInputNamingTheKnownOnes() {
        build(HttpSettings.defaults());
        server.stubFor(get(urlPathEqualTo("/ping")).willReturn(okJson("{}")));
        ping();

        assertThatThrownBy(() -> switchboard.resetRateBudget("hubspot:1:10s"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'hubspot:1:10s'")
                .hasMessageContaining("[pinger]");
    }
}
