package dev.switchboard.testkit.budgets;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.http.RateBudgetStore;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.PoolLikeDataSource;
import dev.switchboard.testkit.support.Databases;
import dev.switchboard.testkit.support.EmbeddedPostgres;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two instances (two Switchboards) on one PostgreSQL spend one allowance between them, in virtual time: the
 * counts of requests the vendor receives are the evidence, never how long anything took.
 */
class SharedRateBudgetTest {
    @RegisterExtension
    static WireMockExtension vendor = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private final List<Switchboard> opened = new ArrayList<>();
    private final String table = Databases.freshTable("rate_budgets");

    @BeforeEach
    void vendorAnswers() {
        vendor.stubFor(get(urlPathEqualTo("/ping")).willReturn(okJson("{}")));
    }

    @AfterEach
    void close() {
        opened.forEach(Switchboard::close);
    }

    private RateBudgetStore store(DataSource dataSource) {
        return RateBudgetStore.postgres(dataSource).table(table).build();
    }

    /** An instance of the application: its own Switchboard, its own store object, the same table. */
    private Switchboard instance(RateBudgetStore store, BudgetSettings budget, Duration maxWait) {
        Switchboard sb = Switchboard.builder()
                .discoverConnectors(false)
                .connector(new PingConnector())
                .connection(ConnectionConfig.builder("pinger")
                        .connector(PingConnector.ID)
                        .baseUrl(vendor.baseUrl())
                        .budget(budget)
                        .http(HttpSettings.custom().maxTotalWait(maxWait).build())
                        .build())
                .accessPolicy(AccessPolicy.allowAll())
                .rateBudgetStore(store)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        opened.add(sb);
        return sb;
    }

    private Switchboard instance(BudgetSettings budget, Duration maxWait) {
        return instance(store(Databases.postgres()), budget, maxWait);
    }

    private void ping(Switchboard sb) {
        sb.connection("pinger").execute(alice, "ping", JsonObject.empty());
    }

    private int pings() {
        return vendor.findAll(getRequestedFor(urlPathEqualTo("/ping"))).size();
    }

    @Test
    void twoInstancesSpendOneAllowance() {
        BudgetSettings fivePerHour = new BudgetSettings(5, 5, Duration.ofHours(1));
        Switchboard a = instance(fivePerHour, Duration.ZERO);
        Switchboard b = instance(fivePerHour, Duration.ZERO);

        for (int i = 0; i < 3; i++) {
            ping(a);
        }
        ping(b);
        ping(b);
        assertThatThrownBy(() -> ping(b)).isInstanceOf(RateLimitedException.class);
        assertThatThrownBy(() -> ping(a)).isInstanceOf(RateLimitedException.class);

        assertThat(pings()).isEqualTo(5);
    }

    @Test
    void aCallerThatMayWaitWaitsForTheOtherInstancesRefill() {
        BudgetSettings onePerTenSeconds = new BudgetSettings(1, 1, Duration.ofSeconds(10));
        Switchboard a = instance(onePerTenSeconds, Duration.ofMinutes(1));
        Switchboard b = instance(onePerTenSeconds, Duration.ofMinutes(1));

        ping(a);
        ping(b); // the one token went to a: b waits for the next, in virtual time

        assertThat(pings()).isEqualTo(2);
        assertThat(clock.totalSlept()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aRefusalSaysWhenTheSharedBucketHasATokenAgain() {
        BudgetSettings onePerHour = new BudgetSettings(1, 1, Duration.ofHours(1));
        Switchboard a = instance(onePerHour, Duration.ZERO);
        Switchboard b = instance(onePerHour, Duration.ZERO);
        ping(a);
        clock.advance(Duration.ofMinutes(15));

        assertThatThrownBy(() -> ping(b))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofMinutes(45)))
                .hasMessageContaining("'pinger'");
        assertThat(pings()).isEqualTo(1);
    }

    @Test
    void aVendorSignalSeenByOneInstanceDrainsTheBucketForTheOther() {
        // The vendor's first answer says one request is left in its window; later answers say nothing.
        vendor.stubFor(get(urlPathEqualTo("/ping"))
                .inScenario("window")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{}").withHeader("RateLimit-Remaining", "1"))
                .willSetStateTo("told"));
        vendor.stubFor(get(urlPathEqualTo("/ping"))
                .inScenario("window")
                .whenScenarioStateIs("told")
                .willReturn(okJson("{}")));
        BudgetSettings tenPerHour = new BudgetSettings(10, 10, Duration.ofHours(1));
        Switchboard a = instance(tenPerHour, Duration.ZERO);
        Switchboard b = instance(tenPerHour, Duration.ZERO);

        ping(a); // 10 - 1 = 9 left by our count, 1 by the vendor's: drained to 1
        ping(b);
        assertThatThrownBy(() -> ping(b)).isInstanceOf(RateLimitedException.class);

        assertThat(pings()).isEqualTo(2);
    }

    @Test
    void aDataSourceThatIsNotPostgresIsRefusedNamingWhatItIs() {
        assertThatThrownBy(() -> RateBudgetStore.postgres(Databases.newH2()).build())
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("H2")
                .hasMessageContaining("PostgreSQL")
                .hasMessageContaining("RateBudgetStore.inMemory()");
    }

    @Test
    void anUnreachableDatabaseIsTransientAtBuild() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres");
        nowhere.setUser("postgres");
        nowhere.setConnectTimeout(2);

        assertThatThrownBy(() -> RateBudgetStore.postgres(nowhere).build())
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("cannot reach the database");
    }

    @Test
    void aDatabaseLostAfterBuildFailsTheCallAsTransientAndSendsNothing() {
        Switchable database = new Switchable();
        Switchboard a = instance(store(database), new BudgetSettings(5, 5, Duration.ofHours(1)), Duration.ZERO);
        ping(a);

        database.down = true;
        assertThatThrownBy(() -> ping(a))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("shared rate budget 'pinger'")
                .hasMessageContaining("no request was sent");
        assertThat(pings()).isEqualTo(1);

        database.down = false;
        ping(a);
        assertThat(pings()).isEqualTo(2);
    }

    @Test
    void aRowHeldLongerThanTheRequestTimeoutFailsTheCallAsTransient() throws SQLException {
        Switchboard a = instance(
                RateBudgetStore.postgres(Databases.postgres())
                        .table(table)
                        .requestTimeout(Duration.ofSeconds(1))
                        .build(),
                new BudgetSettings(5, 5, Duration.ofHours(1)),
                Duration.ZERO);
        ping(a); // the budget's row exists now
        try (Connection other = EmbeddedPostgres.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock =
                    other.prepareStatement("SELECT state FROM " + table + " WHERE id = ? FOR UPDATE")) {
                lock.setString(1, "pinger");
                lock.executeQuery().close();
            }
            assertThatThrownBy(() -> ping(a))
                    .isInstanceOf(TransientException.class)
                    .hasMessageContaining("request timeout");
            other.rollback();
        }
        assertThat(pings()).isEqualTo(1);
    }

    /** The shared PostgreSQL, or a database that refuses connections while {@link #down}. */
    private static final class Switchable extends PoolLikeDataSource {
        volatile boolean down;

        @Override
        protected Connection borrow() throws SQLException {
            if (down) {
                throw new SQLException("Connection refused", "08001");
            }
            return Databases.postgres().getConnection();
        }

        @Override
        protected void giveBack(Connection connection) throws SQLException {
            connection.close();
        }
    }
}
