package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.switchboard.connectors.hubspot.internal.HubSpotRecords;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Drift;
import dev.switchboard.normalize.Address;
import dev.switchboard.normalize.Coded;
import dev.switchboard.normalize.ContactKind;
import dev.switchboard.normalize.ContactPoint;
import dev.switchboard.normalize.Deal;
import dev.switchboard.normalize.DealStatus;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityRef;
import dev.switchboard.normalize.EntityStream;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.ExternalId;
import dev.switchboard.normalize.Field;
import dev.switchboard.normalize.GenericEntity;
import dev.switchboard.normalize.Money;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.PersonKind;
import dev.switchboard.normalize.Priority;
import dev.switchboard.normalize.Provenance;
import dev.switchboard.normalize.Stage;
import dev.switchboard.normalize.StageKind;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.TicketStatus;
import dev.switchboard.normalize.User;
import dev.switchboard.normalize.Value;
import dev.switchboard.testkit.VendorSamples;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every real HubSpot sample in the unified model. The CRM samples (contacts, companies, deals,
 * tickets) are what FakeHubSpot serves, so they are read end to end through the connector and
 * {@link Normalizer#read}; the samples without a stream (products, quotes, contacts with history,
 * property definitions) go through the connector's own {@link HubSpotRecords}.
 */
class HubSpotEntityMapperTest extends VirtualHubSpotTest {
    private static final String CONNECTION = "hubspot-acme";
    private final Normalizer normalizer = Normalizer.standard();
    private final HubSpotRecords records = new HubSpotRecords(CONNECTION, HubSpotHarness.PORTAL);

    private Map<String, Entity> read(Normalizer with, ReadRequest request) {
        Map<String, Entity> byId = new LinkedHashMap<>();
        try (EntityStream entities = with.read(hub.connection, HubSpotHarness.CONTEXT, request)) {
            entities.forEach(e -> byId.put(e.origin().sourceId(), e));
        }
        return byId;
    }

    private Map<String, Entity> read(String stream) {
        return read(normalizer, ReadRequest.of(stream));
    }

    private static List<JsonObject> sample(String name) {
        List<JsonObject> out = new ArrayList<>();
        ((JsonObject) VendorSamples.json("hubspot/" + name)).array("results").forEach(v -> out.add((JsonObject) v));
        return out;
    }

    private static Instant instant(JsonObject o, String field) {
        return Instant.parse(o.string(field));
    }

    /** Provenance: the source field, the object's id, its updatedAt as version, the portal as account. */
    private static void assertFrom(Entity e, Field<?> field, String sourceField, JsonObject sample) {
        Provenance p = e.provenance(field).orElseThrow(() -> new AssertionError(field + " has no value"));
        assertThat(p.sourceField()).as(field.toString()).isEqualTo(sourceField);
        assertThat(p.origin().connector()).isEqualTo("hubspot");
        assertThat(p.origin().connection()).isEqualTo(CONNECTION);
        assertThat(p.origin().account()).isEqualTo(HubSpotHarness.PORTAL);
        assertThat(p.origin().sourceId()).isEqualTo(sample.string("id"));
        assertThat(p.origin().sourceVersion()).isEqualTo(sample.string("updatedAt"));
    }

    private Entity normalize(String object, String json) {
        return normalizer.normalize(records.crmObject(object, (JsonObject) Json.parse(json)));
    }

