package dev.switchboard.normalize.internal;

import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.ExternalId;
import dev.switchboard.normalize.Link;
import dev.switchboard.normalize.LinkConflict;
import dev.switchboard.normalize.LinkPin;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Groups entities that are the same person or organization, without merging strangers: union-find, where
 * every union is checked first. A role or shared address links no one; a merge whose two sides have
 * different names and another strong identifier that differs is refused; pins are honoured. Each link keeps
 * its rule and evidence, each refusal becomes a {@link LinkConflict}. Deterministic for a given order of
 * entities. Not thread-safe; one instance per build.
 */
public final class Linker {
    /** Local parts of addresses that belong to a desk or a function, not to a person. */
    public static final Set<String> ROLE_ADDRESSES = Set.of(
            "support",
            "info",
            "billing",
            "sales",
            "admin",
            "administrator",
            "contact",
            "hello",
            "team",
            "office",
            "reception",
            "frontdesk",
            "front.desk",
            "noreply",
            "no-reply",
            "donotreply",
            "do-not-reply",
            "help",
            "helpdesk",
            "accounts",
            "accounting",
            "finance",
            "invoices",
            "invoice",
            "ap",
            "ar",
            "payments",
            "hr",
            "jobs",
            "careers",
            "recruiting",
            "marketing",
            "press",
            "media",
            "pr",
            "service",
            "customerservice",
            "customer.service",
            "customercare",
            "enquiries",
            "inquiries",
            "orders",
            "security",
            "abuse",
            "postmaster",
            "webmaster",
            "hostmaster",
            "it",
            "ops",
            "operations",
            "legal",
            "privacy",
            "compliance",
            "feedback",
            "mail",
            "all",
            "everyone",
            "staff",
            "general",
            "partners",
            "purchasing",
            "procurement");

    /** How the rules are tuned; see {@code EntityGraph.Builder}. */
    public record Settings(Set<String> sharedAddresses, int sharedAddressNames) {}

    /** What a build produces. {@code linkTo[k]} is the node index of {@code links.get(k).to()}. */
    public record Result(
            UnionFind sets, List<Link> links, int[] linkTo, List<LinkConflict> conflicts, Set<String> sharedEmails) {}

    /** The strong identifiers of one record. */
    private record Profile(Set<String> names, Set<String> emails, Set<String> phones, Set<String> domains) {}

    /**
     * What is known of one group, kept at its root: the distinct profiles of its members (so that no two
     * members that clearly differ end up in one group, whatever the order of the merges), their names, and
     * the nodes pinned apart from a member.
     */
    private static final class Evidence {
        final Set<Profile> profiles = new LinkedHashSet<>();
        final Set<String> names = new HashSet<>();
        final Set<Integer> apart = new HashSet<>();

        void absorb(Evidence other) {
            profiles.addAll(other.profiles);
            names.addAll(other.names);
            apart.addAll(other.apart);
        }
    }

    private final List<Entity> nodes;
    private final Function<Entity, Optional<String>> domainOf;
    private final Settings settings;
    private final UnionFind sets;
    private final Evidence[] evidence;
    private final String[][] nodeNames;
    private final List<Link> links = new ArrayList<>();
    private final List<Integer> linkTo = new ArrayList<>();
    private final List<LinkConflict> conflicts = new ArrayList<>();

    private Linker(List<Entity> nodes, Function<Entity, Optional<String>> domainOf, Settings settings) {
        this.nodes = nodes;
        this.domainOf = domainOf;
        this.settings = settings;
        this.sets = new UnionFind(nodes.size());
        this.evidence = new Evidence[nodes.size()];
        this.nodeNames = new String[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            evidence[i] = evidenceOf(nodes.get(i));
            nodeNames[i] = evidence[i].names.toArray(String[]::new);
        }
    }

    /**
     * Links {@code nodes}: pins first (same, then never), then external ids, emails and domains, each in
     * the nodes' order.
     *
     * @param index each node's index by {@code EntityRef.key()}; pins naming an entity not there are skipped
     */
    public static Result link(
            List<Entity> nodes,
            Map<String, Integer> index,
            Function<Entity, Optional<String>> domainOf,
            Settings settings,
            List<LinkPin> pins) {
        Linker l = new Linker(nodes, domainOf, settings);
        for (LinkPin p : pins) {
            Integer a = index.get(p.a().key());
            Integer b = index.get(p.b().key());
            if (a != null && b != null && !p.same()) {
                l.evidence[a].apart.add(b);
                l.evidence[b].apart.add(a);
            }
        }
        for (LinkPin p : pins) {
            Integer a = index.get(p.a().key());
            Integer b = index.get(p.b().key());
            if (a != null && b != null && p.same()) {
                LinkConflict.Reason refused = l.union(a, b, Link.Rule.PINNED, "pinned");
                if (refused != null) {
                    l.conflicts.add(new LinkConflict(
                            nodes.get(a).ref(), nodes.get(b).ref(), Link.Rule.PINNED, "pinned", refused));
                }
            }
        }
        Set<String> shared = l.linkByKeys();
        int[] to = l.linkTo.stream().mapToInt(Integer::intValue).toArray();
        return new Result(l.sets, List.copyOf(l.links), to, List.copyOf(l.conflicts), shared);
    }

