package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connectors.hubspot.HubSpotConnector;
import dev.switchboard.connectors.salesforce.SalesforceConnector;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;
import dev.switchboard.normalize.Code;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityStream;
import dev.switchboard.normalize.FieldMapping;
import dev.switchboard.normalize.FieldMappings;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Value;
import dev.switchboard.normalize.ValueKind;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.FakeSalesforce;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5's custom field mapping on real reads: Salesforce's {@code Customer_Tier__c} (mapped by a
 * YAML file) and HubSpot's {@code hs_custom_tier} (mapped in code) land in one {@code custom.tier},
 * read through the connectors with contracts pinned to include them.
 */
class CustomTierEndToEndTest {
    @RegisterExtension
    static final FakeSalesforce SALESFORCE = new FakeSalesforce();

    @RegisterExtension
    static final FakeHubSpot HUBSPOT = new FakeHubSpot();

    private static List<Entity> read(Normalizer normalizer, FakeConnection c, String stream) {
        List<Entity> out = new ArrayList<>();
        try (c;
                EntityStream entities = normalizer.read(c.connection(), c.context(), ReadRequest.of(stream))) {
            entities.forEach(out::add);
        }
        return out;
    }

    private static Value<?> tierOf(List<Entity> organizations, String sourceId) {
        Entity e = organizations.stream()
                .filter(o -> o.origin().sourceId().equals(sourceId))
                .findFirst()
                .orElseThrow();
        assertThat(e).isInstanceOf(Organization.class);
        return e.custom("tier").orElseThrow();
    }

    @Test
    void bothVendorsTiersLandInTheSameCodeWithTheirOwnProvenance() throws Exception {
        SALESFORCE.addField("Account", "Customer_Tier__c", "picklist", true, "Gold", "Silver", "Platinum");
        String account = SALESFORCE.records("Account").get(2).string("Id");
        SALESFORCE.set("Account", account, "Customer_Tier__c", new JsonString("Gold"));
        HUBSPOT.defineProperty("companies", "hs_custom_tier", "enumeration", "gold", "silver", "platinum");
        String company = HUBSPOT.put(
                "companies",
                Map.of("name", "Acme", "domain", "acme.com", "hs_custom_tier", "gold"),
                Instant.parse("2026-05-02T10:00:00Z"));

        // Each contract: the connector's own, plus the org's field, which a read then selects.
        FakeConnection sf = FakeVendorConnections.salesforce(
                SALESFORCE,
                Map.of(
                        "Account",
                        FakeVendorConnections.declared(new SalesforceConnector(), "Account")
                                .with(new Schema.Field("Customer_Tier__c", FieldType.STRING, true, false))));
        FakeConnection hs = FakeVendorConnections.hubspot(
                HUBSPOT,
                Map.of(
                        "companies",
                        FakeVendorConnections.declared(new HubSpotConnector(), "companies")
                                .with(new Schema.Field("hs_custom_tier", FieldType.STRING, true, false))));
        Normalizer normalizer = Normalizer.builder()
                .fieldMappings(
                        FakeVendorConnections.SALESFORCE,
                        Path.of(getClass().getResource("/mappings/sf-acme.yaml").toURI()))
                .fieldMappings(
                        FakeVendorConnections.HUBSPOT,
                        FieldMappings.builder()
                                .field(
                                        "companies",
                                        FieldMapping.custom("hs_custom_tier", "tier", ValueKind.CODED)
                                                .withCodes(Map.of(
                                                        "gold", "GOLD", "silver", "SILVER", "platinum", "PLATINUM")))
                                .build())
                .build();

        Value<?> fromSalesforce = tierOf(read(normalizer, sf, "Account"), account);
        Value<?> fromHubSpot = tierOf(read(normalizer, hs, "companies"), company);

        assertThat(fromSalesforce.value()).isEqualTo(new Code("GOLD", "Gold"));
        assertThat(fromHubSpot.value()).isEqualTo(new Code("GOLD", "gold"));
        assertThat(((Code) fromSalesforce.value()).code()).isEqualTo(((Code) fromHubSpot.value()).code());
        assertThat(fromSalesforce.provenance().sourceField()).isEqualTo("Customer_Tier__c");
        assertThat(fromSalesforce.provenance().origin().connector()).isEqualTo("salesforce");
        assertThat(fromSalesforce.provenance().origin().connection()).isEqualTo(FakeVendorConnections.SALESFORCE);
        assertThat(fromSalesforce.provenance().origin().object()).isEqualTo("Account");
        assertThat(fromHubSpot.provenance().sourceField()).isEqualTo("hs_custom_tier");
        assertThat(fromHubSpot.provenance().origin().connector()).isEqualTo("hubspot");
        assertThat(fromHubSpot.provenance().origin().object()).isEqualTo("companies");
    }
}