    @Test
    void theContactsSampleReadThroughTheConnectorBecomesContactPeople() {
        Map<String, Entity> contacts = read("contacts");
        List<JsonObject> sample = sample("dlt_contacts_page.json");

        assertThat(contacts.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        sample.stream().map(o -> o.string("id")).toList());
        for (JsonObject s : sample) {
            JsonObject props = s.object("properties");
            Entity e = contacts.get(s.string("id"));
            assertThat(e).isInstanceOf(Person.class);
            assertThat(e.get(Person.KIND)).contains(new Coded<>(PersonKind.CONTACT, "contacts"));
            assertThat(e.get(Person.FIRST_NAME)).contains(props.string("firstname"));
            assertThat(e.get(Person.LAST_NAME)).contains(props.string("lastname"));
            assertThat(e.get(Person.EMAIL)).contains(new Email(props.string("email")));
            assertThat(e.get(Person.CREATED_AT)).contains(instant(s, "createdAt"));
            assertThat(e.get(Person.UPDATED_AT)).contains(instant(s, "updatedAt"));
            assertThat(e.get(Person.ORGANIZATION)).isEmpty(); // the sample has no associatedcompanyid
            assertFrom(e, Person.EMAIL, "email", s);
            assertFrom(e, Person.CREATED_AT, "createdAt", s);
            assertThat(e.issues()).isEmpty();
        }
        assertThat(contacts.get("1").get(Person.EMAIL).orElseThrow().address()).isEqualTo("emailmaria@hubspot.com");
        assertThat(contacts.get("51").get(Person.LAST_NAME)).contains("Halligan (Sample Contact)");
    }

    @Test
    void theCompaniesSampleBecomesOrganizationsWithTheirDomains() {
        Map<String, Entity> companies = read("companies");
        for (JsonObject s : sample("dlt_companies_page.json")) {
            JsonObject props = s.object("properties");
            Entity e = companies.get(s.string("id"));
            assertThat(e).isInstanceOf(Organization.class);
            assertThat(e.get(Organization.NAME)).contains(props.string("name"));
            assertThat(e.get(Organization.DOMAIN)).contains(props.string("domain"));
            assertThat(e.get(Organization.UPDATED_AT)).contains(instant(s, "updatedAt"));
            assertFrom(e, Organization.DOMAIN, "domain", s);
            assertThat(e.issues()).isEmpty();
        }
        assertThat(companies.get("7086464459").get(Organization.DOMAIN)).contains("fda.gov");
    }

    @Test
    void theDealsSampleBecomesOpenDealsWhoseAmountLacksACurrency() {
        Map<String, Entity> deals = read("deals");
        for (JsonObject s : sample("dlt_deals_page.json")) {
            JsonObject props = s.object("properties");
            Entity e = deals.get(s.string("id"));
            assertThat(e).isInstanceOf(Deal.class);
            assertThat(e.get(Deal.NAME)).contains(props.string("dealname"));
            // The sample's stage is the default pipeline's "appointmentscheduled": an open stage.
            assertThat(e.get(Deal.STAGE))
                    .contains(new Stage(props.string("dealstage"), null, props.string("pipeline"), StageKind.OPEN));
            assertFrom(e, Deal.STAGE, "dealstage", s);
            assertThat(e.get(Deal.STATUS)).contains(new Coded<>(DealStatus.OPEN, props.string("dealstage")));
            assertFrom(e, Deal.STATUS, "dealstage", s);
            assertThat(e.get(Deal.CLOSE_DATE)).isEmpty(); // null in the sample
            // "amount": "500" and no deal_currency_code: the portal's currency is unknown here, so no amount.
            assertThat(props.string("amount")).isNotBlank();
            assertThat(e.get(Deal.AMOUNT)).isEmpty();
            assertThat(e.issues())
                    .containsExactly(new Drift("amount", Drift.Kind.MISSING, "MONEY with a currency", "no currency"));
        }
    }

