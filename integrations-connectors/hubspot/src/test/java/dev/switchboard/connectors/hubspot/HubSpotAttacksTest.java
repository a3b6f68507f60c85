package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.FakeRequest;
import dev.switchboard.testkit.fake.VendorFake;
import dev.switchboard.testkit.secrets.Secrets;
import dev.switchboard.testkit.secrets.TwoTenants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The named attacks on the HubSpot connector, through the public {@code Switchboard} API: search-query
 * injection through where filters (the CRM search body) and the owners API's query parameter. Each test
 * asserts on the request the fake received and on the records that came back; tenant B (its own portal, in
 * the same Switchboard) holds a canary that must never come back to tenant A.
 */
class HubSpotAttacksTest {
    @RegisterExtension
    static final FakeHubSpot TENANT_A = new FakeHubSpot();

    @RegisterExtension
    static final FakeHubSpot TENANT_B = new FakeHubSpot();

    private static final String PORTAL_A = "62515";
    private static final String PORTAL_B = "77001";
    private static final String SEARCH = "/crm/v3/objects/contacts/search";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final AgentContext userOfA = AgentContext.of(Principal.user("41629779", PORTAL_A));
    private final AgentContext userOfB = AgentContext.of(Principal.user("41629779", PORTAL_B));
    private TwoTenants both;
    private Connection tenantA;

    @BeforeEach
    void open() {
        TENANT_B.portalId(PORTAL_B);
        String canary = Secrets.canary();
        TENANT_B.put(
                "contacts",
                Map.of("email", canary + "@example.com", "firstname", canary),
                clock.instant().minusSeconds(60));
        both = new TwoTenants(
                clock,
                new TwoTenants.Tenant(config("hubspot-a", TENANT_A, PORTAL_A), userOfA, credential()),
                new TwoTenants.Tenant(config("hubspot-b", TENANT_B, PORTAL_B), userOfB, credential()));
        tenantA = both.connection("hubspot-a");
    }

    @AfterEach
    void close() {
        both.close();
    }

    @Test
    void jsonInAFilterValueTravelsAsOneStringAndAddsNoFilter() {
        String hostile = "x\"},{\"propertyName\":\"email\",\"operator\":\"NEQ\",\"value\":\"x";

        List<Record> found = read(ReadRequest.of("contacts").where("email", hostile));

        assertThat(found).isEmpty();
        assertThat(TENANT_A.liveIds("contacts"))
                .as("contacts the widened query would have shown")
                .isNotEmpty();
        List<JsonObject> filters = filtersOf(lastSearch());
        assertThat(filters)
                .filteredOn(f -> "email".equals(f.string("propertyName")))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.string("operator")).isEqualTo("EQ");
                    assertThat(f.string("value")).isEqualTo(hostile);
                });
        assertThat(filters).extracting(f -> f.string("operator")).doesNotContain("NEQ");
        both.assertTenantSawNoCanary(found);
    }

    @Test
    void wildcardsAndOperatorWordsInAFilterValueMatchOnlyThemselves() {
        for (String hostile : List.of("*", "%", "* OR email:*", "\\\"", "\n")) {
            List<Record> found = read(ReadRequest.of("contacts").where("email", hostile));

            assertThat(found).as("contacts for %s", hostile).isEmpty();
            assertThat(filtersOf(lastSearch()))
                    .filteredOn(f -> "email".equals(f.string("propertyName")))
                    .extracting(f -> f.string("value"))
                    .containsExactly(hostile);
        }
    }

    @Test
    void aValueFullOfQuotesFindsExactlyTheContactHoldingIt() {
        String hostile = "o'brien+\"eq\"\\*@example.com";
        String target = TENANT_A.put(
                "contacts",
                Map.of("email", hostile, "firstname", "Quoted"),
                clock.instant().minusSeconds(30));
        TENANT_A.put(
                "contacts",
                Map.of("email", "o'brien+eq@example.com", "firstname", "Plain"),
                clock.instant().minusSeconds(30));

        List<Record> found = read(ReadRequest.of("contacts").where("email", hostile));

        assertThat(found).extracting(Record::id).containsExactly(target);
        both.assertTenantSawNoCanary(found);
    }

    @Test
    void aFilterPropertyNameCarryingJsonIsRefusedBeforeAnySearch() {
        int before = searches().size();

        InvalidInputException refused = catchThrowableOfType(
                InvalidInputException.class,
                () -> read(ReadRequest.of("contacts").where("email\",\"operator\":\"HAS_PROPERTY", "x")));

        assertThat(refused).isNotNull();
        assertThat(refused.nextStep()).isEqualTo(NextStep.FIX_INPUT);
        assertThat(searches()).hasSize(before);
    }

    @Test
    void anOwnersEmailCarryingQueryParametersStaysOneParameter() {
        String hostile = "maria.owner@example.com&limit=1&after=0";

        List<Record> found = read(ReadRequest.of("owners").where("email", hostile));

        assertThat(found).isEmpty();
        FakeRequest sent = TENANT_A.requests().stream()
                .filter(r -> r.path().startsWith("/crm/v3/owners"))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(sent.query("email")).isEqualTo(hostile);
        assertThat(sent.query("after")).isNull();
        // The plain address still finds its owner: the filter works, it just does not widen.
        assertThat(read(ReadRequest.of("owners").where("email", "maria.owner@example.com")))
                .hasSize(1);
    }

    private List<Record> read(ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = tenantA.read(userOfA, request)) {
            stream.forEach(records::add);
        }
        return records;
    }

    private static List<FakeRequest> searches() {
        return TENANT_A.requests().stream().filter(r -> r.path().equals(SEARCH)).toList();
    }

    private static JsonObject lastSearch() {
        List<FakeRequest> s = searches();
        assertThat(s).as("searches the fake received").isNotEmpty();
        return (JsonObject) s.get(s.size() - 1).json();
    }

    private static List<JsonObject> filtersOf(JsonObject body) {
        List<JsonObject> out = new ArrayList<>();
        JsonArray groups = body.array("filterGroups");
        for (JsonValue g : groups == null ? JsonArray.empty() : groups) {
            JsonArray filters = ((JsonObject) g).array("filters");
            for (JsonValue f : filters == null ? JsonArray.empty() : filters) {
                out.add((JsonObject) f);
            }
        }
        return out;
    }

    private static ConnectionConfig config(String id, FakeHubSpot fake, String portal) {
        return ConnectionConfig.builder(id)
                .connector("hubspot")
                .baseUrl(fake.baseUrl())
                .settings(Map.of(HubSpotConnector.PORTAL_ID, portal))
                .build();
    }

    private static Credential credential() {
        return Credential.builder(VendorFake.ACCESS_TOKEN).build();
    }
}
