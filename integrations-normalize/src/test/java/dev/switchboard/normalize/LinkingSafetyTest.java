package dev.switchboard.normalize;

import static dev.switchboard.normalize.LinkingFixtures.hsCompany;
import static dev.switchboard.normalize.LinkingFixtures.hsContact;
import static dev.switchboard.normalize.LinkingFixtures.sfAccount;
import static dev.switchboard.normalize.LinkingFixtures.sfContact;
import static dev.switchboard.normalize.LinkingFixtures.slackUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.model.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Linking that never merges strangers: shared addresses, disagreeing identifiers, pins, explanations. */
class LinkingSafetyTest {
    private static final Normalizer N = LinkingFixtures.normalizer();

    private static EntityGraph graph(EntityGraph.Builder b, Record... records) {
        return b.addAll(N.normalizeAll(List.of(records))).build();
    }

    private static EntityGraph graph(Record... records) {
        return graph(EntityGraph.builder(), records);
    }

    private static EntityRef sf(String id) {
        return new EntityRef(EntityType.PERSON, "salesforce", SourceRecords.SF, "Contact", id);
    }

    private static EntityRef hs(String id) {
        return new EntityRef(EntityType.PERSON, "hubspot", SourceRecords.HS, "contacts", id);
    }

    private static Email email(String address) {
        return Email.parse(address).orElseThrow();
    }

