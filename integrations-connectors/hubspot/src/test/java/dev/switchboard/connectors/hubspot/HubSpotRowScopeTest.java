package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.governance.AccountIdentity;
import dev.switchboard.core.governance.AccountMapping;
import dev.switchboard.core.governance.PermissionPolicy;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.VendorFake;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who sees which HubSpot deals, through a real Switchboard whose row rule maps the application's users to
 * the portal's owners ({@link AccountMapping}): the connection's record visibility, team roles, the scope
 * pushed down to search, and the final filter holding when search ignores it.
 */
class HubSpotRowScopeTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    private static final String CONNECTION = "hubspot-acme";
    private static final String PORTAL = "62515";

    /** ana is owner 101 in team 7; ben is owner 102 in no team; globex's users have no HubSpot account. */
    private static final AccountMapping ACCOUNTS = (principal, connection) -> {
        if (!principal.tenantId().equals("acme")) {
            return null;
        }
        return switch (principal.userId()) {
            case "ana" -> new AccountIdentity(PORTAL, "101", Set.of("hubspot:team:7"));
            case "ben" -> new AccountIdentity(PORTAL, "102", Set.of());
            default -> null;
        };
    };

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private Switchboard switchboard;
    private String anasDeal;
    private String bensDeal;
    private String teamDeal;
    private String unowned;

    @BeforeEach
    void setUp() {
        FAKE.clock(clock);
        FAKE.seed("deals", 0);
        Instant at = Instant.parse("2026-05-01T00:00:00Z");
        anasDeal = FAKE.put("deals", deal("101", "7"), at);
        bensDeal = FAKE.put("deals", deal("102", "8"), at.plusSeconds(1));
        teamDeal = FAKE.put("deals", deal("103", "7"), at.plusSeconds(2));
        unowned = FAKE.put("deals", deal(null, null), at.plusSeconds(3));
    }

    @AfterEach
    void close() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    private static Map<String, String> deal(String owner, String team) {
        Map<String, String> p = new HashMap<>();
        p.put("dealname", "Renewal");
        p.put("dealstage", "appointmentscheduled");
        p.put("pipeline", "default");
        p.put("hubspot_owner_id", owner);
        p.put("hubspot_team_id", team);
        return p;
    }

    private void connect(String visibility) {
        Map<String, String> settings = new HashMap<>();
        settings.put(HubSpotConnector.PORTAL_ID, PORTAL);
        if (visibility != null) {
            settings.put(HubSpotConnector.RECORD_VISIBILITY, visibility);
        }
        ConnectionConfig config = ConnectionConfig.builder(CONNECTION)
                .connector("hubspot")
                .baseUrl(FAKE.baseUrl())
                .settings(settings)
                .build();
        TokenStore store = TokenStore.inMemory(clock);
        store.compareAndSet(
                config.credentialKey(Principal.system("any")),
                0,
                Credential.builder(VendorFake.ACCESS_TOKEN).build());
        switchboard = Switchboard.builder()
                .connection(config)
                .tokenStore(store)
                .clock(clock)
                .sleeper(clock.sleeper())
                .accessPolicy(PermissionPolicy.custom()
                        .grant("crm", g -> g.anyUser().connections(CONNECTION).streams("*"))
                        .accounts(ACCOUNTS)
                        .build())
                .build();
    }

    private List<String> read(String user, String tenant) {
        try (RecordStream records = switchboard
                .connection(CONNECTION)
                .read(new AgentContext(Principal.user(user, tenant), "session", "trace"), ReadRequest.of("deals"))) {
            return records.stream()
                    .filter(r -> r.deletedAt() == null)
                    .map(Record::id)
                    .toList();
        }
    }

    private static List<String> searches() {
        return FAKE.requests().stream()
                .filter(r -> r.path().equals("/crm/v3/objects/deals/search"))
                .map(r -> r.json().toJson())
                .toList();
    }

    @Test
    void byDefaultEveryUserOfThePortalSeesEveryDealAndNothingIsPushedDown() {
        connect(null);

        assertThat(read("ben", "acme")).containsExactly(anasDeal, bensDeal, teamDeal, unowned);
        assertThat(searches()).singleElement().asString().doesNotContain("\"propertyName\":\"hubspot_owner_id\"");
    }

    @Test
    void withOwnerVisibilityEachUserSeesTheirOwnDealsAndTheSearchAsksOnlyForThem() {
        connect("owner");

        assertThat(read("ana", "acme")).containsExactly(anasDeal);
        assertThat(read("ben", "acme")).containsExactly(bensDeal);
        assertThat(searches())
                .hasSize(2)
                .satisfiesExactly(
                        s -> assertThat(s)
                                .contains(
                                        "{\"propertyName\":\"hubspot_owner_id\",\"operator\":\"EQ\",\"value\":\"101\"}"),
                        s -> assertThat(s)
                                .contains(
                                        "{\"propertyName\":\"hubspot_owner_id\",\"operator\":\"EQ\",\"value\":\"102\"}"));
    }

    @Test
    void withTeamVisibilityTheTeamsDealsReachItsMembersThroughAnOrOfFilterGroups() {
        connect("team");

        assertThat(read("ana", "acme")).containsExactly(anasDeal, teamDeal);
        assertThat(read("ben", "acme")).containsExactly(bensDeal);
        assertThat(searches().get(0))
                .contains("{\"propertyName\":\"hubspot_team_id\",\"operator\":\"IN\",\"values\":[\"7\"]}");
    }

    @Test
    void aSearchThatIgnoresTheOwnerFilterStillLeaksNoOtherOwnersDeal() {
        FAKE.ignoreFiltersOn("hubspot_owner_id"); // answers every deal, whatever the search asked
        connect("owner");

        assertThat(read("ben", "acme")).containsExactly(bensDeal);
        assertThat(searches()).singleElement().asString().contains("\"value\":\"102\"");
    }

    @Test
    void aPrincipalWithoutAnAccountInThePortalGetsNothingAndThePortalIsNotAsked() {
        connect("owner");

        assertThat(read("zoe", "globex")).isEmpty();
        assertThat(FAKE.requests()).noneMatch(r -> r.path().startsWith("/crm/v3/objects/"));
    }
}
