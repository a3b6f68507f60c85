package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connectors.hubspot.internal.HubSpotObjects;
import dev.switchboard.connectors.hubspot.internal.HubSpotRecords;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.testkit.VendorSamples;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every real HubSpot sample in the testkit, parsed through the connector's record mapping. */
class HubSpotSamplesTest {
    private final HubSpotRecords records = new HubSpotRecords("hubspot-acme", "62515");

    private List<Record> read(String sample, String object) {
        List<Record> out = new ArrayList<>();
        for (JsonValue v : ((JsonObject) VendorSamples.json("hubspot/" + sample)).array("results")) {
            out.add(records.crmObject(object, (JsonObject) v));
        }
        return out;
    }

    @Test
    void contacts() {
        List<Record> contacts = read("dlt_contacts_page.json", "contacts");

        assertThat(contacts).hasSize(2);
        Record maria = contacts.get(0);
        assertThat(maria.id()).isEqualTo("1");
        assertThat(maria.data().string("email")).isEqualTo("emailmaria@hubspot.com");
        assertThat(maria.data().string("firstname")).isEqualTo("Maria");
        assertThat(maria.data().string("lastname")).isEqualTo("Johnson (Sample Contact)");
        assertThat(maria.updatedAt()).isEqualTo(Instant.parse("2023-02-24T14:07:59.929Z"));
        assertThat(maria.version()).isEqualTo("2023-02-24T14:07:59.929Z");
        assertThat(maria.data().string(HubSpotObjects.CURSOR)).isEqualTo("2023-02-24T14:07:59.929Z");
        assertThat(maria.source().object()).isEqualTo("contacts");
        assertThat(maria.acl().tenant()).isEqualTo("62515");
        assertThat(maria.acl().owner()).isNull();
        assertThat(maria.acl().visibility()).isEqualTo(Visibility.TENANT);
    }

    @Test
    void companiesDealsAndTickets() {
        Record hubspot = read("dlt_companies_page.json", "companies").get(0);
        assertThat(hubspot.id()).isEqualTo("7086461639");
        assertThat(hubspot.data().string("name")).isEqualTo("Hubspot, Inc.");
        assertThat(hubspot.data().string("domain")).isEqualTo("hubspot.com");
        assertThat(hubspot.version()).isEqualTo("2023-02-24T03:00:26.696Z");

        Record deal = read("dlt_deals_page.json", "deals").get(0);
        assertThat(deal.id()).isEqualTo("6744192456");
        assertThat(deal.data().string("dealname")).isEqualTo("With Atul");
        assertThat(deal.data().string("amount")).isEqualTo("500");
        assertThat(deal.data().string("dealstage")).isEqualTo("qualifiedtobuy");
        assertThat(deal.data().get("closedate").type()).isEqualTo(JsonValue.Type.NULL);

        List<Record> tickets = read("dlt_tickets_page.json", "tickets");
        assertThat(tickets).extracting(Record::id).containsExactly("1075966440", "1075966441");
        assertThat(tickets.get(1).data().string("content")).isEqualTo("Updated Ticket");
        assertThat(tickets.get(1).data().string("hs_pipeline_stage")).isEqualTo("4");
        assertThat(tickets.get(0).data().string("hs_ticket_priority")).isEqualTo("HIGH");
        // A timestamp without milliseconds parses too.
        assertThat(tickets.get(0).data().string("createdAt")).isEqualTo("2023-01-15T05:00:00Z");
    }

    @Test
    void everySampleKeepsItsStreamSchema() {
        for (String object : HubSpotObjects.CRM_OBJECTS) {
            List<Record> sample = read("dlt_" + object + "_page.json", object);
            Schema declared = new HubSpotConnector()
                    .descriptor().stream(object).orElseThrow().schema();
            Schema observed = Schema.observe(sample.stream().map(Record::data).toList());
            // The samples carry the default properties only: the optional ones they lack are not drift.
            assertThat(declared.diff(observed).drifts()).as(object).isEmpty();
            // Record by record too, as core's read loop checks them: no false drift from real payloads.
            assertThat(sample)
                    .allSatisfy(r -> assertThat(declared.check(r.data()))
                            .as(object + " " + r.id())
                            .isEmpty());
        }
    }

    @Test
    void quotesAndProductsMapAsCrmObjectsToo() {
        Record quote = read("dlt_quotes_page.json", "quotes").get(0);
        assertThat(quote.id()).isEqualTo("70524908");
        assertThat(quote.data().string("hs_title")).isEqualTo("New Quote");
        assertThat(quote.data().string("hs_status")).isEqualTo("DRAFT");

        Record product = read("dlt_products_page.json", "products").get(0);
        assertThat(product.data().string("name")).isEqualTo("Jockey ineer");
        assertThat(product.data().string("price")).isEqualTo("23");
    }

    @Test
    void contactsWithHistoryAndAssociations() {
        JsonObject raw = (JsonObject) ((JsonObject) VendorSamples.json("hubspot/dlt_contacts_with_history_page.json"))
                .array("results")
                .get(0);

        Record contact = records.crmObject("contacts", raw);
        Record edge = records.association("contacts", contact.id(), "deals", (JsonObject)
                raw.object("associations").object("deals").array("results").get(0));

        assertThat(contact.data().string("city")).isEqualTo("Brisbane");
        assertThat(contact.data().string("company")).isEqualTo("HubSpot");
        assertThat(contact.data().string("first_deal_created_date")).isEqualTo("2023-07-01T21:28:00.771Z");
        assertThat(contact.version()).isEqualTo("2023-07-01T21:28:22.147Z");
        assertThat(edge.id()).isEqualTo("contacts/1/deals/8078784221");
        assertThat(edge.data().string("associationType")).isEqualTo("contact_to_deal");
    }

    @Test
    void the283ContactPropertyDefinitions() {
        List<Record> props = new ArrayList<>();
        for (JsonValue v :
                ((JsonObject) VendorSamples.json("hubspot/dlt_contacts_properties_page.json")).array("results")) {
            props.add(records.property("contacts", (JsonObject) v));
        }

        assertThat(props).hasSize(283);
        assertThat(props.get(0).id()).isEqualTo("contacts.company_size");
        assertThat(props)
                .extracting(Record::id)
                .contains("contacts.hs_createdate", "contacts.date_of_birth")
                .doesNotHaveDuplicates();
        assertThat(HubSpotObjects.fieldType("datetime")).isEqualTo(FieldType.TIMESTAMP);
        assertThat(HubSpotObjects.fieldType("number")).isEqualTo(FieldType.STRING); // HubSpot sends numbers as strings
    }
}
