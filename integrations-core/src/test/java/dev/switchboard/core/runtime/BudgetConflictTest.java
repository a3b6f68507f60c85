package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.support.BucketConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Two connections that size one vendor bucket differently: refused at build, or reported when first met. */
class BudgetConflictTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final BudgetSettings HOURLY = new BudgetSettings(1, 1, Duration.ofHours(1));
    private static final BudgetSettings FAST = new BudgetSettings(100, 100, Duration.ofSeconds(1));

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private Switchboard switchboard;

    @AfterEach
    void tearDown() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    private ConnectionConfig connection(String id, BudgetSettings budget, boolean declare) {
        return ConnectionConfig.builder(id)
                .connector(BucketConnector.ID)
                .baseUrl(server.baseUrl())
                .settings(Map.of(BucketConnector.BUCKET, "vendor:shared", BucketConnector.DECLARE, "" + declare))
                .budget(budget)
                .build();
    }

    private Switchboard.Builder builder(ConnectionConfig... connections) {
        return Switchboard.builder()
                .connector(new BucketConnector())
                .connections(List.of(connections))
                .accessPolicy(AccessPolicy.allowAll())
                .clock(clock)
                .sleeper(clock.sleeper());
    }

    @Test
    void twoSizesForOneDeclaredBucketFailTheBuildNamingBothConnections() {
        assertThatThrownBy(() -> builder(connection("first", HOURLY, true), connection("second", FAST, true))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'first'")
                .hasMessageContaining("'second'")
                .hasMessageContaining("'vendor:shared'")
                .hasMessageContaining("1 at once and 1 per PT1H")
                .hasMessageContaining("100 at once and 100 per PT1S");
    }

    @Test
    void oneSizeForOneDeclaredBucketBuildsAndTheBucketIsKnownBeforeAnyRequest() {
        switchboard = builder(connection("first", HOURLY, true), connection("second", HOURLY, true))
                .build();

        assertThat(switchboard.rateBudgetKeys()).containsExactly("vendor:shared");
    }

    @Test
    void aBucketFirstMetAtRequestTimeWithAnotherSizeKeepsTheFirstAndSaysSoOnce() {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
        captured.start();
        ours.addAppender(captured);
        server.stubFor(get(urlPathEqualTo("/ping")).willReturn(okJson("{}")));
        try {
            switchboard = builder(connection("first", HOURLY, false), connection("second", FAST, false))
                    .build();
            switchboard.connection("first").execute(alice, "ping", JsonObject.empty());
            for (int i = 0; i < 2; i++) {
                // The first connection's size holds: its one permit an hour is spent.
                assertThatThrownBy(() -> switchboard.connection("second").execute(alice, "ping", JsonObject.empty()))
                        .isInstanceOf(RateLimitedException.class);
            }
        } finally {
            ours.detachAppender(captured);
        }

        assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/ping")))).hasSize(1);
        assertThat(captured.list)
                .filteredOn(e -> e.getLevel() == Level.ERROR)
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains("'first'")
                        .contains("'second'")
                        .contains("'vendor:shared'")
                        .contains("1 at once and 1 per PT1H")
                        .contains("100 at once and 100 per PT1S")
                        .contains("keeping the first"));
    }
}