    @Test
    void theTicketsSampleBecomesTicketsWithDefaultPipelineStatuses() {
        Map<String, Entity> tickets = read("tickets");
        Map<String, TicketStatus> expected = Map.of("1075966440", TicketStatus.NEW, "1075966441", TicketStatus.CLOSED);
        for (JsonObject s : sample("dlt_tickets_page.json")) {
            JsonObject props = s.object("properties");
            Entity e = tickets.get(s.string("id"));
            assertThat(e).isInstanceOf(Ticket.class);
            assertThat(e.get(Ticket.SUBJECT)).contains(props.string("subject"));
            assertThat(e.get(Ticket.DESCRIPTION)).contains(props.string("content"));
            assertThat(e.get(Ticket.STATUS))
                    .contains(new Coded<>(expected.get(s.string("id")), props.string("hs_pipeline_stage")));
            assertThat(e.get(Ticket.PRIORITY)).contains(new Coded<>(Priority.HIGH, "HIGH"));
            assertThat(e.get(Ticket.CREATED_AT)).contains(instant(s, "createdAt"));
            // The fake gives the sample's tickets an owner.
            assertThat(e.get(Ticket.OWNER))
                    .contains(new EntityRef(EntityType.USER, "hubspot", CONNECTION, "owners", "41629779"));
            assertFrom(e, Ticket.STATUS, "hs_pipeline_stage", s);
            assertThat(e.get(Ticket.STAGE))
                    .contains(new Stage(
                            props.string("hs_pipeline_stage"),
                            null,
                            props.string("hs_pipeline"),
                            expected.get(s.string("id")) == TicketStatus.NEW ? StageKind.NEW : StageKind.CLOSED));
            assertFrom(e, Ticket.PRIORITY, "hs_ticket_priority", s);
            assertFrom(e, Ticket.OWNER, "hubspot_owner_id", s);
        }
        assertThat(tickets.get("1075966440").get(Ticket.CREATED_AT)).contains(Instant.parse("2023-01-15T05:00:00Z"));
    }

    @Test
    void ownersAreUsersWithTheirTeamsAndTheirRefsMatchTheRecordsOwnersPointTo() {
        Map<String, Entity> owners = read("owners");
        Entity maria = owners.get("41629779");
        assertThat(maria).isInstanceOf(User.class);
        assertThat(maria.get(User.EMAIL)).contains(new Email("maria.owner@example.com"));
        assertThat(maria.get(User.FIRST_NAME)).contains("Maria");
        assertThat(maria.get(User.ACTIVE)).contains(true); // "archived": false
        assertThat(maria.provenance(User.ACTIVE).orElseThrow().sourceField()).isEqualTo("archived");
        assertThat(((User) maria).teams())
                .containsExactly(new EntityRef(EntityType.TEAM, "hubspot", CONNECTION, "teams", "1001"));
        assertThat(maria.provenance(User.TEAMS).orElseThrow().sourceField()).isEqualTo("teams");
        assertThat(maria.get(User.UPDATED_AT)).contains(Instant.parse("2026-01-10T09:00:00Z"));
        assertThat(maria.issues()).isEmpty();
        // A ticket's owner ref names this entity.
        Entity ticket = read("tickets").get("1075966440");
        assertThat(ticket.get(Ticket.OWNER)).contains(maria.ref());
    }

    @Test
    void associationsAndPropertiesAreNotClaimedAndStayTypedGenericRecords() {
        Map<String, Entity> edges =
                read(normalizer, ReadRequest.of("associations").where("fromObjectType", "contacts"));
        Entity edge = edges.get("contacts/1/deals/8078784221");
        assertThat(edge).isInstanceOf(GenericEntity.class);
        assertThat(edge.custom("toId").orElseThrow().value()).isEqualTo("8078784221");
        assertThat(edge.custom("toId").orElseThrow().provenance().sourceField()).isEqualTo("toId");

        Map<String, Entity> props =
                read(normalizer, ReadRequest.of("properties").where("objectType", "deals"));
        assertThat(props).isNotEmpty().allSatisfy((id, e) -> assertThat(e).isInstanceOf(GenericEntity.class));
    }

    /** Every field of a generic entity is its record's field, typed by its JSON type, from that field. */
    private static void assertTypedGeneric(Entity e) {
        assertThat(e).isInstanceOf(GenericEntity.class);
        JsonObject data = e.raw().data();
        List<String> nonNull = data.names().stream()
                .filter(n -> data.get(n).type() != JsonValue.Type.NULL)
                .toList();
        assertThat(e.customValues().keySet()).containsExactlyInAnyOrderElementsOf(nonNull);
        for (String name : nonNull) {
            Value<?> v = e.custom(name).orElseThrow();
            JsonValue raw = data.get(name);
            Object expected = raw instanceof JsonString s ? s.value() : raw instanceof JsonBoolean b ? b.value() : raw;
            assertThat(v.value()).as(name).isEqualTo(expected);
            assertThat(v.provenance().sourceField()).isEqualTo(name);
            assertThat(v.provenance().origin().sourceId()).isEqualTo(e.origin().sourceId());
        }
        assertThat(e.issues()).isEmpty();
    }

