package dev.switchboard.normalize;

import static dev.switchboard.normalize.MappingFilesTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.model.Record;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One unified field, {@code custom.tier}, fed by a Salesforce custom field and a HubSpot property. */
class CustomFieldMappingTest {
    static final Record SF_ACCOUNT = SourceRecords.salesforce("Account", """
      {"attributes":{"type":"Account","url":"/services/data/v62.0/sobjects/Account/0015g00000AcmeAAA"},
       "Id":"0015g00000AcmeAAA","Name":"Acme Corporation","Website":"https://www.acme.com/",
       "Customer_Tier__c":"Gold","OwnerId":"0055g00000OwnerAAA","SystemModstamp":"2024-05-02T08:00:00.000+0000"}""");
    static final Record HS_COMPANY = SourceRecords.hubspot("companies", """
      {"id":"7086461639","properties":{"name":"Acme","domain":"acme.com","hs_custom_tier":"gold",
       "createdate":"2023-02-24T03:00:14.155Z","hs_lastmodifieddate":"2024-05-03T09:00:00Z","hs_object_id":"7086461639"},
       "createdAt":"2023-02-24T03:00:14.155Z","updatedAt":"2024-05-03T09:00:00Z","archived":false}""");

    static final FieldMappings SF_CODE = FieldMappings.builder()
            .field(
                    "Account",
                    FieldMapping.custom("Customer_Tier__c", "tier", ValueKind.CODED)
                            .withCodes(Map.of("Gold", "GOLD", "Silver", "SILVER", "Platinum", "PLATINUM")))
            .build();
    static final FieldMappings HS_CODE = FieldMappings.builder()
            .field(
                    "companies",
                    FieldMapping.custom("hs_custom_tier", "tier", ValueKind.CODED)
                            .withCodes(Map.of("gold", "GOLD", "silver", "SILVER", "platinum", "PLATINUM")))
            .build();

    private static Normalizer normalizer(FieldMappings sf, FieldMappings hs) {
        return Normalizer.builder()
                .serviceLoader(false)
                .fieldMappings(SourceRecords.SF, sf)
                .fieldMappings(SourceRecords.HS, hs)
                .build();
    }

    @Test
    void bothSourcesLandInTheSameFieldWithTheSameCodeAndTheirOwnProvenance() {
        Normalizer n = normalizer(SF_CODE, HS_CODE);
        Value<?> sf = n.normalize(SF_ACCOUNT).custom("tier").orElseThrow();
        Value<?> hs = n.normalize(HS_COMPANY).custom("tier").orElseThrow();

        assertThat(sf.value()).isEqualTo(new Code("GOLD", "Gold"));
        assertThat(hs.value()).isEqualTo(new Code("GOLD", "gold"));
        assertThat(((Code) sf.value()).code()).isEqualTo(((Code) hs.value()).code());

        assertThat(sf.provenance().sourceField()).isEqualTo("Customer_Tier__c");
        assertThat(sf.provenance().origin())
                .extracting(
                        Origin::connector,
                        Origin::connection,
                        Origin::account,
                        Origin::object,
                        Origin::sourceId,
                        Origin::sourceVersion)
                .containsExactly(
                        "salesforce",
                        SourceRecords.SF,
                        SourceRecords.SF_ORG,
                        "Account",
                        "0015g00000AcmeAAA",
                        "2024-05-02T08:00:00.000+0000");
        assertThat(hs.provenance().sourceField()).isEqualTo("hs_custom_tier");
        assertThat(hs.provenance().origin())
                .extracting(
                        Origin::connector,
                        Origin::connection,
                        Origin::account,
                        Origin::object,
                        Origin::sourceId,
                        Origin::sourceVersion)
                .containsExactly(
                        "hubspot",
                        SourceRecords.HS,
                        SourceRecords.HS_PORTAL,
                        "companies",
                        "7086461639",
                        "2024-05-03T09:00:00Z");
    }

    @Test
    void theSameMappingsFromJsonAndYamlFilesGiveEqualEntities() {
        Normalizer code = normalizer(SF_CODE, HS_CODE);
        Normalizer yaml =
                normalizer(FieldMappings.load(resource("sf-acme.yaml")), FieldMappings.load(resource("hs-acme.yml")));
        Normalizer json = Normalizer.builder()
                .serviceLoader(false)
                .fieldMappings(SourceRecords.SF, resource("sf-acme.json"))
                .fieldMappings(SourceRecords.HS, resource("hs-acme.json"))
                .build();
        for (Record r : new Record[] {SF_ACCOUNT, HS_COMPANY}) {
            Entity expected = code.normalize(r);
            assertThat(expected.custom("tier")).isPresent();
            assertThat(yaml.normalize(r)).isEqualTo(expected);
            assertThat(json.normalize(r)).isEqualTo(expected);
        }
    }

    @Test
    void anUnknownTierIsOtherWithTheSourceSpellingKept() {
        Record bronze = SourceRecords.hubspot("companies", """
        {"id":"1","properties":{"hs_custom_tier":"Bronze "},"createdAt":"2023-01-01T00:00:00Z",
         "updatedAt":"2023-01-01T00:00:00Z","archived":false}""");
        Code tier = (Code) normalizer(SF_CODE, HS_CODE)
                .normalize(bronze)
                .custom("tier")
                .orElseThrow()
                .value();
        assertThat(tier.isOther()).isTrue();
        assertThat(tier.raw()).isEqualTo("Bronze ");
    }

    @Test
    void theOverlayExtendsWhatAConnectorsMapperProduced() {
        EntityMapper accounts = SourceRecords.mapper(
                "salesforce",
                "Account",
                in -> in.entity(EntityType.ORGANIZATION).set(Organization.NAME, in.text("Name")));
        Entity e = Normalizer.builder()
                .serviceLoader(false)
                .mapper(accounts)
                .fieldMappings(SourceRecords.SF, FieldMappings.load(resource("sf-acme.yaml")))
                .build()
                .normalize(SF_ACCOUNT);
        assertThat(e).isInstanceOf(Organization.class);
        assertThat(e.get(Organization.NAME)).contains("Acme Corporation");
        assertThat(e.custom("tier").orElseThrow().value()).isEqualTo(new Code("GOLD", "Gold"));
    }
}
