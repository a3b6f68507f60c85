package dev.switchboard.normalize;

import static dev.switchboard.normalize.LinkingFixtures.hsCompany;
import static dev.switchboard.normalize.LinkingFixtures.hsContact;
import static dev.switchboard.normalize.LinkingFixtures.hsTicket;
import static dev.switchboard.normalize.LinkingFixtures.sfAccount;
import static dev.switchboard.normalize.LinkingFixtures.sfCase;
import static dev.switchboard.normalize.LinkingFixtures.sfContact;
import static dev.switchboard.normalize.LinkingFixtures.sfOpportunity;
import static dev.switchboard.normalize.LinkingFixtures.slackUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.model.Record;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityGraphTest {
    private static final Normalizer N = LinkingFixtures.normalizer();
    private static final Email JANE = Email.parse("jane.doe@acme.com").orElseThrow();

    private static EntityGraph graph(Record... records) {
        return graph(EntityGraph.builder(), records);
    }

    private static EntityGraph graph(EntityGraph.Builder b, Record... records) {
        return b.addAll(N.normalizeAll(List.of(records))).build();
    }

    @Test
    void aPersonInSalesforceHubSpotAndSlackIsLinkedByEmail() {
        EntityGraph g = graph(
                sfContact("0035g00000JaneAAA", " Jane.Doe@Acme.com", "Jane Doe", "0015g00000AcmeAAA"),
                hsContact("101", "jane.doe@acme.com ", "Jane", "Doe", "+1 (415) 555-0100"),
                slackUser("U0JANE", "JANE.DOE@ACME.COM", "Jane D."),
                hsContact("102", "john.roe@acme.com", "John", "Roe", null));

        LinkedEntity jane = g.person(JANE).orElseThrow();
        assertThat(jane.type()).isEqualTo(EntityType.PERSON);
        assertThat(jane.members())
                .extracting(e -> e.origin().connector())
                .containsExactly("salesforce", "hubspot", "slack");
        assertThat(jane.links()).extracting(Link::rule).containsExactly(Link.Rule.EMAIL, Link.Rule.EMAIL);
        assertThat(jane.ids())
                .contains(
                        new ExternalId("salesforce", "0035g00000JaneAAA"),
                        new ExternalId("hubspot", "101"),
                        new ExternalId("slack", "U0JANE"));
        // The same group whichever member is asked about.
        assertThat(g.group(new EntityRef(EntityType.PERSON, "slack", SourceRecords.SLACK, "user", "U0JANE")))
                .containsSame(jane);

        LinkedEntity john =
                g.person(Email.parse("JOHN.ROE@acme.com").orElseThrow()).orElseThrow();
        assertThat(john).isNotSameAs(jane);
        assertThat(john.members()).hasSize(1);
        assertThat(g.groups(EntityType.PERSON)).hasSize(2);
    }

    @Test
    void theMergedViewTakesValuesByPrecedenceEachWithItsProvenanceAndListsConflicts() {
        Record sf = sfContact("0035g00000JaneAAA", "jane.doe@acme.com", "Jane Doe", "0015g00000AcmeAAA");
        Record hs = hsContact("101", "jane.doe@acme.com", "Jane", "Doe", "+1 (415) 555-0100");
        Record slack = slackUser("U0JANE", "jane.doe@acme.com", "Jane D.");
        LinkedEntity jane = graph(slack, hs, sf).person(JANE).orElseThrow();

        // Default precedence: Salesforce, then HubSpot, then the rest; added order does not matter.
        assertThat(jane.members())
                .extracting(e -> e.origin().connector())
                .containsExactly("salesforce", "hubspot", "slack");
        Value<String> name = jane.value(Person.NAME).orElseThrow();
        assertThat(name.value()).isEqualTo("Jane Doe");
        assertThat(name.provenance().origin().connector()).isEqualTo("salesforce");
        assertThat(name.provenance().sourceField()).isEqualTo("Name");
        // Salesforce has no phone: HubSpot's fills in, saying so.
        Value<Phone> phone = jane.value(Person.PHONE).orElseThrow();
        assertThat(phone.value().dialable()).isEqualTo("+14155550100");
        assertThat(phone.provenance().origin().connector()).isEqualTo("hubspot");
        assertThat(phone.provenance().sourceField()).isEqualTo("phone");
        assertThat(jane.get(Person.FIRST_NAME)).contains("Jane");

        Conflict names = jane.conflict("name").orElseThrow();
        assertThat(names.values()).extracting(v -> (Object) v.value()).containsExactly("Jane Doe", "Jane D.");
        assertThat(names.values()).extracting(v -> v.provenance().sourceField()).containsExactly("Name", "real_name");
        assertThat(names.chosen()).isEqualTo(name);
        Conflict phones = jane.conflict("phone").orElseThrow();
        assertThat(phones.values())
                .extracting(v -> v.provenance().origin().connector())
                .containsExactly("hubspot", "slack");
        // Equal emails in different spellings, and record-level fields (refs), are no conflict.
        assertThat(jane.conflicts()).extracting(Conflict::field).containsExactly("name", "phone");

        LinkedEntity slackFirst = graph(EntityGraph.builder().precedence(SourceRecords.SLACK, "hubspot"), sf, hs, slack)
                .person(JANE)
                .orElseThrow();
        assertThat(slackFirst.get(Person.NAME)).contains("Jane D.");
        assertThat(slackFirst
                        .value(Person.PHONE)
                        .orElseThrow()
                        .provenance()
                        .origin()
                        .connector())
                .isEqualTo("slack");
        assertThat(slackFirst.conflict("name").orElseThrow().values())
                .extracting(v -> (Object) v.value())
                .containsExactly("Jane D.", "Jane Doe");
    }

    @Test
    void organizationsAreLinkedByDomainAndByExternalId() {
        EntityGraph g = graph(
                sfAccount("0015g00000AcmeAAA", "Acme Corporation", "https://www.Acme.com/about", "Gold"),
                hsCompany("7001", "Acme", "acme.com", null, "gold"),
                sfAccount("0015g00000GlobAAA", "Globex", null, "Silver"),
                hsCompany("7002", "Globex Inc", "globex.io", "0015g00000GlobAAA", "gold"),
                hsCompany("7003", "Initech", "initech.com", null, "silver"));

        LinkedEntity acme = g.organization("acme.com").orElseThrow();
        assertThat(acme.refs()).extracting(EntityRef::id).containsExactly("0015g00000AcmeAAA", "7001");
        assertThat(acme.links()).extracting(Link::rule).containsExactly(Link.Rule.DOMAIN);
        assertThat(g.organization("http://WWW.acme.com:443/")).containsSame(acme);
        // Same tier code in both spellings: merged from Salesforce, no conflict.
        assertThat(acme.custom("tier").orElseThrow().value()).isEqualTo(new Code("GOLD", "Gold"));
        assertThat(acme.conflict("custom.tier")).isEmpty();
        assertThat(acme.conflict("name").orElseThrow().values()).hasSize(2);

        LinkedEntity globex = g.organization("globex.io").orElseThrow();
        assertThat(globex.refs()).extracting(EntityRef::id).containsExactly("0015g00000GlobAAA", "7002");
        assertThat(globex.links()).extracting(Link::rule).containsExactly(Link.Rule.EXTERNAL_ID);
        // Silver in Salesforce, gold in HubSpot: Salesforce wins, the disagreement is listed.
        assertThat(globex.custom("tier").orElseThrow().value()).isEqualTo(new Code("SILVER", "Silver"));
        assertThat(globex.conflict("custom.tier").orElseThrow().values())
                .extracting(v -> v.provenance().sourceField())
                .containsExactly("Customer_Tier__c", "hs_custom_tier");

        assertThat(g.groups(EntityType.ORGANIZATION)).hasSize(3);
    }

    @Test
    void aSharedExternalIdLinksRecordsThatNameTheSameThirdSystem() {
        EntityGraph g = graph(
                hsCompany("7002", "Globex Inc", "globex.io", "0015g00000GlobAAA", "gold"),
                hsCompany("9002", "Globex (old portal)", "globex-old.io", "0015g00000GlobAAA", "gold"));
        assertThat(g.groups(EntityType.ORGANIZATION))
                .singleElement()
                .satisfies(o -> assertThat(o.links()).extracting(Link::rule).containsExactly(Link.Rule.EXTERNAL_ID));
    }

    @Test
    void publicMailDomainsLinkNothing() {
        EntityGraph g = graph(
                hsContact("201", "bob@gmail.com", "Bob", "Bikes", null),
                hsCompany("7101", "Bob's Bikes", "gmail.com", null, "silver"),
                hsCompany("7102", "Carol's Cakes", "https://www.gmail.com", null, "silver"),
                hsContact("202", "mia@mybrand.example", "Mia", "Brand", null),
                hsCompany("7103", "My Brand", "mybrand.example", null, "silver"));
        LinkedEntity bob = g.person(Email.parse("bob@gmail.com").orElseThrow()).orElseThrow();
        assertThat(g.organizationsOf(bob)).isEmpty();
        assertThat(g.groups(EntityType.ORGANIZATION)).hasSize(3);
        assertThat(g.organization("gmail.com")).isEmpty();

        // A company's own domain does link its people; an extended list stops it.
        LinkedEntity mia =
                g.person(Email.parse("mia@mybrand.example").orElseThrow()).orElseThrow();
        assertThat(g.organizationsOf(mia))
                .extracting(o -> o.get(Organization.NAME).orElseThrow())
                .containsExactly("My Brand");
        EntityGraph stricter = graph(
                EntityGraph.builder().publicMailDomains(List.of("MyBrand.example")),
                hsContact("202", "mia@mybrand.example", "Mia", "Brand", null),
                hsCompany("7103", "My Brand", "mybrand.example", null, "silver"));
        assertThat(stricter.organizationsOf(
                        stricter.person(Email.parse("mia@mybrand.example").orElseThrow())
                                .orElseThrow()))
                .isEmpty();
    }

    @Test
    void aHubSpotTicketComesEnrichedWithSalesforceAccountDataInOneCall() {
        EntityGraph g = graph(
                hsTicket("9001", "Export fails"),
                SourceRecords.hubspotAssociation("contacts", "101", "tickets", "9001"),
                hsContact("101", "Jane.Doe@acme.com", "Jane", "Doe", null),
                sfContact("0035g00000JaneAAA", "jane.doe@acme.com", "Jane Doe", "0015g00000AcmeAAA"),
                sfAccount("0015g00000AcmeAAA", "Acme Corporation", "https://www.acme.com", "Gold"),
                sfOpportunity("0065g00000DealAAA", "0015g00000AcmeAAA", "120000"),
                sfOpportunity("0065g00000OthrAAA", "0015g00000ElseAAA", "5"),
                hsTicket("9002", "Someone else's ticket"),
                SourceRecords.hubspotAssociation("contacts", "102", "tickets", "9002"),
                hsContact("102", "john.roe@initech.com", "John", "Roe", null));

        List<CustomerTicket> tickets = g.ticketsOf(JANE);

        assertThat(tickets).singleElement().satisfies(t -> {
            assertThat(t.ticket().subject()).contains("Export fails");
            assertThat(t.ticket().priority().orElseThrow().code()).isEqualTo(Priority.HIGH);
            assertThat(t.ticket().origin().connector()).isEqualTo("hubspot");
            LinkedEntity requester = t.requester().orElseThrow();
            assertThat(requester.members())
                    .extracting(e -> e.origin().connector())
                    .containsExactly("salesforce", "hubspot");
            LinkedEntity acme = t.organization().orElseThrow();
            assertThat(acme.get(Organization.NAME)).contains("Acme Corporation");
            Value<?> tier = acme.custom("tier").orElseThrow();
            assertThat(tier.value()).isEqualTo(new Code("GOLD", "Gold"));
            assertThat(tier.provenance().origin().connector()).isEqualTo("salesforce");
            assertThat(tier.provenance().sourceField()).isEqualTo("Customer_Tier__c");
            assertThat(acme.get(Organization.OWNER).orElseThrow().id()).isEqualTo("0055g00000OwnerAAA");
            assertThat(acme.get(Organization.ANNUAL_REVENUE)).contains(Money.of("5000000", "USD"));
            assertThat(t.deals())
                    .singleElement()
                    .satisfies(d -> assertThat(d.get(Deal.AMOUNT)).contains(Money.of("120000", "USD")));
        });
        assertThat(g.ticketsOfDomain("https://www.acme.com/"))
                .extracting(t -> t.ticket().ref().id())
                .containsExactly("9001");
        assertThat(g.ticketsOf(Email.parse("nobody@acme.com").orElseThrow())).isEmpty();
    }

    @Test
    void ticketsOfACustomerComeFromEverySourceAndNeverFromTheAgentWhoOwnsThem() {
        EntityGraph g = graph(
                sfContact("0035g00000JaneAAA", "jane.doe@acme.com", "Jane Doe", "0015g00000AcmeAAA"),
                sfAccount("0015g00000AcmeAAA", "Acme Corporation", "acme.com", "Gold"),
                sfCase("5005g00000CaseAAA", "0035g00000JaneAAA", "0015g00000AcmeAAA", "Login loop"),
                hsTicket("9001", "Export fails"),
                SourceRecords.hubspotAssociation("contacts", "101", "tickets", "9001"),
                hsContact("101", "jane.doe@acme.com", "Jane", "Doe", null),
                // An Acme colleague's ticket: the organization's, not Jane's.
                hsContact("103", "sam@acme.com", "Sam", "Lee", null),
                hsTicket("9003", "Invoice question"),
                SourceRecords.hubspotAssociation("contacts", "103", "tickets", "9003"));

        assertThat(g.ticketsOf(JANE))
                .extracting(t -> t.ticket().ref().id())
                .containsExactlyInAnyOrder("5005g00000CaseAAA", "9001");
        CustomerTicket sfCase = g.ticketsOf(JANE).stream()
                .filter(t -> t.ticket().origin().connector().equals("salesforce"))
                .findFirst()
                .orElseThrow();
        assertThat(sfCase.requester().orElseThrow().members()).hasSize(2);
        assertThat(sfCase.organizations()).hasSize(1);
        assertThat(g.ticketsOf(g.organization("acme.com").orElseThrow()))
                .extracting(t -> t.ticket().ref().id())
                .containsExactlyInAnyOrder("5005g00000CaseAAA", "9001", "9003");
        assertThatThrownBy(() -> g.ticketsOf(g.groups(EntityType.TICKET).get(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordAddedAgainReplacesItsEarlierVersion() {
        EntityGraph g = graph(
                hsContact("101", "jane@old.example", "Jane", "Doe", null),
                hsContact("101", "jane.doe@acme.com", "Jane", "Doe", null));
        assertThat(g.groups()).hasSize(1);
        assertThat(g.person(JANE)).isPresent();
        assertThat(g.person(Email.parse("jane@old.example").orElseThrow())).isEmpty();
    }
}