    @Test
    void theProductsAndQuotesSamplesHaveNoStreamAndBecomeTypedGenericEntities() {
        for (String object : List.of("products", "quotes")) {
            for (JsonObject s : sample("dlt_" + object + "_page.json")) {
                Entity e = normalizer.normalize(records.crmObject(object, s));
                assertTypedGeneric(e);
                assertThat(e.origin().object()).isEqualTo(object);
                assertThat(e.origin().sourceVersion()).isEqualTo(s.string("updatedAt"));
                assertThat(e.custom("archived").orElseThrow().value()).isEqualTo(Boolean.FALSE);
            }
        }
        Entity quote = normalizer.normalize(
                records.crmObject("quotes", sample("dlt_quotes_page.json").get(0)));
        assertThat(quote.custom("hs_title").orElseThrow().value()).isEqualTo("New Quote");
        Entity product = normalizer.normalize(
                records.crmObject("products", sample("dlt_products_page.json").get(1)));
        assertThat(product.custom("description")).isEmpty(); // null in the sample
        assertThat(product.custom("price").orElseThrow().value()).isEqualTo("60"); // HubSpot sends numbers as text
    }

    @Test
    void theContactsWithHistorySampleMapsItsCurrentValues() {
        for (JsonObject s : sample("dlt_contacts_with_history_page.json")) {
            Entity e = normalizer.normalize(records.crmObject("contacts", s));
            JsonObject props = s.object("properties");
            assertThat(e.get(Person.EMAIL)).contains(new Email(props.string("email")));
            assertThat(e.get(Person.FIRST_NAME)).contains(props.string("firstname"));
            assertThat(e.get(Person.CREATED_AT)).contains(instant(s, "createdAt"));
            assertThat(e.get(Person.ORGANIZATION)).isEmpty(); // associatedcompanyid is null
            assertThat(e.origin().sourceVersion()).isEqualTo(s.string("updatedAt"));
            assertThat(e.issues()).isEmpty();
        }
        // The second contact's email changed in HubSpot: the current one is mapped, the history is not.
        Entity brian = normalizer.normalize(records.crmObject(
                "contacts", sample("dlt_contacts_with_history_page.json").get(1)));
        assertThat(brian.get(Person.EMAIL)).contains(new Email("thisisnewemail@hubspot.com"));
    }

    @Test
    void theContactPropertyDefinitionsSampleBecomesGenericEntities() {
        List<JsonObject> definitions = sample("dlt_contacts_properties_page.json");
        for (JsonObject d : definitions) {
            Entity e = normalizer.normalize(records.property("contacts", d));
            assertTypedGeneric(e);
            assertThat(e.custom("name").orElseThrow().value()).isEqualTo(d.string("name"));
        }
        assertThat(definitions).hasSize(283);
    }

    @Test
    void aDealWithItsCurrencyIsMoneyAndClosedWonIsWon() {
        String id = FAKE.put(
                "deals",
                Map.of(
                        "dealname",
                        "Renewal",
                        "amount",
                        "1200.50",
                        "deal_currency_code",
                        "eur",
                        "dealstage",
                        "closedwon",
                        "pipeline",
                        "default",
                        "closedate",
                        "2026-03-31T00:00:00Z"),
                Instant.parse("2026-04-01T10:00:00Z"));

        Entity e = read("deals").get(id);

        assertThat(e.get(Deal.AMOUNT)).contains(Money.of("1200.50", "EUR"));
        assertThat(e.provenance(Deal.AMOUNT).orElseThrow().sourceField()).isEqualTo("amount");
        assertThat(e.get(Deal.STATUS)).contains(new Coded<>(DealStatus.WON, "closedwon"));
        assertThat(e.get(Deal.CLOSE_DATE)).contains(LocalDate.parse("2026-03-31"));
        assertThat(e.issues()).isEmpty();
        assertThat(normalize("deals", """
        {"id":"77","updatedAt":"2026-04-01T10:00:00Z","properties":{"dealstage":"closedlost","closedate":"2026-02-28"}}""").get(Deal.STATUS)).contains(new Coded<>(DealStatus.LOST, "closedlost"));
    }

