package dev.switchboard.normalize;

import static dev.switchboard.normalize.LinkingFixtures.hsContact;
import static dev.switchboard.normalize.LinkingFixtures.hsTicket;
import static dev.switchboard.normalize.LinkingFixtures.sfAccount;
import static dev.switchboard.normalize.LinkingFixtures.sfCase;
import static dev.switchboard.normalize.LinkingFixtures.sfContact;
import static dev.switchboard.normalize.LinkingFixtures.sfOpportunity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeListener;
import dev.switchboard.core.model.Record;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A graph that follows its sources: deletes, replacements and change-feed events, without a rebuild. */
class GraphChangesTest {
    private static final Normalizer N = LinkingFixtures.normalizer();
    private static final Email JANE = Email.parse("jane.doe@acme.com").orElseThrow();
    private static final Instant DELETED = Instant.parse("2024-06-01T12:00:00Z");

    private static EntityGraph acme() {
        return EntityGraph.builder()
                .addAll(N.normalizeAll(List.of(
                        sfAccount("001A", "Acme", "https://www.acme.com", "Gold"),
                        sfContact("003J", "jane.doe@acme.com", "Jane Doe", "001A"),
                        hsContact("901", "jane.doe@acme.com", "Jane", "Doe", null),
                        sfCase("500A", "003J", "001A", "Export fails"),
                        sfCase("500B", "003J", "001A", "Login loop"),
                        sfOpportunity("006A", "001A", "120000"),
                        hsTicket("801", "Billing question"),
                        SourceRecords.hubspotAssociation("tickets", "801", "contacts", "901"))))
                .build();
    }

    @Test
    void aSourceDeleteReachesTheGraphAndItsQueries() throws Exception {
        EntityGraph g = acme();
        assertThat(g.ticketsOf(JANE)).hasSize(3);
        ChangeListener feed = g.changes(N);

        // A delete from the change feed carries no record: the graph finds the entity by stream and id.
        feed.onChange(new ChangeEvent(
                SourceRecords.SF,
                "Case",
                "500B",
                ChangeEvent.Op.DELETE,
                null,
                null,
                DELETED,
                null,
                ChangeEvent.Origin.WEBHOOK));
        assertThat(g.ticketsOf(JANE)).extracting(t -> t.ticket().ref().id()).containsExactlyInAnyOrder("500A", "801");

        // A tombstone read from the source removes the HubSpot half of Jane; the Salesforce half stays.
        Record tombstone = hsContact("901", "jane.doe@acme.com", "Jane", "Doe", null)
                .newBuilder()
                .deleted(DELETED)
                .build();
        feed.onChange(ChangeEvent.of(SourceRecords.HS, tombstone, null, ChangeEvent.Origin.POLL));
        LinkedEntity jane = g.person(JANE).orElseThrow();
        assertThat(jane.refs()).extracting(EntityRef::id).containsExactly("003J");
        assertThat(g.group(new EntityRef(EntityType.PERSON, "hubspot", SourceRecords.HS, "contacts", "901")))
                .isEmpty();
        // The HubSpot ticket was related to Jane only through the deleted contact.
        assertThat(g.ticketsOf(JANE)).extracting(t -> t.ticket().ref().id()).containsExactly("500A");
        assertThat(g.size()).isEqualTo(5);
    }

    @Test
    void aChangedEmailMovesThePersonOutOfTheGroup() {
        EntityGraph g = acme();
        assertThat(g.person(JANE).orElseThrow().members()).hasSize(2);
        LinkedEntity before = g.person(JANE).orElseThrow();

        boolean changed = g.apply(N.normalize(hsContact("901", "jane@home.example", "Jane", "Doe", null)));

        assertThat(changed).isTrue();
        assertThat(g.person(JANE).orElseThrow().refs())
                .extracting(EntityRef::id)
                .containsExactly("003J");
        assertThat(g.person(Email.parse("jane@home.example").orElseThrow())
                        .orElseThrow()
                        .refs())
                .extracting(EntityRef::id)
                .containsExactly("901");
        // A view taken before the change is looked up again by its members.
        assertThat(g.related(before, EntityType.TICKET, "requester", 10))
                .extracting(t -> t.primary().ref().id())
                .containsExactly("500A", "500B");
    }

