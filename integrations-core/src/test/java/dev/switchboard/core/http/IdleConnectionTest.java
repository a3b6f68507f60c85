package dev.switchboard.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.support.IdleClosingServer;
import dev.switchboard.core.support.PipelineFixture;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Pooled connections against a server that closes idle keep-alive connections (Node does after 5 s),
 * here after 200 ms, with a real 400 ms gap between two POSTs. Only these gaps are real time.
 */
class IdleConnectionTest {
    private static final Duration SERVER_CLOSES_IDLE_AFTER = Duration.ofMillis(200);
    private static final long GAP_MILLIS = 400;

    private static VendorRequest comment() {
        return VendorRequest.post("/comments")
                .jsonBody(JsonObject.builder().put("text", "hi").build())
                .build(); // not retry-safe
    }

    @Test
    void aConnectionIdleLongerThanTheTimeoutIsClosedBeforeTheServerClosesIt() throws Exception {
        try (IdleClosingServer server = new IdleClosingServer(SERVER_CLOSES_IDLE_AFTER)) {
            VendorHttp http = new PipelineFixture(server.baseUrl())
                    .settings(HttpSettings.custom()
                            .idleConnectionTimeout(Duration.ofMillis(50))
                            .build())
                    .http();

            assertThat(http.execute(comment()).status()).isEqualTo(200);
            Thread.sleep(GAP_MILLIS);
            assertThat(http.execute(comment()).status()).isEqualTo(200);

            assertThat(server.connections()).isEqualTo(2); // the second POST went out on a fresh connection
            assertThat(server.requests()).isEqualTo(2);
        }
    }

    @Test
    void closingTheSwitchboardClosesItsPooledConnections() throws Exception {
        ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        TokenStore store = TokenStore.inMemory(clock);
        store.compareAndSet("helpdesk-acme", 0, Credential.builder("access-1").build());
        try (IdleClosingServer server = new IdleClosingServer(Duration.ofMinutes(1))) {
            Switchboard switchboard = Switchboard.builder()
                    .connection(ConnectionConfig.builder("helpdesk-acme")
                            .connector(HelpdeskConnector.ID)
                            .baseUrl(server.baseUrl())
                            .http(HttpSettings.custom()
                                    .idleConnectionTimeout(Duration.ofMinutes(1))
                                    .build())
                            .build())
                    .tokenStore(store)
                    .accessPolicy(AccessPolicy.allowAll())
                    .clock(clock)
                    .sleeper(clock.sleeper())
                    .build();
            switchboard
                    .connection("helpdesk-acme")
                    .execute(AgentContext.of(Principal.user("alice", "acme")), "count_tickets", JsonObject.empty());
            assertThat(server.closedByClient()).isZero();

            switchboard.close();

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // the server reads the close
            while (server.closedByClient() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.closedByClient()).isEqualTo(1);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void withoutEvictionASecondPostIsWrittenIntoTheClosedConnectionAndItsOutcomeIsUnknown() throws Exception {
        try (IdleClosingServer server = new IdleClosingServer(SERVER_CLOSES_IDLE_AFTER)) {
            VendorHttp http = new PipelineFixture(server.baseUrl())
                    .settings(HttpSettings.custom()
                            .idleConnectionTimeout(Duration.ofMinutes(5)) // OkHttp's own default
                            .build())
                    .http();

            assertThat(http.execute(comment()).status()).isEqualTo(200);
            Thread.sleep(GAP_MILLIS);
            // The failure the idle timeout exists for: the POST left, so it cannot be repeated safely.
            assertThatThrownBy(() -> http.execute(comment())).isInstanceOf(OutcomeUnknownException.class);

            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.requests()).isEqualTo(1);
        }
    }
}
