package dev.switchboard.normalize;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.normalize.internal.Domains;
import dev.switchboard.normalize.internal.Linker;
import dev.switchboard.normalize.internal.UnionFind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Entities from any sources, linked: the records of one person or organization form one
 * {@link LinkedEntity}, and entities that refer to each other are related, so that "tickets of
 * this customer, enriched with CRM data" is one call, {@link #ticketsOf(Email)}. Immutable and
 * thread-safe once built.
 *
 * <p>Linking rules (union-find: a link is transitive, so every union is checked first):
 * <ul>
 *   <li>people with the same {@link Person#EMAIL} (emails are trimmed and lower-cased), unless it is a
 *       role address ({@link #ROLE_ADDRESSES}: {@code support@}, {@code info@}, {@code billing@}, ...,
 *       extended by {@link Builder#sharedAddresses}) or an address found on records of {@linkplain
 *       Builder#sharedAddressNames three or more} different names: a shared address links no one;
 *   <li>organizations with the same web domain: {@link Organization#DOMAIN}, else the host of
 *       {@link Organization#WEBSITE}, compared without scheme, {@code www.}, port or path; never a
 *       {@linkplain #PUBLIC_MAIL_DOMAINS public mail domain};
 *   <li>entities of one type (not {@link EntityType#GENERIC}) where one's {@linkplain
 *       Entity#externalIds() external id} is another's {@linkplain Entity#ownId() own id}, or both
 *       state the same external id;
 *   <li>{@linkplain LinkPin pins} the application stored ({@link Builder#pins}): same, or never the same.
 * </ul>
 * A merge is refused when a member of one side and a member of the other have names that do not agree
 * (typos, swapped letters, initials and missing middle names still agree) and, for a link by email, share no
 * phone, or, for another link, hold another strong identifier that differs: a phone, an email, a domain (for
 * a link not made by domain). Records whose names agree are linked first, so that a record without a phone
 * cannot bridge two people, whatever the order records come in. A pin "never the same" refuses every merge
 * that would join the pair, however indirect. Every link keeps its rule and the
 * shared value ({@link Link#explain()}, {@link #explain}); every refusal is listed ({@link #linkConflicts()}).
 *
 * <p> * Relations (not links: the groups stay apart): a reference field ({@code requester},
 * {@code organization}, ...; never {@code owner}, which names a user of the source, not a
 * customer) to an entity in the graph; an association record (fields {@code fromObjectType},
 * {@code fromId}, {@code toObjectType}, {@code toId}, as HubSpot's {@code associations} stream
 * emits them); {@link Builder#relate}; and a person whose email domain (not a public one) is an
 * organization's domain.
 *
 * <p>Precedence of the merged view: the sources named in {@link Builder#precedence} in that order
 * (a connection id or a connector id; default {@link #DEFAULT_PRECEDENCE}, CRMs first), then the
 * others; among records of one rank the most recently updated first, then the order added.
 */
public final class EntityGraph {
    /**
     * Mail domains shared by unrelated people: a person at one is not linked to an organization by
     * it, nor are organizations that give it as their domain. Extend with
     * {@link Builder#publicMailDomains}.
     */
    public static final Set<String> PUBLIC_MAIL_DOMAINS = Set.of(
            "gmail.com",
            "googlemail.com",
            "yahoo.com",
            "yahoo.co.uk",
            "ymail.com",
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "icloud.com",
            "me.com",
            "mac.com",
            "aol.com",
            "proton.me",
            "protonmail.com",
            "gmx.com",
            "gmx.de",
            "gmx.net",
            "web.de",
            "mail.com",
            "yandex.ru",
            "qq.com",
            "163.com",
            "zoho.com",
            "fastmail.com",
            "hey.com");

    /**
     * Local parts of addresses that name a desk or a function, not a person ({@code support@},
     * {@code info@}, {@code billing@}, ...): they link no one by themselves.
     */
    public static final Set<String> ROLE_ADDRESSES = Linker.ROLE_ADDRESSES;

    /** How many different names on one address make it a shared address, by default. */
    public static final int DEFAULT_SHARED_ADDRESS_NAMES = 3;

    /** The default precedence of the merged view: CRM records first. */
    public static final List<String> DEFAULT_PRECEDENCE = List.of("salesforce", "hubspot");

    private final List<LinkedEntity> groups;
    private final Map<String, LinkedEntity> byKey;
    private final Map<Email, LinkedEntity> people;
    private final Map<String, LinkedEntity> organizations;
    private final Map<LinkedEntity, Set<LinkedEntity>> related;
    private final Set<String> publicDomains;
    private final List<LinkConflict> linkConflicts;
    private final Set<String> sharedEmails;

    private EntityGraph(Builder b) {
        this.publicDomains = Set.copyOf(b.publicDomains);
        List<Entity> nodes = new ArrayList<>(b.nodes.values());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(key(nodes.get(i).ref()), i);
        }
        Linker.Result linking = Linker.link(
                nodes,
                index,
                this::domainOf,
                new Linker.Settings(Set.copyOf(b.sharedAddresses), b.sharedAddressNames),
                b.pins == null ? List.of() : b.pins.all());
        UnionFind sets = linking.sets();
        this.linkConflicts = linking.conflicts();
        this.sharedEmails = linking.sharedEmails();
        Map<Integer, List<Link>> linksByRoot = new HashMap<>();
        for (int k = 0; k < linking.links().size(); k++) {
            linksByRoot
                    .computeIfAbsent(sets.find(linking.linkTo()[k]), r -> new ArrayList<>())
                    .add(linking.links().get(k));
        }

        Map<Integer, List<Integer>> membersByRoot = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            membersByRoot.computeIfAbsent(sets.find(i), r -> new ArrayList<>()).add(i);
        }
        Comparator<Integer> precedence = precedence(b.precedence, nodes);
        List<LinkedEntity> all = new ArrayList<>();
        Map<String, LinkedEntity> keys = new HashMap<>();
        for (List<Integer> members : membersByRoot.values()) {
            List<Integer> ordered = new ArrayList<>(members);
            ordered.sort(precedence);
            LinkedEntity group = new LinkedEntity(
                    nodes.get(ordered.get(0)).type(),
                    ordered.stream().map(nodes::get).toList(),
                    linksByRoot.getOrDefault(sets.find(members.get(0)), List.of()));
            all.add(group);
            ordered.forEach(i -> keys.put(key(nodes.get(i).ref()), group));
        }
        this.groups = List.copyOf(all);
        this.byKey = Map.copyOf(keys);

        Map<Email, LinkedEntity> byEmail = new HashMap<>();
        Map<String, LinkedEntity> byDomain = new HashMap<>();
        for (LinkedEntity g : groups) {
            for (Entity m : g.members()) {
                m.get(Person.EMAIL)
                        .filter(x -> m.type() == EntityType.PERSON && !sharedEmails.contains(x.address()))
                        .ifPresent(x -> byEmail.putIfAbsent(x, g));
                if (m.type() == EntityType.ORGANIZATION) {
                    domainOf(m).ifPresent(d -> byDomain.putIfAbsent(d, g));
                }
            }
        }
        this.people = Map.copyOf(byEmail);
        this.organizations = Map.copyOf(byDomain);

        Map<LinkedEntity, Set<LinkedEntity>> rel = new IdentityHashMap<>();
        for (Entity e : nodes) {
            LinkedEntity from = byKey.get(key(e.ref()));
            for (Map.Entry<Field<?>, Value<?>> v : e.values().entrySet()) {
                if (v.getValue().value() instanceof EntityRef ref
                        && !v.getKey().name().equals("owner")) {
                    relate(rel, from, byKey.get(key(ref)));
                }
            }
            if (e.type() == EntityType.PERSON) {
                e.get(Person.EMAIL)
                        .flatMap(x -> domain(x.domain()))
                        .ifPresent(d -> relate(rel, from, organizations.get(d)));
            }
        }
        for (String[] edge : b.edges) {
            relate(rel, byKey.get(edge[0]), byKey.get(edge[1]));
        }
        this.related = rel;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every group, in the order their first member was added. */
    public List<LinkedEntity> groups() {
        return groups;
    }

    /** The groups of one type. */
    public List<LinkedEntity> groups(EntityType type) {
        return groups.stream().filter(g -> g.type() == type).toList();
    }

    /** The group of the entity {@code ref} names (by connection, object and id), if it was added. */
    public Optional<LinkedEntity> group(EntityRef ref) {
        return Optional.ofNullable(byKey.get(key(ref)));
    }

    /** The group {@code entity} belongs to, if it was added. */
    public Optional<LinkedEntity> group(Entity entity) {
        return group(entity.ref());
    }

    /**
     * The person with this email address, linked across sources; empty for a shared or role address, which
     * names no one person ({@link #peopleWith} lists who has it).
     */
    public Optional<LinkedEntity> person(Email email) {
        return Optional.ofNullable(people.get(email));
    }

    /** Every person group with a member of this email address: one, or several for a shared address. */
    public List<LinkedEntity> peopleWith(Email email) {
        Set<LinkedEntity> found = new LinkedHashSet<>();
        for (LinkedEntity g : groups(EntityType.PERSON)) {
            for (Entity m : g.members()) {
                if (m.get(Person.EMAIL).filter(email::equals).isPresent()) {
                    found.add(g);
                }
            }
        }
        return List.copyOf(found);
    }

    /**
     * Every merge a rule proposed and the linking refused (a role or shared address, disagreeing names and
     * identifiers, a pin), in the order found: what a person reviews, and pins if needed.
     */
    public List<LinkConflict> linkConflicts() {
        return linkConflicts;
    }

    /**
     * Why two entities are in one group: the links joining them, from {@code a} to {@code b} (each with its
     * rule and evidence, {@link Link#explain()}); empty when they are not in one group (or are the same).
     */
    public List<Link> explain(EntityRef a, EntityRef b) {
        LinkedEntity group = byKey.get(key(a));
        if (group == null || group != byKey.get(key(b)) || key(a).equals(key(b))) {
            return List.of();
        }
        Map<String, List<Link>> adjacent = new HashMap<>();
        for (Link l : group.links()) {
            adjacent.computeIfAbsent(key(l.from()), k -> new ArrayList<>()).add(l);
            adjacent.computeIfAbsent(key(l.to()), k -> new ArrayList<>()).add(l);
        }
        Map<String, Link> via = new HashMap<>();
        java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>(List.of(key(a)));
        Set<String> seen = new HashSet<>(List.of(key(a)));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (at.equals(key(b))) {
                break;
            }
            for (Link l : adjacent.getOrDefault(at, List.of())) {
                String next = key(l.from()).equals(at) ? key(l.to()) : key(l.from());
                if (seen.add(next)) {
                    via.put(next, l);
                    queue.add(next);
                }
            }
        }
        List<Link> path = new ArrayList<>();
        for (String at = key(b); via.containsKey(at); ) {
            Link l = via.get(at);
            path.add(0, l);
            at = key(l.from()).equals(at) ? key(l.to()) : key(l.from());
        }
        return List.copyOf(path);
    }

    /** The organization with this domain; {@code domain} may be a URL ({@code https://www.acme.com/}). */
    public Optional<LinkedEntity> organization(String domain) {
        return domain(domain).map(organizations::get);
    }

    /** The groups of {@code type} related to {@code group}. */
    public List<LinkedEntity> related(LinkedEntity group, EntityType type) {
        return related.getOrDefault(group, Set.of()).stream()
                .filter(g -> g.type() == type)
                .toList();
    }

    /** The organizations of a person: by reference, association, or the domain of their email. */
    public List<LinkedEntity> organizationsOf(LinkedEntity person) {
        return related(person, EntityType.ORGANIZATION);
    }

    /** The people of an organization: by reference, association, or their email domain. */
    public List<LinkedEntity> peopleOf(LinkedEntity organization) {
        return related(organization, EntityType.PERSON);
    }

    /** The deals of an organization. */
    public List<LinkedEntity> dealsOf(LinkedEntity organization) {
        return related(organization, EntityType.DEAL);
    }

    /**
     * The tickets raised by the person with this email (in any source), each with the requester
     * linked across sources, the customer organizations (and their CRM values) and their deals;
     * empty when the graph knows no such person.
     */
    public List<CustomerTicket> ticketsOf(Email email) {
        return person(email).map(this::ticketsOf).orElse(List.of());
    }

    /**
     * The tickets of an organization (by its web domain or a URL): its own, and those of its people;
     * without an organization record, those of the people whose email has that domain.
     */
    public List<CustomerTicket> ticketsOfDomain(String domain) {
        Optional<String> d = domain(domain);
        if (d.isEmpty()) {
            return List.of();
        }
        LinkedEntity org = organizations.get(d.get());
        if (org != null) {
            return ticketsOf(org);
        }
        Set<LinkedEntity> tickets = new LinkedHashSet<>();
        for (LinkedEntity p : groups(EntityType.PERSON)) {
            if (p.get(Person.EMAIL).map(e -> e.domain().equals(d.get())).orElse(false)) {
                tickets.addAll(related(p, EntityType.TICKET));
            }
        }
        return enrich(tickets);
    }

    /**
     * The tickets of a customer: a person's (tickets that name them or are associated with them) or
     * an organization's (its own and its people's), enriched as {@link #ticketsOf(Email)} is.
     *
     * @throws IllegalArgumentException for a group that is neither a person nor an organization
     */
    public List<CustomerTicket> ticketsOf(LinkedEntity customer) {
        Set<LinkedEntity> tickets = new LinkedHashSet<>(related(customer, EntityType.TICKET));
        if (customer.type() == EntityType.ORGANIZATION) {
            peopleOf(customer).forEach(p -> tickets.addAll(related(p, EntityType.TICKET)));
        } else if (customer.type() != EntityType.PERSON) {
            throw new IllegalArgumentException(
                    "tickets belong to a person or an organization, not a " + customer.type());
        }
        return enrich(tickets);
    }

    private List<CustomerTicket> enrich(Collection<LinkedEntity> ticketGroups) {
        List<CustomerTicket> out = new ArrayList<>();
        for (LinkedEntity t : ticketGroups) {
            LinkedEntity requester = t.get(Ticket.REQUESTER)
                    .map(r -> byKey.get(key(r)))
                    .orElseGet(() ->
                            related(t, EntityType.PERSON).stream().findFirst().orElse(null));
            Set<LinkedEntity> orgs = new LinkedHashSet<>(related(t, EntityType.ORGANIZATION));
            if (requester != null) {
                orgs.addAll(organizationsOf(requester));
            }
            Set<LinkedEntity> deals = new LinkedHashSet<>();
            orgs.forEach(o -> deals.addAll(dealsOf(o)));
            out.add(new CustomerTicket((Ticket) t.primary(), requester, List.copyOf(orgs), List.copyOf(deals)));
        }
        return out;
    }

    private Optional<String> domainOf(Entity org) {
        Optional<String> d = org.get(Organization.DOMAIN).flatMap(this::domain);
        return d.isPresent() ? d : org.get(Organization.WEBSITE).flatMap(this::domain);
    }

    private Optional<String> domain(String text) {
        return Domains.normalize(text).filter(d -> !publicDomains.contains(d));
    }

    private static void relate(
            Map<LinkedEntity, Set<LinkedEntity>> rel, @Nullable LinkedEntity a, @Nullable LinkedEntity b) {
        if (a != null && b != null && a != b) {
            rel.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(b);
            rel.computeIfAbsent(b, k -> new LinkedHashSet<>()).add(a);
        }
    }

    private static Comparator<Integer> precedence(List<String> sources, List<Entity> nodes) {
        Comparator<Integer> byRank = Comparator.comparingInt(i -> {
            Origin o = nodes.get(i).origin();
            int r = sources.indexOf(o.connection());
            return r >= 0 ? r : sources.contains(o.connector()) ? sources.indexOf(o.connector()) : sources.size();
        });
        Comparator<Integer> newestFirst = Comparator.comparing(
                i -> nodes.get(i).origin().updatedAt(), Comparator.nullsLast(Comparator.<Instant>reverseOrder()));
        return byRank.thenComparing(newestFirst).thenComparing(Comparator.naturalOrder());
    }

    /** Type-free, so a reference finds its entity whichever type the referring mapper assumed. */
    private static String key(EntityRef ref) {
        return ref.key();
    }

    @Override
    public String toString() {
        return "EntityGraph[" + groups.size() + " groups]";
    }

    /** Collects entities and relations; not thread-safe. A record added again replaces its earlier version. */
    public static final class Builder {
        private final Map<String, Entity> nodes = new LinkedHashMap<>();
        private final List<String[]> edges = new ArrayList<>();
        private final Set<String> publicDomains = new HashSet<>(PUBLIC_MAIL_DOMAINS);
        private List<String> precedence = DEFAULT_PRECEDENCE;
        private final Set<String> sharedAddresses = new HashSet<>(ROLE_ADDRESSES);
        private int sharedAddressNames = DEFAULT_SHARED_ADDRESS_NAMES;
        private @Nullable LinkPins pins;

        private Builder() {}

        /**
         * More addresses that link no one by themselves: local parts ({@code desk}, meaning {@code desk@} at
         * any domain) or whole addresses ({@code frontdesk@acme.com}), besides {@link #ROLE_ADDRESSES}.
         */
        public Builder sharedAddresses(Collection<String> addresses) {
            addresses.forEach(a -> sharedAddresses.add(a.trim().toLowerCase(Locale.ROOT)));
            return this;
        }

        /**
         * How many different names found on records of one address make it a shared address (so it links
         * no one); {@value #DEFAULT_SHARED_ADDRESS_NAMES} by default, at least 2.
         */
        public Builder sharedAddressNames(int names) {
            if (names < 2) {
                throw new IllegalArgumentException(
                        "an address is shared when at least 2 different names use it; got " + names);
            }
            this.sharedAddressNames = names;
            return this;
        }

        /** The pins every build honours (read when {@link #build()} runs). */
        public Builder pins(LinkPins pins) {
            this.pins = Objects.requireNonNull(pins, "pins");
            return this;
        }

        /**
         * Adds an entity. An association record (a {@link GenericEntity} with {@code fromObjectType},
         * {@code fromId}, {@code toObjectType} and {@code toId}) becomes a relation between the two
         * records of its connection it names, not a member.
         */
        public Builder add(Entity entity) {
            Objects.requireNonNull(entity, "entity");
            JsonObject d = entity.raw().data();
            if (entity instanceof GenericEntity
                    && d.string("fromObjectType") != null
                    && d.string("fromId") != null
                    && d.string("toObjectType") != null
                    && d.string("toId") != null) {
                String connection = entity.origin().connection();
                edges.add(new String[] {
                    connection + "/" + d.string("fromObjectType") + "/" + d.string("fromId"),
                    connection + "/" + d.string("toObjectType") + "/" + d.string("toId")
                });
                return this;
            }
            nodes.put(key(entity.ref()), entity);
            return this;
        }

        public Builder addAll(Collection<? extends Entity> entities) {
            entities.forEach(this::add);
            return this;
        }

        /** Relates two entities (by connection, object and id; their types do not matter). */
        public Builder relate(EntityRef a, EntityRef b) {
            edges.add(new String[] {key(a), key(b)});
            return this;
        }

        /**
         * The sources whose values the merged view prefers, first to last: connection ids or connector
         * ids (a connection id ranks where it is listed, even if its connector is listed too). Replaces
         * {@link #DEFAULT_PRECEDENCE}.
         */
        public Builder precedence(String... sources) {
            this.precedence = List.of(sources);
            return this;
        }

        /** More public mail domains (besides {@link #PUBLIC_MAIL_DOMAINS}), e.g. a country's big providers. */
        public Builder publicMailDomains(Collection<String> domains) {
            domains.forEach(d -> publicDomains.add(d.trim().toLowerCase(Locale.ROOT)));
            return this;
        }

        /**
         * Reads a stream through {@code connection} as {@code context} (so the connection's access
         * policy decides what is read and which records are withheld), normalizes each record with
         * {@code normalizer} and adds it. Errors are those of {@link EntityStream}.
         */
        public Builder read(Normalizer normalizer, Connection connection, AgentContext context, ReadRequest request) {
            try (EntityStream entities = normalizer.read(connection, context, request)) {
                for (Entity e : entities) {
                    add(e);
                }
            }
            return this;
        }

        /** Reads each of {@code streams} whole; see {@link #read(Normalizer, Connection, AgentContext, ReadRequest)}. */
        public Builder read(Normalizer normalizer, Connection connection, AgentContext context, String... streams) {
            for (String s : streams) {
                read(normalizer, connection, context, ReadRequest.of(s));
            }
            return this;
        }

        public EntityGraph build() {
            return new EntityGraph(this);
        }
    }
}
