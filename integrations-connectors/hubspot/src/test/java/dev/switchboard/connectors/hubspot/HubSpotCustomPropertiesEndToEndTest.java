package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.normalize.Code;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityStream;
import dev.switchboard.normalize.FieldMapping;
import dev.switchboard.normalize.FieldMappings;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Value;
import dev.switchboard.normalize.ValueKind;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A portal's own property on real reads: a pinned contract decides which properties a search asks for. */
class HubSpotCustomPropertiesEndToEndTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    private static final String TIER = "hs_custom_tier";

    private FakeConnection harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private FakeConnection connect(Map<String, Schema> contracts) {
        FakeConnection.Builder b = FakeConnection.to(FAKE, "hubspot")
                .connectionId("hubspot-acme")
                .setting(HubSpotConnector.PORTAL_ID, "62515");
        contracts.forEach(b::contract);
        harness = b.build();
        return harness;
    }

    private static Schema companiesWithTier() {
        return new HubSpotConnector()
                .descriptor().stream("companies")
                        .orElseThrow()
                        .schema()
                        .with(new Schema.Field(
                                TIER,
                                FieldType.STRING,
                                true,
                                false,
                                new java.util.LinkedHashSet<>(List.of("gold", "silver"))));
    }

    private List<String> searchBodies() {
        return FAKE.requests().stream()
                .filter(r -> r.path().endsWith("/companies/search"))
                .map(r -> r.body())
                .toList();
    }

    private String tieredCompany() {
        FAKE.defineProperty("companies", TIER, "enumeration", "gold", "silver");
        return FAKE.put(
                "companies",
                Map.of("name", "Acme", "domain", "acme.com", TIER, "gold"),
                Instant.parse("2026-05-02T10:00:00Z"));
    }

    @Test
    void aPinnedContractAsksForThePortalsPropertyAndTheMappingReadsIt() {
        String acme = tieredCompany();
        connect(Map.of("companies", companiesWithTier()));
        Normalizer normalizer = Normalizer.builder()
                .fieldMappings(
                        "hubspot-acme",
                        FieldMappings.builder()
                                .field(
                                        "companies",
                                        FieldMapping.custom(TIER, "tier", ValueKind.CODED)
                                                .withCodes(Map.of("gold", "GOLD")))
                                .build())
                .build();

        List<Entity> companies = new ArrayList<>();
        try (EntityStream s = normalizer.read(harness.connection(), harness.context(), ReadRequest.of("companies"))) {
            s.forEach(companies::add);
        }

        assertThat(searchBodies())
                .singleElement()
                .asString()
                .contains(
                        "\"properties\":[\"name\",\"domain\",\"industry\",\"phone\",\"city\",\"country\",\"hubspot_owner_id\","
                                + "\"createdate\",\"hs_lastmodifieddate\",\"hs_object_id\",\"" + TIER + "\"]");
        Value<?> tier = companies.stream()
                .filter(e -> e.origin().sourceId().equals(acme))
                .findFirst()
                .orElseThrow()
                .custom("tier")
                .orElseThrow();
        assertThat(tier.value()).isEqualTo(new Code("GOLD", "gold"));
        assertThat(tier.provenance().sourceField()).isEqualTo(TIER);
        // The contract lists the property, so the describe at read open reports nothing about it.
        assertThat(harness.driftCount("companies", TIER, Drift.Kind.ADDED, "reported"))
                .isZero();
    }

    @Test
    void withoutAPinnedContractThePropertyIsNotAskedForNorRequestable() {
        tieredCompany();
        connect(Map.of());

        List<Record> companies = harness.readAll(ReadRequest.of("companies"));
        assertThat(searchBodies()).singleElement().asString().doesNotContain(TIER);
        assertThat(companies).allSatisfy(r -> assertThat(r.data().has(TIER)).isFalse());

        assertThatThrownBy(() -> harness.readAll(ReadRequest.of("companies").fields("name", TIER)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'" + TIER + "' is not in the contract of stream 'companies'")
                .hasMessageContaining("pin a contract that includes it");
        assertThat(searchBodies()).hasSize(1);
    }

    @Test
    void thePropertiesApiListsThePortalsPropertyAsItsOwn() {
        tieredCompany();
        connect(Map.of());

        Record tier = harness.readAll(ReadRequest.of("properties").where("objectType", "companies")).stream()
                .filter(r -> r.data().string("name").equals(TIER))
                .findFirst()
                .orElseThrow();

        assertThat(tier.data().string("type")).isEqualTo("enumeration");
        assertThat(tier.data().bool("hubspotDefined")).isFalse();
        assertThat(harness.connection()
                        .describe(harness.context(), "companies")
                        .orElseThrow()
                        .field(TIER)
                        .orElseThrow()
                        .values())
                .containsExactly("gold", "silver");
    }
}