    @Test
    void relatedIsAskedByTypeRelationAndBound() {
        EntityGraph g = acme();
        LinkedEntity acme = g.organization("acme.com").orElseThrow();

        assertThat(g.related(acme, EntityType.TICKET, 1)).hasSize(1);
        assertThat(g.related(acme, EntityType.TICKET, 10))
                .extracting(t -> t.primary().ref().id())
                .containsExactly("500A", "500B");
        assertThat(g.related(acme, EntityType.DEAL, "organization", 10))
                .extracting(d -> d.primary().ref().id())
                .containsExactly("006A");
        assertThat(g.related(acme, EntityType.DEAL, "requester", 10)).isEmpty();
        assertThat(g.relations(acme, EntityType.PERSON, null, 10))
                .extracting(Relation::name, Relation::outgoing)
                .contains(org.assertj.core.groups.Tuple.tuple(Relation.DOMAIN, false));
        assertThatThrownBy(() -> g.related(acme, EntityType.TICKET, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit must be at least 1");
    }

    @Test
    void aTicketsCommentsAndItsOwnerAreRelatedAndTheOwnerIsAUserNotACustomer() {
        EntityGraph g = acme();
        Entity agent = entity(EntityType.USER, "User", "0055g00000AgentAAA")
                .derived(User.NAME, "Sam Agent")
                .derived(User.EMAIL, JANE) // even with a customer's address, a user never links to her
                .build();
        Entity team = entity(EntityType.TEAM, "Group", "00G5g00000TierAAA")
                .derived(Team.NAME, "Tier 2")
                .derived(Team.MEMBERS, List.of(agent.ref()))
                .build();
        EntityRef kase = g.group(new EntityRef(EntityType.TICKET, "salesforce", SourceRecords.SF, "Case", "500A"))
                .orElseThrow()
                .primary()
                .ref();
        Entity comment = entity(EntityType.COMMENT, "CaseComment", "00a5g00000NoteAAA")
                .derived(Comment.TICKET, kase)
                .derived(Comment.AUTHOR, agent.ref())
                .derived(Comment.BODY, "Escalated to tier 2")
                .build();
        g.applyAll(List.of(agent, team, comment));

        LinkedEntity ticket = g.group(kase).orElseThrow();
        assertThat(g.related(ticket, EntityType.COMMENT, "ticket", 10))
                .extracting(c -> c.primary().ref().id())
                .containsExactly("00a5g00000NoteAAA");
        LinkedEntity user = g.group(agent.ref()).orElseThrow();
        assertThat(user.members()).hasSize(1);
        assertThat(g.related(user, EntityType.TICKET, "owner", 10))
                .extracting(t -> t.primary().ref().id())
                .containsExactly("500A", "500B");
        assertThat(g.related(user, EntityType.TEAM, "members", 10))
                .extracting(t -> t.primary().ref().id())
                .containsExactly("00G5g00000TierAAA");
        assertThat(g.person(JANE).orElseThrow().refs())
                .extracting(EntityRef::type)
                .doesNotContain(EntityType.USER);
    }

    @Test
    void theContactPointsOfLinkedRecordsAreOneListEachAddressOnceWithItsOwnSource() {
        Record hubspot = Record.builder().stream("contacts")
                .id("901")
                .source(new dev.switchboard.core.model.RecordSource("hubspot", SourceRecords.HS, "contacts"))
                .data(dev.switchboard.core.json.JsonObject.empty())
                .build();
        Email home = Email.parse("jane@home.example").orElseThrow();
        Entity.Builder sfb = entity(EntityType.PERSON, "Contact", "003A").derived(Person.EMAIL, JANE);
        sfb.derived(
                Person.EMAILS,
                List.of(new ContactPoint<>(JANE, ContactKind.WORK, new Provenance(sfb.origin(), "Email"))));
        Entity.Builder hsb = Entity.builder(EntityType.PERSON, hubspot).derived(Person.EMAIL, JANE);
        hsb.derived(
                Person.EMAILS,
                List.of(
                        new ContactPoint<>(JANE, ContactKind.OTHER, new Provenance(hsb.origin(), "email")),
                        new ContactPoint<>(
                                home, ContactKind.OTHER, new Provenance(hsb.origin(), "hs_additional_emails"))));
        EntityGraph g =
                EntityGraph.builder().addAll(List.of(sfb.build(), hsb.build())).build();

        LinkedEntity jane = g.person(JANE).orElseThrow();
        assertThat(jane.members()).hasSize(2);
        assertThat(jane.conflict("emails")).isEmpty();
        List<ContactPoint<Email>> emails = jane.get(Person.EMAILS).orElseThrow();
        assertThat(emails).extracting(ContactPoint::value).containsExactly(JANE, home);
        assertThat(emails.get(1).provenance().sourceField()).isEqualTo("hs_additional_emails");
    }

    private static Entity.Builder entity(EntityType type, String object, String id) {
        return Entity.builder(
                type,
                Record.builder().stream(object)
                        .id(id)
                        .source(new dev.switchboard.core.model.RecordSource("salesforce", SourceRecords.SF, object))
                        .data(dev.switchboard.core.json.JsonObject.empty())
                        .build());
    }

    @Test
    void readersNeverSeeAChangeHalfMade() throws Exception {
        EntityGraph g = acme();
        Entity hubspotJane = N.normalize(hsContact("901", "jane.doe@acme.com", "Jane", "Doe", null));
        Entity elsewhere = N.normalize(hsContact("901", "jane@home.example", "Jane", "Doe", null));
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Integer>> readers = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readers.add(pool.submit(() -> {
                    int torn = 0;
                    while (!done.get()) {
                        // Each read sees Jane before or after a change: with her HubSpot record (same address) or
                        // without it (moved away), never absent, never anything else. One read each, so no check
                        // spans two reads a change could fall between.
                        LinkedEntity jane = g.person(JANE).orElseThrow();
                        java.util.Set<String> ids = new java.util.HashSet<>();
                        jane.refs().forEach(r -> ids.add(r.id()));
                        if (!ids.equals(java.util.Set.of("003J")) && !ids.equals(java.util.Set.of("003J", "901"))) {
                            torn++;
                        }
                        g.related(jane, EntityType.TICKET, 10);
                        reads.incrementAndGet();
                    }
                    return torn;
                }));
            }
            for (int i = 0; i < 2_000; i++) {
                g.apply(i % 2 == 0 ? elsewhere : hubspotJane);
            }
            done.set(true);
            for (java.util.concurrent.Future<Integer> r : readers) {
                assertThat(r.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
        assertThat(g.person(JANE).orElseThrow().refs())
                .extracting(EntityRef::id)
                .containsExactlyInAnyOrder("003J", "901");
    }

    @Test
    void theGraphKeepsEntitiesWithoutTheirRawRecords() {
        EntityGraph g = acme();
        for (LinkedEntity group : g.groups()) {
            for (Entity m : group.members()) {
                assertThat(m.hasRaw()).as(m.toString()).isFalse();
                assertThat(m.raw().data().fields()).as(m.toString()).isEmpty();
            }
        }
        Entity jane = g.person(JANE).orElseThrow().primary();
        assertThat(jane.raw().version()).isEqualTo("2024-05-02T08:00:00.000+0000");
        assertThat(jane.get(Person.EMAIL)).contains(JANE);
    }

    @Test
    void anOlderVersionDoesNotReplaceANewerOne() {
        EntityGraph g = acme();
        Record older = sfContact("003J", "jane.doe@acme.com", "Janet Doe", "001A")
                .newBuilder()
                .updatedAt(Instant.parse("2020-01-01T00:00:00Z"))
                .build();

        assertThat(g.apply(N.normalize(older))).isFalse();
        assertThat(g.person(JANE).orElseThrow().get(Person.NAME)).contains("Jane Doe");
    }

    @Test
    void aPinMadeOnTheGraphIsKeptAndHonouredByTheNextBuild() {
        LinkPins pins = LinkPins.inMemory();
        List<Entity> entities = N.normalizeAll(List.of(
                sfContact("003J", "jane.doe@acme.com", "Jane Doe", "001A"),
                hsContact("901", "jane.doe@acme.com", "Jane", "Doe", null)));
        EntityGraph g = EntityGraph.builder().pins(pins).addAll(entities).build();
        EntityRef sf = entities.get(0).ref();
        EntityRef hs = entities.get(1).ref();

        g.pin(LinkPin.never(sf, hs));

        assertThat(g.group(sf).orElseThrow().refs()).containsExactly(sf);
        assertThat(pins.all()).containsExactly(LinkPin.never(sf, hs));
        EntityGraph rebuilt = EntityGraph.builder().pins(pins).addAll(entities).build();
        assertThat(rebuilt.group(sf).orElseThrow().refs()).containsExactly(sf);

        assertThat(g.unpin(sf, hs)).isTrue();
        assertThat(g.group(sf).orElseThrow().refs()).containsExactlyInAnyOrder(sf, hs);
    }
}
