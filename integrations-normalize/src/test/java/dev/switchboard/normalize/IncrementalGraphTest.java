package dev.switchboard.normalize;

import static dev.switchboard.normalize.LinkingFixtures.hsCompany;
import static dev.switchboard.normalize.LinkingFixtures.hsContact;
import static dev.switchboard.normalize.LinkingFixtures.hsTicket;
import static dev.switchboard.normalize.LinkingFixtures.sfAccount;
import static dev.switchboard.normalize.LinkingFixtures.sfCase;
import static dev.switchboard.normalize.LinkingFixtures.sfContact;
import static dev.switchboard.normalize.LinkingFixtures.slackUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.model.Record;
import dev.switchboard.normalize.internal.Linker;
import dev.switchboard.normalize.internal.UnionFind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: a graph changed one entity at a time (added, replaced, deleted, pinned) is, after every change, the
 * graph built from scratch from the entities it then holds. Random changes from a seeded source over a small
 * pool of records built to collide: shared and role addresses, names that agree and disagree, phones that
 * bridge, external ids, domains, references, associations and pins.
 */
class IncrementalGraphTest {
    private static final Normalizer N = LinkingFixtures.normalizer();
    private static final String[] EMAILS = {
        "jane.doe@acme.com",
        "john.roe@acme.com",
        "support@acme.com",
        "ann.lee@beta.io",
        "desk@gamma.org",
        "jd@gmail.com"
    };
    private static final String[][] NAMES = {
        {"Jane", "Doe"}, {"John", "Roe"}, {"Ann", "Lee"}, {"Jane", "Do"}, {"Bob", "Ng"}
    };
    private static final String[] PHONES = {null, "+1 415 555 0100", "+1 415 555 0101"};
    private static final String[] WEBSITES = {"https://www.acme.com", "beta.io", null, "gmail.com"};
    private static final String[] ACCOUNTS = {"001A", "001B", "001C"};

    private static final int CHANGES = 120;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void anIncrementalChangeEqualsARebuildFromScratch(long seed) {
        Random random = new Random(seed);
        EntityGraph live = EntityGraph.builder().build();
        Map<String, Entity> held = new LinkedHashMap<>();
        Map<String, LinkPin> pins = new LinkedHashMap<>();
        Map<String, EntityRef[]> relations = new LinkedHashMap<>();
        for (int step = 0; step < CHANGES; step++) {
            int op = random.nextInt(10);
            if (op < 6 || held.isEmpty()) {
                Entity e = N.normalize(randomRecord(random));
                live.apply(e);
                held.put(e.ref().key(), e); // a replaced entity keeps its place, as in the graph
            } else if (op < 8) {
                Entity victim = pick(random, held);
                Record tombstone = victim.raw()
                        .newBuilder()
                        .deleted(Instant.parse("2024-06-01T00:00:00Z"))
                        .build();
                boolean asEntity = random.nextBoolean();
                if (asEntity) {
                    live.apply(N.normalize(tombstone));
                } else {
                    live.remove(victim.ref());
                }
                held.remove(victim.ref().key());
            } else if (op < 9 && held.size() > 1) {
                EntityRef a = pick(random, held).ref();
                EntityRef b = pick(random, held).ref();
                if (!a.key().equals(b.key())) {
                    if (random.nextInt(4) == 0
                            && pins.containsKey(LinkPin.same(a, b).pairKey())) {
                        live.unpin(a, b);
                        pins.remove(LinkPin.same(a, b).pairKey());
                    } else {
                        LinkPin p = new LinkPin(a, b, random.nextBoolean());
                        live.pin(p);
                        pins.put(p.pairKey(), p);
                    }
                }
            } else if (held.size() > 1) {
                EntityRef a = pick(random, held).ref();
                EntityRef b = pick(random, held).ref();
                String key = GraphIndex.relationKey(a, b);
                if (relations.remove(key) != null) {
                    live.unrelate(a, b);
                } else {
                    live.relate(a, b);
                    relations.put(key, new EntityRef[] {a, b});
                }
            }

            LinkPins rebuildPins = LinkPins.inMemory();
            pins.values().forEach(rebuildPins::pin);
            EntityGraph.Builder b = EntityGraph.builder().pins(rebuildPins).addAll(held.values());
            relations.values().forEach(r -> b.relate(r[0], r[1]));
            EntityGraph rebuilt = b.build();

            String at = "seed " + seed + ", change " + step;
            assertThat(describe(live)).as(at).isEqualTo(describe(rebuilt));
            assertThat(partition(live))
                    .as(at + ": groups against the linker run over everything")
                    .isEqualTo(partitionByLinker(held, pins));
        }
    }