    private Set<String> linkByKeys() {
        Map<Object, List<Integer>> byId = new LinkedHashMap<>();
        Map<String, List<Integer>> byEmail = new LinkedHashMap<>();
        Map<String, List<Integer>> byDomain = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Entity e = nodes.get(i);
            if (e.type() != EntityType.GENERIC) {
                byId.computeIfAbsent(List.of(e.type(), e.ownId()), k -> new ArrayList<>())
                        .add(i);
                for (Value<ExternalId> id : e.externalIds()) {
                    List<Integer> holders = byId.computeIfAbsent(List.of(e.type(), id.value()), k -> new ArrayList<>());
                    if (holders.isEmpty() || holders.get(holders.size() - 1) != i) {
                        holders.add(i);
                    }
                }
            }
            Integer node = i;
            if (e.type() == EntityType.PERSON) {
                e.get(Person.EMAIL)
                        .ifPresent(m -> byEmail.computeIfAbsent(m.address(), k -> new ArrayList<>())
                                .add(node));
            } else if (e.type() == EntityType.ORGANIZATION) {
                domainOf.apply(e)
                        .ifPresent(d -> byDomain.computeIfAbsent(d, k -> new ArrayList<>())
                                .add(node));
            }
        }
        for (Map.Entry<Object, List<Integer>> k : byId.entrySet()) {
            @SuppressWarnings("unchecked")
            ExternalId id = (ExternalId) ((List<Object>) k.getKey()).get(1);
            linkAll(k.getValue(), Link.Rule.EXTERNAL_ID, id.system() + ":" + id.id());
        }
        Set<String> shared = new HashSet<>();
        for (Map.Entry<String, List<Integer>> k : byEmail.entrySet()) {
            LinkConflict.Reason why = sharedReason(k.getKey(), k.getValue());
            if (why == null) {
                linkAll(k.getValue(), Link.Rule.EMAIL, k.getKey());
            } else {
                shared.add(k.getKey());
                List<Integer> holders = k.getValue();
                for (int n = 1; n < holders.size(); n++) {
                    conflicts.add(new LinkConflict(
                            nodes.get(holders.get(0)).ref(),
                            nodes.get(holders.get(n)).ref(),
                            Link.Rule.EMAIL,
                            k.getKey(),
                            why));
                }
            }
        }
        for (Map.Entry<String, List<Integer>> k : byDomain.entrySet()) {
            linkAll(k.getValue(), Link.Rule.DOMAIN, k.getKey());
        }
        return shared;
    }

    /**
     * Links every node holding one key to a group already holding it. Records whose names agree (or that
     * lack one) join first, so that a record without a phone cannot bridge two people whatever the order;
     * then the rest, each to the first group that accepts it. A node no group accepts keeps a group of its
     * own, and its first refusal is reported.
     */
    private void linkAll(List<Integer> holdersOfKey, Link.Rule rule, String evidenceText) {
        if (holdersOfKey.size() < 2) {
            return;
        }
        joinEach(holdersOfKey, rule, evidenceText, true);
        joinEach(holdersOfKey, rule, evidenceText, false);
    }

    private void joinEach(List<Integer> holdersOfKey, Link.Rule rule, String evidenceText, boolean namesFirst) {
        List<Integer> groups = new ArrayList<>();
        for (int i : holdersOfKey) {
            boolean joined = false;
            LinkConflict firstRefusal = null;
            for (int g : groups) {
                int rg = sets.find(g);
                int ri = sets.find(i);
                if (rg == ri) {
                    joined = true;
                    break;
                }
                if (namesFirst && namesDisagree(evidence[rg].names, evidence[ri].names)) {
                    continue;
                }
                LinkConflict.Reason refused = join(g, i, rg, ri, rule, evidenceText);
                if (refused == null) {
                    joined = true;
                    break;
                }
                if (firstRefusal == null) {
                    firstRefusal =
                            new LinkConflict(nodes.get(g).ref(), nodes.get(i).ref(), rule, evidenceText, refused);
                }
            }
            if (!joined) {
                groups.add(i);
                if (!namesFirst && firstRefusal != null) {
                    conflicts.add(firstRefusal);
                }
            }
        }
    }

    /** Joins the groups of {@code a} and {@code b} and records the link; null, or why it was refused. */
    private LinkConflict.@Nullable Reason union(int a, int b, Link.Rule rule, String evidenceText) {
        int ra = sets.find(a);
        int rb = sets.find(b);
        if (ra == rb) {
            return null;
        }
        return join(a, b, ra, rb, rule, evidenceText);
    }

    private LinkConflict.@Nullable Reason join(int a, int b, int ra, int rb, Link.Rule rule, String evidenceText) {
        if (pinnedApart(ra, rb)) {
            return LinkConflict.Reason.PINNED_APART;
        }
        if (rule != Link.Rule.PINNED && disagree(evidence[ra], evidence[rb], rule)) {
            return LinkConflict.Reason.DISAGREEING_IDENTIFIERS;
        }
        sets.union(ra, rb);
        int root = sets.find(ra);
        int other = root == ra ? rb : ra;
        evidence[root].absorb(evidence[other]);
        evidence[other] = evidence[root];
        links.add(new Link(nodes.get(a).ref(), nodes.get(b).ref(), rule, evidenceText));
        linkTo.add(b);
        return null;
    }

    private boolean pinnedApart(int ra, int rb) {
        Set<Integer> small =
                evidence[ra].apart.size() <= evidence[rb].apart.size() ? evidence[ra].apart : evidence[rb].apart;
        int target = small == evidence[ra].apart ? rb : ra;
        for (int n : small) {
            if (sets.find(n) == target) {
                return true;
            }
        }
        return false;
    }

    /** Whether some member of one group clearly differs from some member of the other. */
    private static boolean disagree(Evidence a, Evidence b, Link.Rule rule) {
        for (Profile x : a.profiles) {
            for (Profile y : b.profiles) {
                if (differ(x, y, rule)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether two records are clearly different people or organizations: both have names and none agree,
     * and then, for a link by email, no phone is shared (an address is easily shared, so different names
     * need a phone in common); for other links, another strong identifier (a phone; an email; a domain
     * unless the rule is the domain) is known on both and shared by none.
     */
    private static boolean differ(Profile a, Profile b, Link.Rule rule) {
        if (!namesDisagree(a.names(), b.names())) {
            return false;
        }
        if (rule == Link.Rule.EMAIL) {
            return !shareAny(a.phones(), b.phones());
        }
        return disjoint(a.phones(), b.phones())
                || disjoint(a.emails(), b.emails())
                || (rule != Link.Rule.DOMAIN && disjoint(a.domains(), b.domains()));
    }

    private static boolean shareAny(Set<String> a, Set<String> b) {
        for (String x : a) {
            if (b.contains(x)) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesDisagree(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        for (String x : a) {
            for (String y : b) {
                if (Names.agree(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        for (String x : a) {
            if (b.contains(x)) {
                return false;
            }
        }
        return true;
    }

    /** Why an address links no one, or null: a role address, or one on records of many different names. */
    private LinkConflict.@Nullable Reason sharedReason(String address, List<Integer> holders) {
        String local = address.substring(0, address.indexOf('@')).toLowerCase(Locale.ROOT);
        if (settings.sharedAddresses().contains(local)
                || settings.sharedAddresses().contains(address)) {
            return LinkConflict.Reason.ROLE_ADDRESS;
        }
        if (holders.size() < settings.sharedAddressNames()) {
            return null;
        }
        List<String> distinct = new ArrayList<>();
        for (int i : holders) {
            for (String name : nodeNames[i]) { // the record's own name, not its group's
                if (distinct.stream().noneMatch(d -> Names.agree(d, name))) {
                    distinct.add(name);
                }
            }
        }
        return distinct.size() >= settings.sharedAddressNames() ? LinkConflict.Reason.SHARED_ADDRESS : null;
    }

    private Evidence evidenceOf(Entity e) {
        Set<String> names = new HashSet<>();
        Set<String> emails = new HashSet<>();
        Set<String> phones = new HashSet<>();
        Set<String> domains = new HashSet<>();
        if (e.type() == EntityType.PERSON) {
            String name = e.get(Person.NAME)
                    .orElseGet(() -> (e.get(Person.FIRST_NAME).orElse("") + " "
                                    + e.get(Person.LAST_NAME).orElse(""))
                            .strip());
            addName(names, name, false);
            e.get(Person.EMAIL).ifPresent(m -> emails.add(m.address()));
            e.get(Person.PHONE).ifPresent(p -> phones.add(p.dialable()));
        } else if (e.type() == EntityType.ORGANIZATION) {
            e.get(Organization.NAME).ifPresent(n -> addName(names, n, true));
            e.get(Organization.PHONE).ifPresent(p -> phones.add(p.dialable()));
            domainOf.apply(e).ifPresent(domains::add);
        }
        Evidence ev = new Evidence();
        ev.profiles.add(new Profile(names, emails, phones, domains));
        ev.names.addAll(names);
        return ev;
    }

    private static void addName(Set<String> names, String name, boolean organization) {
        String n = Names.normalize(name, organization);
        if (!n.isEmpty()) {
            names.add(n);
        }
    }
}
