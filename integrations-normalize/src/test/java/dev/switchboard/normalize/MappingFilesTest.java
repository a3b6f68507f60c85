package dev.switchboard.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingFilesTest {
    static Path resource(String name) {
        try {
            return Path.of(
                    MappingFilesTest.class.getResource("/mappings/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void yamlAndJsonFilesReadIntoTheMappingsBuiltInCode() {
        FieldMappings code = FieldMappings.builder()
                .field(
                        "Account",
                        FieldMapping.custom("Customer_Tier__c", "tier", ValueKind.CODED)
                                .withCodes(Map.of("Gold", "GOLD", "Silver", "SILVER", "Platinum", "PLATINUM")))
                .build();
        FieldMappings yaml = FieldMappings.load(resource("sf-acme.yaml"));
        FieldMappings json = FieldMappings.load(resource("sf-acme.json"));
        assertThat(yaml).isEqualTo(code);
        assertThat(json).isEqualTo(code);
        assertThat(FieldMappings.load(resource("hs-acme.yml"))).isEqualTo(FieldMappings.load(resource("hs-acme.json")));
    }

    @Test
    void aTableMappingReadsEveryOption() {
        FieldMappings m = FieldMappings.load(resource("warehouse.yaml"));
        StreamMapping customers = m.stream("customers").orElseThrow();
        assertThat(customers.entity()).isEqualTo(EntityType.PERSON);
        assertThat(customers.fields())
                .extracting(FieldMapping::target)
                .containsExactly(
                        "email",
                        "name",
                        "phone",
                        "createdAt",
                        "externalId",
                        "custom.arr",
                        "custom.seats",
                        "custom.active",
                        "custom.plan",
                        "custom.renewal",
                        "kind");
        FieldMapping crm = customers.fields().get(4);
        assertThat(crm.isExternalId()).isTrue();
        assertThat(crm.system()).isEqualTo("salesforce");
        FieldMapping arr = customers.fields().get(5);
        assertThat(arr.kind()).isEqualTo(ValueKind.MONEY);
        assertThat(arr.currency()).isEqualTo(Currency.getInstance("USD"));
        assertThat(customers.fields().get(8).codes()).containsEntry("ent", "ENTERPRISE");
    }

    @Test
    void everyOptionRoundTripsThroughJsonText() {
        FieldMappings m = FieldMappings.parse("""
        {"streams": {"deals_table": {"entity": "deal", "fields": [
          {"from": "title", "to": "name"},
          {"from": "value", "to": "amount", "currencyFrom": "value_currency"},
          {"from": "account_id", "to": "organization", "object": "accounts"},
          {"from": "state", "to": "status", "codes": {"w": "won", "l": "LOST"}}
        ]}}}""", FieldMappings.Format.JSON);
        StreamMapping deals = m.stream("deals_table").orElseThrow();
        assertThat(deals.fields().get(1).currencySource()).isEqualTo("value_currency");
        assertThat(deals.fields().get(2).refObject()).isEqualTo("accounts");
        assertThat(deals.fields().get(3).codes()).containsEntry("w", "won");
    }

    @Test
    void anUnknownTargetFieldNamesFileStreamEntryAndTheValidFields(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
        streams:
          customers:
            entity: person
            fields:
              - { from: email_address, to: email }
              - { from: full_name, to: fullName }
        """);
        assertThatThrownBy(() -> FieldMappings.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("stream 'customers'")
                .hasMessageContaining("fields[1]")
                .hasMessageContaining("person has no field 'fullName'")
                .hasMessageContaining(
                        "[kind, name, firstName, lastName, email, phone, emails, phones, addresses, title, organization, owner,"
                                + " createdAt, updatedAt]")
                .hasMessageContaining("custom.<name>");
    }

    @Test
    void anOverlayTargetMustBeAFieldOfSomeEntityType() {
        assertThatThrownBy(() -> FieldMappings.parse("""
        streams:
          Account:
            fields:
              - { from: Tier__c, to: tier }
        """, FieldMappings.Format.YAML))
                .hasMessageContaining("stream 'Account', fields[0]")
                .hasMessageContaining("no entity type has a field 'tier'")
                .hasMessageContaining("organization: [name, domain");
    }

    @Test
    void anUnknownTypeListsTheKinds() {
        assertThatThrownBy(() -> FieldMappings.parse("""
        streams:
          Account:
            fields:
              - { from: Tier__c, to: custom.tier, type: enum }
        """, FieldMappings.Format.YAML))
                .hasMessageContaining("stream 'Account', fields[0] (from 'Tier__c'), type: unknown type 'enum'")
                .hasMessageContaining(
                        "[text, email, phone, money, timestamp, date, number, integer, boolean, coded, ref, json, stage, structured]");
    }

    @Test
    void anUnknownConstantOfAStandardCodedFieldListsTheConstants() {
        assertThatThrownBy(() -> FieldMappings.parse("""
        {"streams": {"issues": {"entity": "ticket", "fields": [
          {"from": "state", "to": "status", "codes": {"open": "OPEN", "done": "FINISHED"}}]}}}""", FieldMappings.Format.JSON))
                .hasMessageContaining("stream 'issues', fields[0]")
                .hasMessageContaining("TicketStatus [")
                .hasMessageContaining("OTHER]")
                .hasMessageContaining("not [FINISHED]");
    }

    @Test
    void mistakesInAnEntryAreNamedWithWhatToFix() {
        assertThatThrownBy(() -> parse("{ from: crm_id, to: externalId }"))
                .hasMessageContaining("fields[0] (from 'crm_id')")
                .hasMessageContaining("needs 'system'");
        assertThatThrownBy(() -> parse("{ from: arr, to: custom.arr, type: money }"))
                .hasMessageContaining("money needs its currency");
        assertThatThrownBy(() -> parse("{ from: arr, to: custom.arr, type: money, currency: DOLLARS }"))
                .hasMessageContaining("'DOLLARS' is not an ISO 4217 code");
        assertThatThrownBy(() -> parse("{ from: a, to: custom.a, codes: { x: Y } }"))
                .hasMessageContaining("codes apply to type coded only");
        assertThatThrownBy(() -> parse("{ form: a, to: custom.a }"))
                .hasMessageContaining("unknown key 'form'")
                .hasMessageContaining("from, to, type");
        assertThatThrownBy(() -> parse("{ from: a, to: email, type: text }"))
                .hasMessageContaining("field 'email' is read as EMAIL")
                .hasMessageContaining("custom.<name>");
        assertThatThrownBy(() -> parse("{ to: email }")).hasMessageContaining("needs 'from'");
    }

    @Test
    void malformedFilesAndUnknownExtensionsFailWithTheirPlace(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("broken.yml");
        Files.writeString(yaml, "streams:\n  Account:\n    fields: [ { from: a, to: custom.a }\n");
        assertThatThrownBy(() -> FieldMappings.load(yaml))
                .hasMessageContaining(yaml.toString())
                .hasMessageContaining("not valid YAML at line");
        Path txt = dir.resolve("mappings.txt");
        Files.writeString(txt, "{}");
        assertThatThrownBy(() -> FieldMappings.load(txt)).hasMessageContaining("ends with .json, .yaml or .yml");
        assertThatThrownBy(() -> FieldMappings.parse("{}", FieldMappings.Format.JSON))
                .hasMessageContaining("needs a top-level 'streams' object");
        assertThatThrownBy(() -> FieldMappings.load(dir.resolve("missing.json")))
                .hasMessageContaining("cannot read");
    }

    private static FieldMappings parse(String entry) {
        return FieldMappings.parse(
                "streams:\n  customers:\n    entity: person\n    fields:\n      - " + entry + "\n",
                FieldMappings.Format.YAML);
    }
}
