package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.normalize.CustomerTicket;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityGraph;
import dev.switchboard.normalize.LinkedEntity;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.Value;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.FakeSlack;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One customer in three vendors, read through the bundled connectors and their real mappers into
 * one graph: her HubSpot ticket comes back with her Salesforce account.
 */
class UnifiedCustomerEndToEndTest {
    @RegisterExtension
    static final FakeSalesforce SALESFORCE = new FakeSalesforce();

    @RegisterExtension
    static final FakeHubSpot HUBSPOT = new FakeHubSpot();

    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private static final String EMAIL = "jane.doe@example.com";

    @Test
    void aHubSpotTicketOfTheCustomerComesEnrichedWithHerSalesforceAccount() {
        // Salesforce: Jane is a contact of an account the fake seeded.
        JsonObject account = SALESFORCE.records("Account").get(1);
        String contact = SALESFORCE.records("Contact").get(0).string("Id");
        SALESFORCE.set("Contact", contact, "Email", new JsonString(EMAIL));
        // Her name as Salesforce has it: linking by email needs names that agree (or a phone in common).
        SALESFORCE.set("Contact", contact, "FirstName", new JsonString("Jane"));
        SALESFORCE.set("Contact", contact, "LastName", new JsonString("Doe"));
        SALESFORCE.set("Contact", contact, "AccountId", new JsonString(account.string("Id")));
        // HubSpot: the same Jane (as support knows her) raised a ticket.
        Instant at = Instant.parse("2026-05-03T09:00:00Z");
        String hsContact = HUBSPOT.put(
                "contacts", Map.of("email", EMAIL.toUpperCase(), "firstname", "Jane", "lastname", "Doe"), at);
        String ticket = HUBSPOT.put(
                "tickets",
                Map.of(
                        "subject",
                        "Invoices cannot be exported",
                        "hs_pipeline",
                        "0",
                        "hs_pipeline_stage",
                        "1",
                        "hs_ticket_priority",
                        "HIGH"),
                at);
        HUBSPOT.associate("tickets", ticket, "contacts", hsContact);
        // Slack: she is in a channel shared with her company's own workspace (Slack Connect).
        SLACK.addExternalUser("U0JANE001", "jane.doe", "Jane Doe", EMAIL, "T0CUSTOMR");

        Normalizer normalizer = Normalizer.standard();
        EntityGraph graph;
        try (FakeConnection sf = FakeVendorConnections.salesforce(SALESFORCE, Map.of());
                FakeConnection hs = FakeVendorConnections.hubspot(HUBSPOT, Map.of());
                FakeConnection slack = FakeVendorConnections.slack(SLACK)) {
            graph = EntityGraph.builder()
                    .read(normalizer, sf.connection(), sf.context(), "Contact", "Account")
                    .read(normalizer, hs.connection(), hs.context(), "contacts", "tickets", "associations")
                    .read(normalizer, slack.connection(), slack.context(), "users")
                    .build();
        }

        CustomerTicket found = assertThat(graph.ticketsOf(Email.parse(EMAIL).orElseThrow()))
                .singleElement()
                .actual();

        Ticket t = found.ticket();
        assertThat(t.origin().connector()).isEqualTo("hubspot");
        assertThat(t.origin().sourceId()).isEqualTo(ticket);
        assertThat(t.get(Ticket.SUBJECT)).contains("Invoices cannot be exported");

        LinkedEntity jane = found.requester().orElseThrow();
        assertThat(jane.members())
                .extracting(e -> e.origin().connector() + "/" + e.origin().sourceId())
                .containsExactlyInAnyOrder("salesforce/" + contact, "hubspot/" + hsContact, "slack/U0JANE001");

        LinkedEntity customer = found.organization().orElseThrow();
        assertThat(customer.members())
                .extracting(Entity::origin)
                .extracting(o -> o.connector() + "/" + o.sourceId())
                .contains("salesforce/" + account.string("Id"));
        Value<String> name = customer.value(Organization.NAME).orElseThrow();
        assertThat(name.value()).isEqualTo(account.string("Name"));
        assertThat(name.provenance().origin().connector()).isEqualTo("salesforce");
        assertThat(name.provenance().sourceField()).isEqualTo("Name");
        assertThat(customer.get(Organization.WEBSITE)).contains(account.string("Website"));
    }
}
