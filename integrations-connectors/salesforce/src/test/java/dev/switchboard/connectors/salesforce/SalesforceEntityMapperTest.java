package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.switchboard.connectors.salesforce.internal.SalesforceRecords;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.normalize.Activity;
import dev.switchboard.normalize.ActivityKind;
import dev.switchboard.normalize.ActivityStatus;
import dev.switchboard.normalize.Address;
import dev.switchboard.normalize.Coded;
import dev.switchboard.normalize.Comment;
import dev.switchboard.normalize.ContactKind;
import dev.switchboard.normalize.ContactPoint;
import dev.switchboard.normalize.Deal;
import dev.switchboard.normalize.DealStatus;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityRef;
import dev.switchboard.normalize.EntityStream;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.GenericEntity;
import dev.switchboard.normalize.Lead;
import dev.switchboard.normalize.Money;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.PersonKind;
import dev.switchboard.normalize.Phone;
import dev.switchboard.normalize.Priority;
import dev.switchboard.normalize.Provenance;
import dev.switchboard.normalize.Stage;
import dev.switchboard.normalize.StageKind;
import dev.switchboard.normalize.Team;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.TicketStatus;
import dev.switchboard.normalize.User;
import dev.switchboard.normalize.Value;
import dev.switchboard.normalize.Visibility;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.VendorSamples;
import dev.switchboard.testkit.fake.FakeSalesforce;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Salesforce records in the unified model: the streams read end to end from {@link FakeSalesforce}
 * through {@link Normalizer#read}, the captured query sample, and rows built through the connector's
 * own {@link SalesforceRecords} for the shapes the fake does not seed (references, currencies, closed
 * deals, queues, unknown picklist values, values of the wrong type).
 */
class SalesforceEntityMapperTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    private static final String CONNECTION = "sf-acme";
    private final AgentContext context = AgentContext.of(Principal.user("agent-user", "tenant-1"));
    private final Normalizer normalizer = Normalizer.standard();
    private final SalesforceRecords records = new SalesforceRecords(CONNECTION, FakeSalesforce.ORG_ID);
    private FakeConnection harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** Every entity of a stream, read through the connector from the fake and normalized as it is read. */
    private Map<String, Entity> read(String stream) {
        if (harness == null) {
            harness = FakeConnection.to(FAKE, SalesforceConnector.ID)
                    .connectionId(CONNECTION)
                    .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                    .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()))
                    .clock(ManualClock.at(Instant.parse("2026-06-01T09:00:00Z")))
                    .context(context)
                    .build();
        }
        Map<String, Entity> byId = new LinkedHashMap<>();
        try (EntityStream entities = normalizer.read(
                harness.connection(), context, ReadRequest.of(stream).pageSize(2))) {
            for (Entity e : entities) {
                byId.put(e.origin().sourceId(), e);
            }
        }
        return byId;
    }

    /** Salesforce's wire form ({@code 2026-05-01T08:00:00.000+0000}), read by java.time, not the connector's parsing. */
    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxx");

    private static Instant instant(JsonObject row, String field) {
        return OffsetDateTime.parse(row.string(field), WIRE).toInstant();
    }

    /** Provenance of a value: the field, the record's id, its SystemModstamp, the org. */
    private static void assertFrom(
            Entity e, dev.switchboard.normalize.Field<?> field, String sourceField, JsonObject row) {
        Provenance p = e.provenance(field).orElseThrow(() -> new AssertionError(field + " has no value"));
        assertThat(p.sourceField()).as(field.toString()).isEqualTo(sourceField);
        assertThat(p.origin().connector()).isEqualTo("salesforce");
        assertThat(p.origin().connection()).isEqualTo(CONNECTION);
        assertThat(p.origin().account()).isEqualTo(FakeSalesforce.ORG_ID);
        assertThat(p.origin().sourceId()).isEqualTo(row.string("Id"));
        assertThat(p.origin().sourceVersion()).isEqualTo(row.string("SystemModstamp"));
    }

    private static EntityRef ref(EntityType type, String object, String id) {
        return new EntityRef(type, "salesforce", CONNECTION, object, id);
    }

    private Entity normalize(String stream, String json) {
        return normalizer.normalize(records.map(stream, "OwnerId", (JsonObject) Json.parse(json)));
    }

    @Test
    void accountsBecomeOrganizationsWithTheirBareDomainAndNoGuessedCurrency() {
        Map<String, Entity> accounts = read("Account");
        List<JsonObject> rows = FAKE.records("Account");

        assertThat(accounts).hasSize(rows.size());
        for (JsonObject row : rows) {
            Entity e = accounts.get(row.string("Id"));
            assertThat(e).isInstanceOf(Organization.class);
            assertThat(e.get(Organization.NAME)).contains(row.string("Name"));
            assertThat(e.get(Organization.WEBSITE)).contains(row.string("Website"));
            // The fake's websites are https://www.example-N.com: the domain drops the scheme and www.
            assertThat(row.string("Website")).startsWith("https://www.");
            assertThat(e.get(Organization.DOMAIN))
                    .contains(row.string("Website").substring("https://www.".length()));
            assertThat(e.get(Organization.EMPLOYEES))
                    .contains(row.number("NumberOfEmployees").longValueExact());
            assertThat(e.get(Organization.INDUSTRY)).isEqualTo(java.util.Optional.ofNullable(row.string("Industry")));
            assertThat(e.get(Organization.OWNER)).contains(ref(EntityType.USER, "User", FakeSalesforce.API_USER_ID));
            assertThat(e.get(Organization.CREATED_AT)).contains(instant(row, "CreatedDate"));
            assertThat(e.get(Organization.UPDATED_AT)).contains(instant(row, "LastModifiedDate"));
            assertFrom(e, Organization.NAME, "Name", row);
            assertFrom(e, Organization.DOMAIN, "Website", row);
            assertFrom(e, Organization.OWNER, "OwnerId", row);
            // The org is single-currency as far as the connector knows: the revenue is left out, and said so.
            assertThat(row.number("AnnualRevenue")).isNotNull();
            assertThat(e.get(Organization.ANNUAL_REVENUE)).isEmpty();
            assertThat(e.issues())
                    .containsExactly(
                            new Drift("AnnualRevenue", Drift.Kind.MISSING, "MONEY with a currency", "no currency"));
            assertThat(e.raw().data()).isEqualTo(row);
        }
        assertThat(accounts.values().iterator().next().get(Organization.DOMAIN)).contains("example-0.com");
        // The fake seeds its first records at 2026-05-01T08:00:00Z.
        assertThat(accounts.get(rows.get(0).string("Id")).get(Organization.CREATED_AT))
                .contains(Instant.parse("2026-05-01T08:00:00Z"));
    }

    @Test
    void contactsArePeopleAndUsersAreUsersOfTheOrg() {
        Map<String, Entity> contacts = read("Contact");
        for (JsonObject row : FAKE.records("Contact")) {
            Entity e = contacts.get(row.string("Id"));
            assertThat(e).isInstanceOf(Person.class);
            assertThat(e.get(Person.KIND)).contains(new Coded<>(PersonKind.CONTACT, "Contact"));
            assertThat(e.provenance(Person.KIND).orElseThrow().sourceField()).isNull(); // derived from the object
            assertThat(e.get(Person.FIRST_NAME)).contains(row.string("FirstName"));
            assertThat(e.get(Person.LAST_NAME)).contains(row.string("LastName"));
            assertThat(e.get(Person.EMAIL).map(Email::address)).contains(row.string("Email"));
            assertThat(e.get(Person.TITLE)).contains(row.string("Title"));
            assertThat(e.get(Person.ORGANIZATION)).isEmpty(); // the fake's contacts have no account
            assertFrom(e, Person.EMAIL, "Email", row);
            assertThat(e.issues()).isEmpty();
        }

        Map<String, Entity> users = read("User");
        assertThat(users).hasSize(FAKE.records("User").size());
        for (JsonObject row : FAKE.records("User")) {
            Entity e = users.get(row.string("Id"));
            assertThat(e).isInstanceOf(User.class);
            assertThat(e.ref()).isEqualTo(ref(EntityType.USER, "User", row.string("Id")));
            assertThat(e.get(User.NAME)).contains(row.string("Name"));
            assertThat(e.get(User.EMAIL).map(Email::address)).contains(row.string("Email"));
            assertThat(e.get(User.ACTIVE)).contains(row.bool("IsActive"));
            assertThat(e.origin().account()).isEqualTo(FakeSalesforce.ORG_ID);
            assertFrom(e, User.NAME, "Name", row);
            assertFrom(e, User.ACTIVE, "IsActive", row);
            assertThat(e.issues()).isEmpty();
        }
    }

    @Test
    void casesBecomeTicketsWithTheirStatusAndPriorityCodes() {
        Map<String, TicketStatus> expectedStatus =
                Map.of("New", TicketStatus.NEW, "Working", TicketStatus.OPEN, "Closed", TicketStatus.CLOSED);
        Map<String, Priority> expectedPriority = Map.of("High", Priority.HIGH, "Medium", Priority.MEDIUM);
        Map<String, Entity> cases = read("Case");
        List<TicketStatus> seen = new ArrayList<>();
        for (JsonObject row : FAKE.records("Case")) {
            Entity e = cases.get(row.string("Id"));
            assertThat(e).isInstanceOf(Ticket.class);
            assertThat(e.get(Ticket.SUBJECT)).contains(row.string("Subject"));
            assertThat(e.get(Ticket.DESCRIPTION)).isEqualTo(java.util.Optional.ofNullable(row.string("Description")));
            Coded<TicketStatus> status = e.get(Ticket.STATUS).orElseThrow();
            assertThat(status).isEqualTo(new Coded<>(expectedStatus.get(row.string("Status")), row.string("Status")));
            assertThat(e.get(Ticket.PRIORITY))
                    .contains(new Coded<>(expectedPriority.get(row.string("Priority")), row.string("Priority")));
            assertThat(e.get(Ticket.OWNER)).contains(ref(EntityType.USER, "User", FakeSalesforce.API_USER_ID));
            assertThat(e.get(Ticket.CREATED_AT)).contains(instant(row, "CreatedDate"));
            assertFrom(e, Ticket.STATUS, "Status", row);
            assertFrom(e, Ticket.PRIORITY, "Priority", row);
            assertThat(e.get(Ticket.STAGE).map(Stage::kind))
                    .contains(Map.of("New", StageKind.NEW, "Working", StageKind.OPEN, "Closed", StageKind.CLOSED)
                            .get(row.string("Status")));
            assertFrom(e, Ticket.STAGE, "Status", row);
            seen.add(status.code());
        }
        assertThat(seen).contains(TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.CLOSED);
    }

    @Test
    void opportunitiesBecomeDealsWithStageStatusShareAndCloseDate() {
        Map<String, Entity> deals = read("Opportunity");
        for (JsonObject row : FAKE.records("Opportunity")) {
            Entity e = deals.get(row.string("Id"));
            assertThat(e).isInstanceOf(Deal.class);
            assertThat(e.get(Deal.NAME)).contains(row.string("Name"));
            // The fake's opportunities are all open (IsClosed false): their stage is an open one.
            assertThat(e.get(Deal.STAGE))
                    .contains(new Stage(row.string("StageName"), row.string("StageName"), null, StageKind.OPEN));
            assertFrom(e, Deal.STAGE, "StageName", row);
            assertThat(e.get(Deal.STATUS)).contains(new Coded<>(DealStatus.OPEN, "false"));
            assertFrom(e, Deal.STATUS, "IsClosed", row);
            assertThat(e.get(Deal.PROBABILITY).orElseThrow())
                    .isEqualByComparingTo(row.number("Probability").divide(BigDecimal.valueOf(100)));
            assertFrom(e, Deal.PROBABILITY, "Probability", row);
            assertThat(e.get(Deal.CLOSE_DATE)).contains(LocalDate.parse(row.string("CloseDate")));
            assertThat(e.get(Deal.AMOUNT)).isEmpty();
            assertThat(e.issues()).extracting(Drift::field).containsExactly("Amount");
        }
    }

    @Test
    void tasksBecomeActivitiesDueAtMidnightUtc() {
        Map<String, Entity> tasks = read("Task");
        for (JsonObject row : FAKE.records("Task")) {
            Entity e = tasks.get(row.string("Id"));
            assertThat(e).isInstanceOf(Activity.class);
            assertThat(e.get(Activity.KIND)).contains(new Coded<>(ActivityKind.TASK, "Task"));
            assertThat(e.get(Activity.SUBJECT)).contains(row.string("Subject"));
            assertThat(e.get(Activity.STATUS)).contains(new Coded<>(ActivityStatus.OPEN, "Not Started"));
            assertThat(e.get(Activity.DUE_AT))
                    .contains(LocalDate.parse(row.string("ActivityDate"))
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant());
            assertFrom(e, Activity.DUE_AT, "ActivityDate", row);
            assertThat(e.get(Activity.OWNER)).contains(ref(EntityType.USER, "User", FakeSalesforce.API_USER_ID));
        }
    }

    @Test
    void referencesAreTypedByTheirIdPrefixAndQueuesAreNoOwners() {
        Entity contact = normalize("Contact", """
        {"attributes":{"type":"Contact"},"Id":"003RO0000000009AAA","AccountId":"001RO0000000001AAA","LastName":"Young",
         "OwnerId":"005RO0000000001AAA","SystemModstamp":"2026-05-01T08:00:00.000+0000"}""");
        assertThat(contact.get(Person.ORGANIZATION))
                .contains(ref(EntityType.ORGANIZATION, "Account", "001RO0000000001AAA"));
        assertThat(contact.provenance(Person.ORGANIZATION).orElseThrow().sourceField())
                .isEqualTo("AccountId");

        Entity kase = normalize("Case", """
        {"attributes":{"type":"Case"},"Id":"500RO0000000009AAA","ContactId":"003RO0000000009AAA",
         "AccountId":"001RO0000000001AAA","OwnerId":"00GRO0000000001AAA","Status":"Escalated","Priority":"Critical",
         "ClosedDate":"2026-05-02T10:15:00.000+0200","SystemModstamp":"2026-05-02T08:15:00.000+0000"}""");
        assertThat(kase.get(Ticket.REQUESTER)).contains(ref(EntityType.PERSON, "Contact", "003RO0000000009AAA"));
        assertThat(kase.get(Ticket.ORGANIZATION))
                .contains(ref(EntityType.ORGANIZATION, "Account", "001RO0000000001AAA"));
        assertThat(kase.get(Ticket.OWNER)).isEmpty(); // a queue owns it
        assertThat(kase.raw().data().string("OwnerId")).isEqualTo("00GRO0000000001AAA");
        assertThat(kase.get(Ticket.STATUS)).contains(new Coded<>(TicketStatus.OPEN, "Escalated"));
        assertThat(kase.get(Ticket.PRIORITY)).contains(new Coded<>(Priority.URGENT, "Critical"));
        assertThat(kase.get(Ticket.CLOSED_AT)).contains(Instant.parse("2026-05-02T08:15:00Z")); // in UTC
        assertThat(kase.ref()).isEqualTo(ref(EntityType.TICKET, "Case", "500RO0000000009AAA"));

        Entity aboutADeal = normalize("Task", """
        {"attributes":{"type":"Task"},"Id":"00TRO0000000009AAA","WhatId":"006RO0000000001AAA","WhoId":"003RO0000000009AAA",
         "Status":"Completed","Priority":"Normal"}""");
        assertThat(aboutADeal.get(Activity.RELATED_TO))
                .contains(ref(EntityType.DEAL, "Opportunity", "006RO0000000001AAA"));
        assertThat(aboutADeal.get(Activity.STATUS)).contains(new Coded<>(ActivityStatus.DONE, "Completed"));
        assertThat(aboutADeal.get(Activity.PRIORITY)).contains(new Coded<>(Priority.MEDIUM, "Normal"));
        Entity aboutALead = normalize("Task", """
        {"attributes":{"type":"Task"},"Id":"00TRO0000000010AAA","WhoId":"00QRO0000000001AAA"}""");
        assertThat(aboutALead.get(Activity.RELATED_TO)).contains(ref(EntityType.LEAD, "Lead", "00QRO0000000001AAA"));
        assertThat(aboutALead.provenance(Activity.RELATED_TO).orElseThrow().sourceField())
                .isEqualTo("WhoId");
    }

    @Test
    void closedDealsAreWonOrLostAndAmountsKeepTheirRecordsCurrency() {
        Entity won = normalize("Opportunity", """
        {"attributes":{"type":"Opportunity"},"Id":"006RO0000000009AAA","Name":"Big one","StageName":"Closed Won",
         "IsClosed":true,"IsWon":true,"Amount":125000.50,"CurrencyIsoCode":"EUR","Probability":100}""");
        assertThat(won.get(Deal.STATUS)).contains(new Coded<>(DealStatus.WON, "true"));
        assertThat(won.provenance(Deal.STATUS).orElseThrow().sourceField()).isEqualTo("IsWon");
        assertThat(won.get(Deal.AMOUNT)).contains(Money.of("125000.50", "EUR"));
        assertThat(won.provenance(Deal.AMOUNT).orElseThrow().sourceField()).isEqualTo("Amount");
        assertThat(won.get(Deal.PROBABILITY).orElseThrow()).isEqualByComparingTo("1");
        assertThat(won.issues()).isEmpty();

        Entity lost = normalize("Opportunity", """
        {"attributes":{"type":"Opportunity"},"Id":"006RO0000000010AAA","StageName":"Closed Lost","IsClosed":true,
         "IsWon":false}""");
        assertThat(lost.get(Deal.STATUS)).contains(new Coded<>(DealStatus.LOST, "false"));
        assertThat(won.get(Deal.STAGE).map(Stage::kind)).contains(StageKind.WON);
        assertThat(lost.get(Deal.STAGE).map(Stage::kind)).contains(StageKind.LOST);

        Entity account = normalize("Account", """
        {"attributes":{"type":"Account"},"Id":"001RO0000000009AAA","AnnualRevenue":2500000,"CurrencyIsoCode":"JPY"}""");
        assertThat(account.get(Organization.ANNUAL_REVENUE)).contains(Money.of("2500000", "JPY"));
    }

    @Test
    void everyPhoneAndAddressOfAContactAndAnAccountComesWithItsKindAndField() {
        Entity contact = normalize("Contact", """
        {"attributes":{"type":"Contact"},"Id":"003RO0000000011AAA","LastName":"Young","Email":"rose@example.com",
         "Phone":"+1 415 555 0100","MobilePhone":"+1 415 555 0101","HomePhone":"+1 415 555 0102",
         "OtherPhone":"+1 415 555 0100","MailingStreet":"1 Market St","MailingCity":"San Francisco",
         "MailingState":"CA","MailingPostalCode":"94105","MailingCountry":"USA",
         "OtherAddress":{"city":"Lyon","country":"France","geocodeAccuracy":null,"latitude":null,"longitude":null,
          "postalCode":"69002","state":null,"street":"10 Rue de la Republique"}}""");
        Person person = (Person) contact;
        assertThat(person.phones())
                .extracting(
                        p -> p.value().dialable(),
                        ContactPoint::kind,
                        p -> p.provenance().sourceField())
                .containsExactly(
                        tuple("+14155550100", ContactKind.WORK, "Phone"),
                        tuple("+14155550101", ContactKind.MOBILE, "MobilePhone"),
                        tuple("+14155550102", ContactKind.HOME, "HomePhone")); // OtherPhone repeats Phone: once
        assertThat(person.get(Person.PHONE).map(Phone::dialable)).contains("+14155550100"); // still the primary
        assertThat(person.emails())
                .extracting(p -> p.value().address(), ContactPoint::kind)
                .containsExactly(tuple("rose@example.com", ContactKind.OTHER)); // labelled just "Email"
        assertThat(person.addresses())
                .extracting(
                        ContactPoint::value,
                        ContactPoint::kind,
                        p -> p.provenance().sourceField())
                .containsExactly(
                        tuple(
                                new Address("1 Market St", "San Francisco", "CA", "94105", "USA"),
                                ContactKind.MAILING,
                                "MailingAddress"),
                        tuple(
                                new Address("10 Rue de la Republique", "Lyon", null, "69002", "France"),
                                ContactKind.OTHER,
                                "OtherAddress"));
        assertThat(contact.issues()).isEmpty();

        Organization account = (Organization) normalize("Account", """
        {"attributes":{"type":"Account"},"Id":"001RO0000000011AAA","Name":"Acme","Phone":"(415) 555-0199",
         "BillingCity":"San Francisco","BillingCountry":"USA","ShippingStreet":"2 Dock Rd","ShippingCity":"Oakland"}""");
        assertThat(account.phones()).extracting(ContactPoint::kind).containsExactly(ContactKind.WORK);
        assertThat(account.addresses())
                .extracting(ContactPoint::value, ContactPoint::kind)
                .containsExactly(
                        tuple(new Address(null, "San Francisco", null, null, "USA"), ContactKind.BILLING),
                        tuple(new Address("2 Dock Rd", "Oakland", null, null, null), ContactKind.SHIPPING));
    }

    @Test
    void aPhoneThatIsNoPhoneIsAnIssueAndLeftOutOfThePhones() {
        Person contact = (Person) normalize("Contact", """
        {"attributes":{"type":"Contact"},"Id":"003RO0000000012AAA","LastName":"Barr","Phone":"+1 415 555 0100",
         "MobilePhone":"call my assistant"}""");
        assertThat(contact.phones()).extracting(ContactPoint::kind).containsExactly(ContactKind.WORK);
        assertThat(contact.issues()).extracting(Drift::field).containsExactly("MobilePhone");
    }

    @Test
    void aLeadIsALeadWithItsCompanyStatusOwnerAndAddress() {
        Lead lead = (Lead) normalize("Lead", """
        {"attributes":{"type":"Lead","url":"/services/data/v62.0/sobjects/Lead/00QRO0000000001AAA"},
         "Id":"00QRO0000000001AAA","FirstName":"Sarah","LastName":"Loehr","Name":"Sarah Loehr",
         "Company":"MedLife Inc.","Title":"CFO","Status":"Working - Contacted","Email":"sarahloehr@medlife.example",
         "Phone":"(212) 555-7000","MobilePhone":"(212) 555-7001","Street":"310 Broadway","City":"New York",
         "State":"NY","PostalCode":"10007","Country":"USA","IsConverted":false,"OwnerId":"005RO0000000001AAA",
         "CreatedDate":"2026-05-01T08:00:00.000+0000","LastModifiedDate":"2026-05-02T08:00:00.000+0000",
         "SystemModstamp":"2026-05-02T08:00:00.000+0000"}""");
        assertThat(lead.ref()).isEqualTo(ref(EntityType.LEAD, "Lead", "00QRO0000000001AAA"));
        assertThat(lead.name()).contains("Sarah Loehr");
        assertThat(lead.company()).contains("MedLife Inc.");
        assertThat(lead.get(Lead.STATUS)).contains("Working - Contacted");
        assertThat(lead.converted()).contains(false);
        assertThat(lead.owner()).contains(ref(EntityType.USER, "User", "005RO0000000001AAA"));
        assertThat(lead.email().map(Email::address)).contains("sarahloehr@medlife.example");
        assertThat(lead.get(Lead.PHONES).orElseThrow())
                .extracting(ContactPoint::kind)
                .containsExactly(ContactKind.OTHER, ContactKind.MOBILE);
        assertThat(lead.get(Lead.ADDRESSES).orElseThrow())
                .extracting(ContactPoint::value, p -> p.provenance().sourceField())
                .containsExactly(tuple(new Address("310 Broadway", "New York", "NY", "10007", "USA"), "Address"));
        assertThat(lead.get(Lead.ADDRESSES).orElseThrow().get(0).kind()).isEqualTo(ContactKind.OTHER);
        assertThat(lead.issues()).isEmpty();
    }

    @Test
    void aCaseCommentIsACommentOnItsTicketPublicWhenPublished() {
        Comment published = (Comment) normalize("CaseComment", """
        {"attributes":{"type":"CaseComment","url":"/services/data/v62.0/sobjects/CaseComment/00aRO0000000001AAA"},
         "Id":"00aRO0000000001AAA","ParentId":"500RO0000000001AAA","CommentBody":"We shipped a replacement.",
         "IsPublished":true,"CreatedById":"005RO0000000001AAA","CreatedDate":"2026-05-03T09:30:00.000+0000",
         "LastModifiedDate":"2026-05-03T09:30:00.000+0000","SystemModstamp":"2026-05-03T09:30:00.000+0000"}""");
        assertThat(published.ticket()).contains(ref(EntityType.TICKET, "Case", "500RO0000000001AAA"));
        assertThat(published.body()).contains("We shipped a replacement.");
        assertThat(published.visibility()).contains(new Coded<>(Visibility.PUBLIC, "true"));
        assertThat(published.provenance(Comment.VISIBILITY).orElseThrow().sourceField())
                .isEqualTo("IsPublished");
        assertThat(published.author()).contains(ref(EntityType.USER, "User", "005RO0000000001AAA"));
        assertThat(published.createdAt()).contains(Instant.parse("2026-05-03T09:30:00Z"));

        Comment internal = (Comment) normalize("CaseComment", """
        {"attributes":{"type":"CaseComment"},"Id":"00aRO0000000002AAA","ParentId":"500RO0000000001AAA",
         "CommentBody":"Customer is on the legacy plan.","IsPublished":false,"CreatedById":"005RO0000000002AAA"}""");
        assertThat(internal.visibility()).contains(new Coded<>(Visibility.INTERNAL, "false"));
    }

    @Test
    void aQueueIsATeamAndACustomClosedStatusIsAClosedStage() {
        Team queue = (Team) normalize("Group", """
        {"attributes":{"type":"Group"},"Id":"00GRO0000000001AAA","Name":"Tier 2 Support","Type":"Queue",
         "CreatedDate":"2026-01-01T00:00:00.000+0000","LastModifiedDate":"2026-01-02T00:00:00.000+0000"}""");
        assertThat(queue.name()).contains("Tier 2 Support");
        assertThat(queue.ref()).isEqualTo(ref(EntityType.TEAM, "Group", "00GRO0000000001AAA"));

        Entity solved = normalize("Case", """
        {"attributes":{"type":"Case"},"Id":"500RO0000000012AAA","Status":"Solved","IsClosed":true}""");
        assertThat(solved.get(Ticket.STAGE)).contains(new Stage("Solved", null, null, StageKind.CLOSED));
        Entity parked = normalize("Case", """
        {"attributes":{"type":"Case"},"Id":"500RO0000000013AAA","Status":"Awaiting Parts","IsClosed":false}""");
        assertThat(parked.get(Ticket.STAGE)).contains(new Stage("Awaiting Parts", null, null, StageKind.OTHER));
    }

    @Test
    void anUnknownPicklistValueIsOtherWithItsRawValueKept() {
        Entity kase = normalize("Case", """
        {"attributes":{"type":"Case"},"Id":"500RO0000000011AAA","Status":"Awaiting Parts","Priority":"P2"}""");
        assertThat(kase.get(Ticket.STATUS)).contains(new Coded<>(TicketStatus.OTHER, "Awaiting Parts"));
        assertThat(kase.get(Ticket.PRIORITY)).contains(new Coded<>(Priority.OTHER, "P2"));
        assertThat(kase.issues()).isEmpty();

        Entity task = normalize("Task", """
        {"attributes":{"type":"Task"},"Id":"00TRO0000000011AAA","Status":"Blocked by legal"}""");
        assertThat(task.get(Activity.STATUS).orElseThrow().isOther()).isTrue();
        assertThat(task.get(Activity.STATUS).orElseThrow().raw()).isEqualTo("Blocked by legal");
    }

    private static final String WRONG_TYPES = """
      {"attributes":{"type":"Account"},"Id":"001RO0000000012AAA","Name":"Typed Ltd","NumberOfEmployees":"a few",
       "Website":{"url":"acme.com"},"CreatedDate":"2026-05-01T08:00:00","SystemModstamp":"2026-05-01T08:00:00.000+0000"}""";

    @Test
    void aValueOfTheWrongTypeIsAnIssueAndItsFieldStaysEmpty() {
        Entity account = normalize("Account", WRONG_TYPES);

        assertThat(account.get(Organization.NAME)).contains("Typed Ltd");
        assertThat(account.get(Organization.EMPLOYEES)).isEmpty();
        assertThat(account.get(Organization.DOMAIN)).isEmpty();
        assertThat(account.get(Organization.WEBSITE)).isEmpty();
        assertThat(account.get(Organization.CREATED_AT)).isEmpty(); // no offset: its zone is unknown
        assertThat(account.issues())
                .extracting(Drift::field, Drift::kind)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("NumberOfEmployees", Drift.Kind.TYPE_CHANGED),
                        org.assertj.core.groups.Tuple.tuple("Website", Drift.Kind.TYPE_CHANGED),
                        org.assertj.core.groups.Tuple.tuple("Website", Drift.Kind.TYPE_CHANGED),
                        org.assertj.core.groups.Tuple.tuple("CreatedDate", Drift.Kind.TYPE_CHANGED));
        assertThat(account.raw().data().string("NumberOfEmployees")).isEqualTo("a few"); // kept as sent
    }

    @Test
    void strictModeRefusesARecordWithAValueOfTheWrongType() {
        Normalizer strict = Normalizer.builder().strict(true).build();
        Record record = records.map("Account", "OwnerId", (JsonObject) Json.parse(WRONG_TYPES));

        assertThatThrownBy(() -> strict.normalize(record))
                .isInstanceOfSatisfying(
                        SchemaDriftException.class,
                        e -> assertThat(e.drifts())
                                .extracting(Drift::field)
                                .contains("NumberOfEmployees", "CreatedDate"));
        // A clean record passes strict mode.
        Entity clean = strict.normalize(records.map("Contact", "OwnerId", (JsonObject) Json.parse("""
        {"attributes":{"type":"Contact"},"Id":"003RO0000000012AAA","LastName":"Barr","Email":"tim@example.com"}""")));
        assertThat(clean.get(Person.EMAIL)).contains(new Email("tim@example.com"));
    }

    @Test
    void theCapturedQuerySampleIsAGenericEntityWithEveryFieldTyped() {
        JsonObject row = (JsonObject) ((JsonObject) VendorSamples.json("salesforce/nifi_query_sobject.json"))
                .array("records")
                .get(0);
        Entity e = normalizer.normalize(records.map("DateTestObject__c", "", row));

        assertThat(e).isInstanceOf(GenericEntity.class);
        assertThat(e.type()).isEqualTo(EntityType.GENERIC);
        assertThat(e.origin().object()).isEqualTo("DateTestObject__c");
        assertThat(e.origin().sourceId()).isEqualTo("a01KA000000MRoRYAW");
        JsonObject data = e.raw().data();
        assertThat(e.customValues().keySet()).containsExactlyElementsOf(data.names());
        for (String name : data.names()) {
            Value<?> v = e.custom(name).orElseThrow();
            assertThat(v.value()).as(name).isEqualTo(data.string(name)); // every field of the sample is a JSON string
            assertThat(v.provenance().sourceField()).isEqualTo(name);
            assertThat(v.provenance().origin().sourceId()).isEqualTo("a01KA000000MRoRYAW");
        }
        assertThat(e.custom("datetime__c").orElseThrow().value()).isEqualTo("2025-12-16T13:05:30.000+0000");
        assertThat(e.issues()).isEmpty();
    }

    @Test
    void theMapperIsFoundByServiceLoaderAndClaimsOnlyItsStreams() {
        List<String> mapped = new ArrayList<>();
        for (dev.switchboard.normalize.EntityMapper m :
                java.util.ServiceLoader.load(dev.switchboard.normalize.EntityMapper.class)) {
            if (m.connector().equals(SalesforceConnector.ID)) {
                new SalesforceConnector().descriptor().streams().forEach(s -> {
                    if (m.maps(s.name())) {
                        mapped.add(s.name());
                    }
                });
                assertThat(m.maps("DateTestObject__c")).isFalse();
            }
        }
        assertThat(mapped).containsExactlyInAnyOrder("Account", "Case", "Contact", "Opportunity", "Task", "User");
    }
}