    @Test
    void aContactsCompanyOwnerAndSalesforceIdsBecomeRefsAndExternalIds() {
        Entity contact = normalize("contacts", """
        {"id":"901","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T00:00:00.5Z","archived":false,
         "properties":{"email":"Jane@Acme.com","associatedcompanyid":"7086461639","hubspot_owner_id":"41629780",
          "jobtitle":"CTO","phone":"+1 415 555 0100","lifecyclestage":"lead","salesforcecontactid":"003RO0000000009AAA"}}""");
        assertThat(contact.get(Person.ORGANIZATION))
                .contains(new EntityRef(EntityType.ORGANIZATION, "hubspot", CONNECTION, "companies", "7086461639"));
        assertThat(contact.get(Person.OWNER))
                .contains(new EntityRef(EntityType.USER, "hubspot", CONNECTION, "owners", "41629780"));
        assertThat(contact.get(Person.EMAIL)).contains(new Email("jane@acme.com"));
        assertThat(contact.get(Person.TITLE)).contains("CTO");
        assertThat(contact.get(Person.PHONE).orElseThrow().dialable()).isEqualTo("+14155550100");
        // A lead stage is still a contact record.
        assertThat(contact.get(Person.KIND).orElseThrow().code()).isEqualTo(PersonKind.CONTACT);
        assertThat(contact.externalIds())
                .extracting(Value::value)
                .containsExactly(new ExternalId("salesforce", "003RO0000000009AAA"));
        assertThat(contact.externalIds().get(0).provenance().sourceField()).isEqualTo("salesforcecontactid");
        assertThat(contact.ownId()).isEqualTo(new ExternalId("hubspot", "901"));

        Entity company = normalize("companies", """
        {"id":"902","updatedAt":"2026-01-02T00:00:00Z","properties":{"domain":"https://www.Acme.com/","salesforceaccountid":"001RO0000000001AAA"}}""");
        assertThat(company.get(Organization.DOMAIN)).contains("acme.com");
        assertThat(company.externalIds())
                .extracting(Value::value)
                .containsExactly(new ExternalId("salesforce", "001RO0000000001AAA"));
    }

    @Test
    void everyEmailPhoneAndTheAddressOfAContactComeWithTheirKindAndProperty() {
        Person contact = (Person) normalize("contacts", """
        {"id":"905","updatedAt":"2026-01-02T00:00:00Z","properties":{"email":"jane@acme.com",
         "hs_additional_emails":"jane.doe@gmail.com;not an address;JANE@ACME.COM","phone":"+1 415 555 0100",
         "mobilephone":"+1 415 555 0111","address":"25 First Street","city":"Cambridge","state":"MA",
         "zip":"02141","country":"United States"}}""");
        assertThat(contact.emails())
                .extracting(p -> p.value().address(), p -> p.provenance().sourceField())
                .containsExactly(tuple("jane@acme.com", "email"), tuple("jane.doe@gmail.com", "hs_additional_emails"));
        assertThat(contact.email()).contains(new Email("jane@acme.com")); // the primary, as before
        assertThat(contact.phones())
                .extracting(p -> p.value().dialable(), ContactPoint::kind)
                .containsExactly(tuple("+14155550100", ContactKind.OTHER), tuple("+14155550111", ContactKind.MOBILE));
        assertThat(contact.addresses())
                .extracting(ContactPoint::value)
                .containsExactly(new Address("25 First Street", "Cambridge", "MA", "02141", "United States"));
        // The one additional address that is none is reported, never kept.
        assertThat(contact.issues())
                .containsExactly(new Drift(
                        "hs_additional_emails", Drift.Kind.TYPE_CHANGED, "EMAIL", "STRING that is not a EMAIL"));
    }