    @Test
    void aRoleAddressLinksNoOneAndNamesNoOnePerson() {
        EntityGraph g = graph(
                sfContact("003A", "Support@Acme.com", "Jane Doe", null),
                hsContact("901", "support@acme.com", "John", "Roe", null),
                hsContact("902", "jane.doe@acme.com", "Jane", "Doe", null));

        assertThat(g.groups(EntityType.PERSON)).hasSize(3);
        assertThat(g.person(email("support@acme.com"))).isEmpty();
        assertThat(g.peopleWith(email("support@acme.com"))).hasSize(2);
        assertThat(g.linkConflicts()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo(LinkConflict.Reason.ROLE_ADDRESS);
            assertThat(c.explain())
                    .isEqualTo("not linked by email support@acme.com (it is a role address, which links no"
                            + " one by itself): salesforce Contact 003A and hubspot contacts 901");
        });
    }

    @Test
    void anApplicationNamesItsOwnSharedAddresses() {
        Record a = sfContact("003A", "desk@acme.com", "Jane Doe", null);
        Record b = hsContact("901", "desk@acme.com", "Jane", "Doe", null);

        assertThat(graph(a, b).groups(EntityType.PERSON)).hasSize(1);
        assertThat(graph(EntityGraph.builder().sharedAddresses(List.of("Desk")), a, b)
                        .groups(EntityType.PERSON))
                .hasSize(2);
        assertThat(graph(EntityGraph.builder().sharedAddresses(List.of("desk@acme.com")), a, b)
                        .groups(EntityType.PERSON))
                .hasSize(2);
    }

    @Test
    void anAddressOnRecordsOfThreeDifferentNamesIsSharedAndLinksNoOne() {
        EntityGraph g = graph(
                sfContact("003A", "smiths@example.org", "Anna Smith", null),
                hsContact("901", "smiths@example.org", "Peter", "Smith", null),
                slackUser("U0TOM", "smiths@example.org", "Tom Smith"),
                hsContact("902", "smiths@example.org", "Anna", "Smith", null));

        assertThat(g.groups(EntityType.PERSON)).hasSize(4);
        assertThat(g.linkConflicts())
                .hasSize(3)
                .allSatisfy(c -> assertThat(c.reason()).isEqualTo(LinkConflict.Reason.SHARED_ADDRESS));
        // Two names behind one address and no phone in common: not linked, but not called shared either.
        Record anna = sfContact("003A", "smiths@example.org", "Anna Smith", null);
        Record peter = hsContact("901", "smiths@example.org", "Peter", "Smith", null);
        assertThat(graph(anna, peter).linkConflicts())
                .extracting(LinkConflict::reason)
                .containsExactly(LinkConflict.Reason.DISAGREEING_IDENTIFIERS);
        assertThat(graph(EntityGraph.builder().sharedAddressNames(2), anna, peter)
                        .linkConflicts())
                .extracting(LinkConflict::reason)
                .containsExactly(LinkConflict.Reason.SHARED_ADDRESS);
        assertThatThrownBy(() -> EntityGraph.builder().sharedAddressNames(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
    }

    @Test
    void differentNamesAndDifferentPhonesBehindOneEmailBlockTheMerge() {
        EntityGraph g = graph(
                sfContact("003A", "jd@acme.com", "Jane Doe", null, "+1 415 555 0100"),
                hsContact("901", "jd@acme.com", "Mark", "Chan", "+44 20 7946 0958"));

        assertThat(g.groups(EntityType.PERSON)).hasSize(2);
        assertThat(g.linkConflicts()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo(LinkConflict.Reason.DISAGREEING_IDENTIFIERS);
            assertThat(c.a()).isEqualTo(sf("003A"));
            assertThat(c.b()).isEqualTo(hs("901"));
        });
    }

    @Test
    void differentNamesBehindOneEmailNeedAPhoneInCommon() {
        EntityGraph g = graph(
                sfContact("003A", "exec@acme.com", "Dana White", null),
                hsContact("901", "exec@acme.com", "Lee", "Park", null),
                sfContact("003B", "bob@acme.com", "Robert Jones", null, "+1 415 555 0111"),
                hsContact("902", "bob@acme.com", "Bob", "Jones", "+1 (415) 555-0111"));

        assertThat(g.peopleWith(email("exec@acme.com"))).hasSize(2);
        assertThat(g.person(email("bob@acme.com")).orElseThrow().members()).hasSize(2);
    }

    @Test
    void aTypoAnInitialOrAMissingPhoneDoesNotBlockTheMerge() {
        EntityGraph g = graph(
                sfContact("003A", "jd@acme.com", "Jane Doe", null, "+1 415 555 0100"),
                hsContact("901", "jd@acme.com", "Jane", "Deo", "+44 20 7946 0958"),
                slackUser("U0JD", "jd@acme.com", "J. Doe"),
                hsContact("902", "mc@acme.com", "Mark", "Chan", "+1 415 555 0101"),
                sfContact("003B", "mc@acme.com", "M. Chan", null));

        assertThat(g.groups(EntityType.PERSON)).hasSize(2);
        assertThat(g.person(email("jd@acme.com")).orElseThrow().members()).hasSize(3);
        assertThat(g.person(email("mc@acme.com")).orElseThrow().members()).hasSize(2);
        assertThat(g.linkConflicts()).isEmpty();
    }

    @Test
    void aReusedExternalIdDoesNotMergeTwoCompaniesWhoseNamesAndDomainsDiffer() {
        EntityGraph g = graph(
                sfAccount("0015g00000GlobAAA", "Globex", "globex.io", "Silver"),
                hsCompany("7002", "Globex Inc", "globex.io", "0015g00000GlobAAA", "gold"),
                // A copy-paste error in HubSpot: Initech carries Globex's Salesforce id.
                hsCompany("7003", "Initech", "initech.com", "0015g00000GlobAAA", "silver"));

        assertThat(g.organization("globex.io").orElseThrow().refs())
                .extracting(EntityRef::id)
                .containsExactly("0015g00000GlobAAA", "7002");
        assertThat(g.organization("initech.com").orElseThrow().members()).hasSize(1);
        assertThat(g.linkConflicts()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo(LinkConflict.Reason.DISAGREEING_IDENTIFIERS);
            assertThat(c.rule()).isEqualTo(Link.Rule.EXTERNAL_ID);
            assertThat(c.evidence()).isEqualTo("salesforce:0015g00000GlobAAA");
        });
    }

    @Test
    void aRecordWithoutAPhoneCannotBridgeTwoPeopleInAnyOrder() {
        Record jane = sfContact("003A", "jd@acme.com", "Jane Doe", null, "+1 415 555 0100");
        Record janeNoPhone = hsContact("901", "jd@acme.com", "Jane", "Doe", null);
        Record mark = hsContact("902", "jd@acme.com", "Mark", "Chan", "+44 20 7946 0958");
        List<List<Record>> orders = List.of(
                List.of(jane, janeNoPhone, mark),
                List.of(janeNoPhone, mark, jane),
                List.of(mark, janeNoPhone, jane),
                List.of(janeNoPhone, jane, mark));

        for (List<Record> order : orders) {
            EntityGraph g = graph(order.toArray(Record[]::new));

            // Each pair alone: Jane-Mark differ (names and phones), the phone-less record differs from neither.
            assertThat(g.group(sf("003A")).orElseThrow().refs())
                    .as("order %s", order.stream().map(Record::id).toList())
                    .containsExactlyInAnyOrder(sf("003A"), hs("901"));
            assertThat(g.group(hs("902")).orElseThrow().members()).hasSize(1);
            assertThat(g.linkConflicts())
                    .singleElement()
                    .satisfies(c -> assertThat(c.reason()).isEqualTo(LinkConflict.Reason.DISAGREEING_IDENTIFIERS));
        }
    }

    @Test
    void recordsWhoseNamesAgreeAreLinkedBeforeThoseThatOnlyShareAnOfficePhone() {
        // Mark answers Jane's office line; Jane also has a mobile. Whatever comes first, Jane's records go together.
        EntityGraph g = graph(
                hsContact("901", "jd@acme.com", "Jane", "Doe", "+1 415 555 0100"),
                hsContact("902", "jd@acme.com", "Mark", "Chan", "+1 415 555 0100"),
                sfContact("003A", "jd@acme.com", "Jane Doe", null, "+1 415 555 0177"));

        assertThat(g.group(sf("003A")).orElseThrow().refs()).containsExactly(sf("003A"), hs("901"));
        assertThat(g.group(hs("902")).orElseThrow().members()).hasSize(1);
    }

    @Test
    void everyLinkExplainsItselfAndAPathBetweenTwoMembersIsGiven() {
        EntityGraph g = graph(
                sfContact("003A", "jane.doe@acme.com", "Jane Doe", null),
                hsContact("901", "JANE.DOE@acme.com", "Jane", "Doe", null),
                slackUser("U0JANE", "jane.doe@acme.com", "Jane D."));

        List<Link> why =
                g.explain(sf("003A"), new EntityRef(EntityType.PERSON, "slack", SourceRecords.SLACK, "user", "U0JANE"));

        assertThat(why)
                .extracting(Link::explain)
                .containsExactly(
                        "linked by email jane.doe@acme.com from salesforce Contact 003A and slack user U0JANE");
        assertThat(g.person(email("jane.doe@acme.com")).orElseThrow().links())
                .extracting(Link::explain)
                .containsExactly(
                        "linked by email jane.doe@acme.com from salesforce Contact 003A and hubspot contacts 901",
                        "linked by email jane.doe@acme.com from salesforce Contact 003A and slack user U0JANE");
        assertThat(g.explain(sf("003A"), hs("999"))).isEmpty();
    }

    @Test
    void pinsJoinAndSeparateAndAreHonouredOnEveryRebuildFromTheirFile(@TempDir Path dir) {
        Record jane = sfContact("003A", "jane@acme.com", "Jane Doe", null);
        Record janeAtHome = hsContact("901", "jane.doe@gmail.com", "Jane", "Doe", null);
        Record sam = hsContact("902", "sam@acme.com", "Sam", "Lee", null);
        Record samToo = sfContact("003B", "sam@acme.com", "Sam Lee", null);
        Path file = dir.resolve("pins.jsonl");
        LinkPins pins = LinkPins.file(file);
        pins.pin(LinkPin.same(sf("003A"), hs("901")));
        pins.pin(LinkPin.never(hs("902"), sf("003B")));

        for (int rebuild = 0; rebuild < 2; rebuild++) {
            EntityGraph g = graph(EntityGraph.builder().pins(LinkPins.file(file)), jane, janeAtHome, sam, samToo);

            assertThat(g.group(sf("003A")).orElseThrow().refs()).containsExactly(sf("003A"), hs("901"));
            assertThat(g.explain(hs("901"), sf("003A")))
                    .extracting(Link::explain)
                    .containsExactly("linked by a pin from hubspot contacts 901 and salesforce Contact 003A");
            assertThat(g.group(hs("902"))).isNotEqualTo(g.group(sf("003B")));
            assertThat(g.linkConflicts())
                    .singleElement()
                    .satisfies(c -> assertThat(c.reason()).isEqualTo(LinkConflict.Reason.PINNED_APART));
        }
        assertThat(pins.unpin(hs("902"), sf("003B"))).isTrue();
        assertThat(graph(EntityGraph.builder().pins(LinkPins.file(file)), sam, samToo)
                        .groups())
                .hasSize(1);
    }

    @Test
    void aPinNeverTheSameHoldsAcrossAnIndirectChain() {
        LinkPins pins = LinkPins.inMemory();
        pins.pin(LinkPin.never(sf("003A"), hs("902")));

        EntityGraph g = graph(
                EntityGraph.builder().pins(pins),
                sfContact("003A", "jane@acme.com", "Jane Doe", null),
                hsContact("901", "jane@acme.com", "Jane", "Doe", null),
                hsContact("902", "jane@acme.com", "Jane", "Doe", null));

        assertThat(g.group(sf("003A")).orElseThrow().refs()).containsExactly(sf("003A"), hs("901"));
        assertThat(g.group(hs("902")).orElseThrow().members()).hasSize(1);
    }

    @Test
    void aDamagedPinFileIsRefusedNamingTheFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pins.jsonl");
        Files.writeString(file, "\n{\"a\":{\"type\":\"PERSON\"},\"b\":{},\"same\":true}\n");

        assertThatThrownBy(() -> LinkPins.file(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + " line 2 is not a link pin");
        assertThatThrownBy(() -> LinkPin.same(sf("003A"), sf("003A"))).isInstanceOf(IllegalArgumentException.class);
    }
}