    private static Record randomRecord(Random r) {
        String email = EMAILS[r.nextInt(EMAILS.length)];
        String[] name = NAMES[r.nextInt(NAMES.length)];
        String phone = PHONES[r.nextInt(PHONES.length)];
        String account = ACCOUNTS[r.nextInt(ACCOUNTS.length)];
        return switch (r.nextInt(7)) {
            case 0 -> hsContact("90" + r.nextInt(6), email, name[0], name[1], phone);
            case 1 -> sfContact("003" + r.nextInt(6), email, name[0] + " " + name[1], account, phone);
            case 2 -> slackUser("U0" + r.nextInt(4), email, name[0] + " " + name[1], phone);
            case 3 -> sfAccount(account, "Acme " + r.nextInt(2), WEBSITES[r.nextInt(WEBSITES.length)], "Gold");
            case 4 ->
                hsCompany(
                        "70" + r.nextInt(3),
                        "Acme " + r.nextInt(2),
                        String.valueOf(WEBSITES[r.nextInt(WEBSITES.length)]),
                        r.nextBoolean() ? account : null,
                        "Gold");
            case 5 -> sfCase("500" + r.nextInt(4), "003" + r.nextInt(6), account, "Export fails");
            default ->
                r.nextBoolean()
                        ? hsTicket("80" + r.nextInt(3), "Login loop")
                        : SourceRecords.hubspotAssociation(
                                "tickets",
                                "80" + r.nextInt(3),
                                r.nextBoolean() ? "contacts" : "companies",
                                (r.nextBoolean() ? "90" : "70") + r.nextInt(6));
        };
    }

    private static Entity pick(Random r, Map<String, Entity> held) {
        List<Entity> all = new ArrayList<>(held.values());
        return all.get(r.nextInt(all.size()));
    }

    /** Everything a reader sees: groups in order with members, links and conflicts, relations, lookups. */
    private static List<String> describe(EntityGraph g) {
        List<String> out = new ArrayList<>();
        for (LinkedEntity group : g.groups()) {
            out.add(group.type() + " "
                    + group.refs().stream().map(EntityRef::key).toList()
                    + " links " + group.links().stream().map(Link::explain).toList()
                    + " related "
                    + g.relations(group, null, null, 100).stream()
                            .map(r -> r.name()
                                    + (r.outgoing() ? ">" : "<")
                                    + r.entity().primary().ref().key())
                            .toList());
        }
        out.add("conflicts "
                + g.linkConflicts().stream().map(LinkConflict::explain).collect(Collectors.toCollection(TreeSet::new)));
        for (String e : EMAILS) {
            Email email = Email.parse(e).orElseThrow();
            out.add(e + " -> " + g.person(email).map(p -> p.primary().ref().key()) + " of "
                    + g.peopleWith(email).size());
        }
        for (String w : WEBSITES) {
            if (w != null) {
                out.add(w + " -> "
                        + g.organization(w).map(o -> o.primary().ref().key()));
            }
        }
        out.add("size " + g.size());
        return out;
    }

    private static Set<Set<String>> partition(EntityGraph g) {
        return g.groups().stream()
                .map(x -> x.refs().stream().map(EntityRef::key).collect(Collectors.toSet()))
                .collect(Collectors.toSet());
    }

    /** The groups the linker makes when run once over every entity held, in the order first added. */
    private static Set<Set<String>> partitionByLinker(Map<String, Entity> held, Map<String, LinkPin> pins) {
        List<Entity> nodes = held.values().stream()
                .filter(e -> !(e instanceof GenericEntity && e.custom("fromId").isPresent()))
                .toList();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).ref().key(), i);
        }
        Linker.Result r = Linker.link(
                nodes,
                index,
                IncrementalGraphTest::domainOf,
                new Linker.Settings(Set.copyOf(EntityGraph.ROLE_ADDRESSES), EntityGraph.DEFAULT_SHARED_ADDRESS_NAMES),
                List.copyOf(pins.values()));
        UnionFind sets = r.sets();
        Map<Integer, Set<String>> byRoot = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            byRoot.computeIfAbsent(sets.find(i), x -> new java.util.HashSet<>())
                    .add(nodes.get(i).ref().key());
        }
        return Set.copyOf(byRoot.values());
    }

    private static Optional<String> domainOf(Entity org) {
        Optional<String> d = org.get(Organization.DOMAIN).flatMap(IncrementalGraphTest::domain);
        return d.isPresent() ? d : org.get(Organization.WEBSITE).flatMap(IncrementalGraphTest::domain);
    }

    private static Optional<String> domain(String text) {
        return dev.switchboard.normalize.internal.Domains.normalize(text)
                .filter(d -> !EntityGraph.PUBLIC_MAIL_DOMAINS.contains(d));
    }
}