    @Test
    void anOwnersTeamsOfAnotherShapeAreAnIssue() {
        Entity owner = normalizer.normalize(records.owner((JsonObject) Json.parse("""
        {"id":"41629781","email":"kim@example.com","archived":true,"teams":{"id":"1001"},
         "updatedAt":"2026-01-02T00:00:00Z"}""")));
        assertThat(owner.get(User.ACTIVE)).contains(false);
        assertThat(owner.get(User.TEAMS)).isEmpty();
        assertThat(owner.issues()).extracting(Drift::field).containsExactly("teams");
    }

    @Test
    void unknownStagesAndPrioritiesAreOtherWithTheirRawValueKept() {
        Entity unknownStage = normalize("tickets", """
        {"id":"1","updatedAt":"2026-01-02T00:00:00Z","properties":{"hs_pipeline":"0","hs_pipeline_stage":"5","hs_ticket_priority":"P1"}}""");
        assertThat(unknownStage.get(Ticket.STATUS)).contains(new Coded<>(TicketStatus.OTHER, "5"));
        assertThat(unknownStage.get(Ticket.PRIORITY)).contains(new Coded<>(Priority.OTHER, "P1"));

        // Stage "1" of another pipeline is not the default pipeline's New.
        Entity otherPipeline = normalize("tickets", """
        {"id":"2","updatedAt":"2026-01-02T00:00:00Z","properties":{"hs_pipeline":"18012345","hs_pipeline_stage":"1"}}""");
        assertThat(otherPipeline.get(Ticket.STATUS)).contains(new Coded<>(TicketStatus.OTHER, "1"));

        Entity customDeal = normalize("deals", """
        {"id":"3","updatedAt":"2026-01-02T00:00:00Z","properties":{"dealstage":"98765432","pipeline":"4711"}}""");
        assertThat(customDeal.get(Deal.STATUS)).contains(new Coded<>(DealStatus.OTHER, "98765432"));
        assertThat(customDeal.get(Deal.STAGE)).contains(new Stage("98765432", null, "4711", StageKind.OTHER));
        assertThat(otherPipeline.get(Ticket.STAGE)).contains(new Stage("1", null, "18012345", StageKind.OTHER));
        assertThat(List.of(unknownStage, otherPipeline, customDeal))
                .allSatisfy(e -> assertThat(e.issues()).isEmpty());
    }

    @Test
    void aValueOfTheWrongTypeIsAnIssueAndItsFieldStaysEmpty() {
        Entity contact = normalize("contacts", """
        {"id":"4","updatedAt":"2026-01-02T00:00:00Z","properties":{"email":"call me maybe","firstname":"Ann",
         "associatedcompanyid":{"id":"1"}}}""");
        assertThat(contact.get(Person.FIRST_NAME)).contains("Ann");
        assertThat(contact.get(Person.EMAIL)).isEmpty();
        assertThat(contact.get(Person.ORGANIZATION)).isEmpty();
        assertThat(contact.issues())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(
                        tuple("email", Drift.Kind.TYPE_CHANGED), tuple("associatedcompanyid", Drift.Kind.TYPE_CHANGED));
        assertThat(contact.issues().toString()).doesNotContain("call me maybe");
        assertThat(contact.raw().data().string("email")).isEqualTo("call me maybe");
    }

    @Test
    void strictModeStopsTheReadAtTheFirstDealWhoseAmountHasNoCurrency() {
        Normalizer strict = Normalizer.builder().strict(true).build();
        assertThatThrownBy(() -> read(strict, ReadRequest.of("deals")))
                .isInstanceOfSatisfying(
                        SchemaDriftException.class,
                        e -> assertThat(e.drifts())
                                .containsExactly(new Drift(
                                        "amount", Drift.Kind.MISSING, "MONEY with a currency", "no currency")));
        // The contacts sample is clean: strict mode reads it all.
        assertThat(read(strict, ReadRequest.of("contacts"))).hasSize(2);
    }
}
