package dev.switchboard.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceFieldsTest {
    private static SourceFields fields(String json) {
        Record r = Record.builder().stream("Contact")
                .id("003A")
                .source(new RecordSource("salesforce", "sf-acme", "Contact"))
                .data((JsonObject) Json.parse(json))
                .version("v7")
                .acl(Acl.tenant("00Dorg"))
                .build();
        return new SourceFields(r);
    }

    @Test
    void readsTypedValuesWithTheirProvenance() {
        SourceFields in = fields("""
        {"Email":" Jane.Doe@Acme.COM ","Phone":"+1 (415) 555-0100","CreatedDate":"2024-05-01T10:12:33.000+0000",
         "ts":"1512085950.000216","Amount":"1250.50","Cur":"eur","Employees":"250","Active":"true",
         "properties":{"hs_custom_tier":"Gold"},"Close":"2024-06-30"}""");
        Value<Email> email = in.email("Email").orElseThrow();
        assertThat(email.value().address()).isEqualTo("jane.doe@acme.com");
        assertThat(email.provenance().sourceField()).isEqualTo("Email");
        assertThat(email.provenance().origin().account()).isEqualTo("00Dorg");
        assertThat(email.provenance().origin().sourceVersion()).isEqualTo("v7");
        assertThat(in.phone("Phone").orElseThrow().value().dialable()).isEqualTo("+14155550100");
        assertThat(in.timestamp("CreatedDate").orElseThrow().value()).isEqualTo(Instant.parse("2024-05-01T10:12:33Z"));
        assertThat(in.timestamp("ts").orElseThrow().value()).isEqualTo(Instant.parse("2017-11-30T23:52:30.000216Z"));
        assertThat(in.money("Amount", "Cur", null).orElseThrow().value())
                .isEqualTo(new Money(new BigDecimal("1250.50"), Currency.getInstance("EUR")));
        assertThat(in.integer("Employees").orElseThrow().value()).isEqualTo(250L);
        assertThat(in.bool("Active").orElseThrow().value()).isTrue();
        assertThat(in.text("properties.hs_custom_tier").orElseThrow().value()).isEqualTo("Gold");
        assertThat(in.date("Close").orElseThrow().value()).hasToString("2024-06-30");
        assertThat(in.coded("properties.hs_custom_tier", Priority.class, Map.of("Gold", Priority.HIGH))
                        .orElseThrow()
                        .value())
                .isEqualTo(new Coded<>(Priority.HIGH, "Gold"));
        assertThat(in.issues()).isEmpty();
    }

    @Test
    void aValueOfAnotherTypeIsAnIssueNeverACoercion() {
        SourceFields in = fields("""
        {"Email":42,"CreatedDate":"2024-05-01T10:12:33","Employees":"12.5","Amount":"10"}""");
        assertThat(in.email("Email")).isEmpty();
        assertThat(in.timestamp("CreatedDate")).isEmpty();
        assertThat(in.integer("Employees")).isEmpty();
        assertThat(in.money("Amount", null, null)).isEmpty();
        assertThat(in.issues()).extracting(Drift::field).containsExactly("Email", "CreatedDate", "Employees", "Amount");
        assertThat(in.issues()).allMatch(Drift::breaking);
        assertThat(in.issues().toString()).doesNotContain("12.5");
    }

    @Test
    void aWebsiteOrDomainReadsAsItsBareLowerCaseHost() {
        SourceFields in = fields("""
        {"a":"https://www.Example-3.COM/about?x=1","b":"acme.co.uk","c":"http://user@shop.acme.io:8080/","d":"WWW.ACME.COM.",
         "e":"not a website","f":"localhost","g":12}""");
        assertThat(in.domain("a").orElseThrow().value()).isEqualTo("example-3.com");
        assertThat(in.domain("a").orElseThrow().provenance().sourceField()).isEqualTo("a");
        assertThat(in.domain("b").orElseThrow().value()).isEqualTo("acme.co.uk");
        assertThat(in.domain("c").orElseThrow().value()).isEqualTo("shop.acme.io");
        assertThat(in.domain("d").orElseThrow().value()).isEqualTo("acme.com");
        assertThat(in.issues()).isEmpty();
        assertThat(in.domain("e")).isEmpty();
        assertThat(in.domain("f")).isEmpty();
        assertThat(in.domain("g")).isEmpty();
        assertThat(in.domain("missing")).isEmpty();
        assertThat(in.issues()).extracting(Drift::field).containsExactly("e", "f", "g");
    }

    @Test
    void anIdOfControlCharactersOnlyIsAbsentNotAnError() {
        // Found by NormalizerFuzzTest: "\u0000" is not blank, but trims to nothing.
        SourceFields in = fields("{\"Crm\":\"\\u0000\",\"Other\":\" 001A \"}");
        assertThat(in.externalId("Crm", "salesforce")).isEmpty();
        assertThat(in.externalId("Other", "salesforce").orElseThrow().value())
                .isEqualTo(new ExternalId("salesforce", "001A"));
    }

    @Test
    void theRecordsOwnUpdatedAtIsReusedWithTheFieldItCameFrom() {
        Record r = Record.builder().stream("contacts")
                .id("1")
                .source(new RecordSource("hubspot", "hs", "contacts"))
                .data((JsonObject) Json.parse("{\"updatedAt\":\"2023-02-24T14:07:59.929Z\"}"))
                .updatedAt(Instant.parse("2023-02-24T14:07:59.929Z"))
                .build();
        Value<Instant> updated = new SourceFields(r).updatedAt("updatedAt").orElseThrow();
        assertThat(updated.value()).isEqualTo(Instant.parse("2023-02-24T14:07:59.929Z"));
        assertThat(updated.provenance().sourceField()).isEqualTo("updatedAt");
        // Without the field in the data, nothing is claimed for it.
        assertThat(new SourceFields(r.newBuilder().data(JsonObject.empty()).build()).updatedAt("updatedAt"))
                .isEmpty();
        // Without a record-level updatedAt, the field is read.
        assertThat(new SourceFields(r.newBuilder().updatedAt(null).build())
                        .updatedAt("updatedAt")
                        .orElseThrow()
                        .value())
                .isEqualTo(Instant.parse("2023-02-24T14:07:59.929Z"));
    }
}
