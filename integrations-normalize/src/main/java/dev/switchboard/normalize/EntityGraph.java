package dev.switchboard.normalize;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeListener;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.normalize.internal.Linker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * Entities from any sources, linked: the records of one person or organization form one
 * {@link LinkedEntity}, and entities that refer to each other are related, so that "tickets of
 * this customer, enriched with CRM data" is one call, {@link #ticketsOf(Email)}.
 *
 * <p>Follows its sources: {@link #apply(Entity)} (or {@link #changes(Normalizer)} on a subscription) adds,
 * replaces or, for a source delete, removes one entity, and links again only the entities that change can
 * regroup: those that share a blocking key (an email, a domain, an id, a pin) with it, directly or through
 * others. The groups are always those a build from scratch would make from the same entities. Entities are
 * kept {@linkplain Entity#withoutRaw() without their raw records}; relations are indexed both ways, so
 * {@link #relations} costs the group's own relations. Thread-safe: reads see the graph before or after each
 * change, never halfway; changes are serialized.
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
 * <p>Relations (not links: the groups stay apart): a reference field or a list of references
 * ({@code requester}, {@code organization}, {@code owner}, {@code members}, ...; an owner is a
 * {@link EntityType#USER} of the source, never a customer's person) to an entity in the graph; an association record (fields {@code fromObjectType},
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

    private final GraphIndex index;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final @Nullable LinkPins pinStore;
    private final @Nullable GraphStore store;
    /** The store's sequence this graph has applied up to. */
    private long applied;

    private static final String ENTITY = "entity";
    private static final String RELATION = "relation";
    private static final String PIN = "pin";
    private static final int PAGE = 1000;

    private EntityGraph(Builder b) {
        this.index = new GraphIndex(new GraphIndex.Settings(
                Set.copyOf(b.publicDomains),
                new Linker.Settings(Set.copyOf(b.sharedAddresses), b.sharedAddressNames),
                List.copyOf(b.precedence)));
        this.pinStore = b.pins;
        this.store = b.store;
        if (b.pins != null) {
            b.pins.all().forEach(index::pin);
        }
        if (store == null) {
            for (Entity e : b.nodes) {
                index.upsert(e, index.nextSeq());
            }
            for (EntityRef[] edge : b.edges) {
                index.relate(edge[0], edge[1], index.nextSeq());
            }
            index.relink();
        } else {
            catchUp(); // what other instances stored, so versions are compared with it
            List<GraphStore.Write> writes = new ArrayList<>();
            for (Entity e : b.nodes) {
                writes.add(entityWrite(e));
                if (writes.size() == PAGE) {
                    store.write(writes);
                    writes.clear();
                }
            }
            for (EntityRef[] edge : b.edges) {
                writes.add(relationWrite(edge[0], edge[1], false));
            }
            if (!writes.isEmpty()) {
                store.write(writes);
            }
            catchUp();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- changes

    /**
     * Applies one entity as its source now holds it: adds it, or replaces the version held (a version older than
     * the one held, by {@link Origin#updatedAt()}, is ignored), or, for a {@linkplain Entity#deleted() deleted}
     * entity, removes it. Only the groups the entity can touch are linked again (see the class comment); the
     * result equals a graph built from scratch from the same entities. The graph keeps the entity {@linkplain
     * Entity#withoutRaw() without its raw record}.
     *
     * @return whether the graph changed
     */
    public boolean apply(Entity entity) {
        return applyAll(List.of(entity)) > 0;
    }

    /**
     * Applies entities in order, as {@link #apply(Entity)} does, and links again once at the end: a batch costs
     * the components it touches, each once.
     *
     * @return how many changed the graph
     */
    public int applyAll(Collection<? extends Entity> entities) {
        lock.writeLock().lock();
        try {
            if (store != null) {
                catchUp();
                List<GraphStore.Write> writes = new ArrayList<>();
                for (Entity e : entities) {
                    Objects.requireNonNull(e, "entity");
                    if (e.deleted() ? index.holds(e.ref().key()) : index.isNews(e)) {
                        writes.add(entityWrite(e));
                    }
                }
                write(writes);
                return writes.size();
            }
            int changed = 0;
            for (Entity e : entities) {
                if (index.upsert(Objects.requireNonNull(e, "entity"), index.nextSeq())) {
                    changed++;
                }
            }
            index.relink();
            return changed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the entity {@code ref} names (by connection, object and id), as a source delete does; whether it was held. */
    public boolean remove(EntityRef ref) {
        lock.writeLock().lock();
        try {
            return removeKey(ref.key());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Under the write lock. */
    private boolean removeKey(@Nullable String key) {
        if (store != null) {
            catchUp();
            if (key == null || !index.holds(key)) {
                return false;
            }
            write(List.of(GraphStore.Write.delete(key, ENTITY, "{}")));
            return true;
        }
        boolean removed = key != null && index.remove(key);
        index.relink();
        return removed;
    }

    /**
     * Applies one change of a source's change feed: a delete removes the record's entity (whether or not the
     * event carries the tombstone); an upsert that carries the record applies its entity, normalized by
     * {@code normalizer}. An upsert without its record (a webhook, a write) changes nothing here and returns
     * false: read the record and {@link #apply(Entity)} it, or let the polled feed, which carries records,
     * deliver it.
     *
     * @return whether the graph changed
     */
    public boolean apply(ChangeEvent event, Normalizer normalizer) {
        if (event.op() == ChangeEvent.Op.UPSERT) {
            return event.record() != null && apply(normalizer.normalize(event.record()));
        }
        lock.writeLock().lock();
        try {
            String key = event.record() != null
                    ? Origin.of(event.record()).ref(EntityType.GENERIC).key()
                    : index.keyOf(event.connection(), event.stream(), event.recordId());
            return removeKey(key);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * A listener that keeps this graph following a subscription ({@code Switchboard.subscribe}): each event is
     * {@linkplain #apply(ChangeEvent, Normalizer) applied} as it arrives. A record the normalizer cannot map
     * throws, so the subscription delivers it again after backing off rather than skip it.
     */
    public ChangeListener changes(Normalizer normalizer) {
        Objects.requireNonNull(normalizer, "normalizer");
        return event -> apply(event, normalizer);
    }

    /** Relates two entities (by connection, object and id; their types do not matter); kept until {@link #unrelate}. */
    public void relate(EntityRef a, EntityRef b) {
        lock.writeLock().lock();
        try {
            if (store != null) {
                write(List.of(relationWrite(a, b, false)));
            } else {
                index.relate(a, b, index.nextSeq());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes a relation made by {@link #relate}; whether there was one. */
    public boolean unrelate(EntityRef a, EntityRef b) {
        lock.writeLock().lock();
        try {
            if (store != null) {
                catchUp();
                if (!index.holds(GraphIndex.relationKey(a, b))) {
                    return false;
                }
                write(List.of(relationWrite(a, b, true)));
                return true;
            }
            return index.unrelate(a, b);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Pins a pair, same or never the same, and links the pair's groups again; kept in the builder's {@link
     * Builder#pins store} when it was given one, so every later build honours it too.
     */
    public void pin(LinkPin pin) {
        Objects.requireNonNull(pin, "pin");
        lock.writeLock().lock();
        try {
            if (pinStore != null) {
                pinStore.pin(pin);
            }
            if (store != null) {
                write(List.of(pinWrite(pin, false)));
            } else {
                index.pin(pin);
                index.relink();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the pin of a pair, and links the pair's groups again; whether there was one. */
    public boolean unpin(EntityRef a, EntityRef b) {
        lock.writeLock().lock();
        try {
            if (pinStore != null) {
                pinStore.unpin(a, b);
            }
            if (store != null) {
                catchUp();
                LinkPin held = index.pin(LinkPin.same(a, b).pairKey());
                if (held == null) {
                    return false;
                }
                write(List.of(pinWrite(held, true)));
                return true;
            }
            boolean removed = index.unpin(a, b);
            index.relink();
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Applies what other instances wrote to the {@linkplain Builder#store store} since this graph last looked, and
     * returns how many stored changes that was; 0 for a graph without a store. Changes made through this graph are
     * applied when they are made; call this before reading to see the others' (an instance that only reads calls
     * it on its own schedule).
     */
    public int refresh() {
        if (store == null) {
            return 0;
        }
        lock.writeLock().lock();
        try {
            return catchUp();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Writes to the store, then applies every row up to and including these. Under the write lock. */
    private void write(List<GraphStore.Write> writes) {
        if (!writes.isEmpty()) {
            Objects.requireNonNull(store).write(writes);
        }
        catchUp();
    }

    /** Applies the store's rows after {@link #applied}, in sequence order, then links again. Under the write lock. */
    private int catchUp() {
        GraphStore s = Objects.requireNonNull(store);
        int count = 0;
        while (true) {
            List<GraphStore.Row> rows = s.changedAfter(applied, PAGE);
            for (GraphStore.Row row : rows) {
                applyRow(row);
                applied = row.sequence();
                count++;
            }
            if (rows.size() < PAGE) {
                break;
            }
        }
        index.relink();
        return count;
    }

    private void applyRow(GraphStore.Row row) {
        switch (row.kind()) {
            case ENTITY -> {
                if (row.deleted()) {
                    index.remove(row.key());
                } else {
                    index.upsert(EntityJson.read(row.body()), row.firstSequence(), false);
                }
            }
            case RELATION -> {
                JsonObject o = (JsonObject) Json.parse(row.body());
                EntityRef a = FileLinkPins.ref(Objects.requireNonNull(o.object("a"), "a"));
                EntityRef b = FileLinkPins.ref(Objects.requireNonNull(o.object("b"), "b"));
                if (row.deleted()) {
                    index.unrelate(a, b);
                } else {
                    index.relate(a, b, row.firstSequence());
                }
            }
            case PIN -> {
                LinkPin pin = FileLinkPins.pin((JsonObject) Json.parse(row.body()));
                if (row.deleted()) {
                    index.unpin(pin.a(), pin.b());
                } else {
                    index.pin(pin);
                }
            }
            default ->
                throw new IllegalStateException(
                        "the graph store holds a row of kind '" + row.kind() + "' this version does not know (key "
                                + row.key() + "): upgrade every instance that shares it");
        }
    }

    private static GraphStore.Write entityWrite(Entity e) {
        String key = e.ref().key();
        String body = EntityJson.write(e.withoutRaw());
        return e.deleted() ? GraphStore.Write.delete(key, ENTITY, body) : GraphStore.Write.put(key, ENTITY, body);
    }

    private static GraphStore.Write relationWrite(EntityRef a, EntityRef b, boolean deleted) {
        String body = Json.write(JsonObject.builder()
                .put("a", FileLinkPins.ref(a))
                .put("b", FileLinkPins.ref(b))
                .build());
        String key = GraphIndex.relationKey(a, b);
        return deleted ? GraphStore.Write.delete(key, RELATION, body) : GraphStore.Write.put(key, RELATION, body);
    }

    private static GraphStore.Write pinWrite(LinkPin pin, boolean deleted) {
        String body = Json.write(FileLinkPins.json(pin));
        String key = "pin:" + pin.pairKey();
        return deleted ? GraphStore.Write.delete(key, PIN, body) : GraphStore.Write.put(key, PIN, body);
    }

    // ---- reads

    /** How many entities the graph holds (members of groups; association records and relations not counted). */
    public int size() {
        lock.readLock().lock();
        try {
            return index.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every group, in the order their first member was added. */
    public List<LinkedEntity> groups() {
        lock.readLock().lock();
        try {
            List<LinkedEntity> out = new ArrayList<>(index.groups().size());
            index.groups().forEach(g -> out.add(g.view()));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The groups of one type, in the order their first member was added. */
    public List<LinkedEntity> groups(EntityType type) {
        lock.readLock().lock();
        try {
            List<LinkedEntity> out = new ArrayList<>();
            for (GraphIndex.Group g : index.groups()) {
                if (g.type() == type) {
                    out.add(g.view());
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The group of the entity {@code ref} names (by connection, object and id), if the graph holds it. */
    public Optional<LinkedEntity> group(EntityRef ref) {
        lock.readLock().lock();
        try {
            return view(index.group(ref.key()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The group {@code entity} belongs to, if the graph holds it. */
    public Optional<LinkedEntity> group(Entity entity) {
        return group(entity.ref());
    }

    private static Optional<LinkedEntity> view(GraphIndex.@Nullable Group g) {
        return g == null ? Optional.empty() : Optional.of(g.view());
    }

    /**
     * The person with this email address, linked across sources; empty for a shared or role address, which
     * names no one person ({@link #peopleWith} lists who has it).
     */
    public Optional<LinkedEntity> person(Email email) {
        lock.readLock().lock();
        try {
            return view(index.person(email));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every person group with a member of this email address: one, or several for a shared address. */
    public List<LinkedEntity> peopleWith(Email email) {
        lock.readLock().lock();
        try {
            return views(index.holders("email:" + email.address(), EntityType.PERSON));
        } finally {
            lock.readLock().unlock();
        }
    }

    private static List<LinkedEntity> views(List<GraphIndex.Group> groups) {
        List<LinkedEntity> out = new ArrayList<>(groups.size());
        groups.forEach(g -> out.add(g.view()));
        return out;
    }

    /**
     * Every merge a rule proposed and the linking refused (a role or shared address, disagreeing names and
     * identifiers, a pin): what a person reviews, and pins if needed. In the order of the groups, then found.
     */
    public List<LinkConflict> linkConflicts() {
        lock.readLock().lock();
        try {
            List<LinkConflict> out = new ArrayList<>();
            index.groups().forEach(g -> out.addAll(g.conflicts));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Why two entities are in one group: the links joining them, from {@code a} to {@code b} (each with its
     * rule and evidence, {@link Link#explain()}); empty when they are not in one group (or are the same).
     */
    public List<Link> explain(EntityRef a, EntityRef b) {
        List<Link> links;
        lock.readLock().lock();
        try {
            GraphIndex.Group group = index.group(a.key());
            if (group == null || group != index.group(b.key()) || a.key().equals(b.key())) {
                return List.of();
            }
            links = group.links;
        } finally {
            lock.readLock().unlock();
        }
        Map<String, List<Link>> adjacent = new HashMap<>();
        for (Link l : links) {
            adjacent.computeIfAbsent(l.from().key(), k -> new ArrayList<>()).add(l);
            adjacent.computeIfAbsent(l.to().key(), k -> new ArrayList<>()).add(l);
        }
        Map<String, Link> via = new HashMap<>();
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(a.key()));
        Set<String> seen = new HashSet<>(List.of(a.key()));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (at.equals(b.key())) {
                break;
            }
            for (Link l : adjacent.getOrDefault(at, List.of())) {
                String next =
                        l.from().key().equals(at) ? l.to().key() : l.from().key();
                if (seen.add(next)) {
                    via.put(next, l);
                    queue.add(next);
                }
            }
        }
        List<Link> path = new ArrayList<>();
        for (String at = b.key(); via.containsKey(at); ) {
            Link l = via.get(at);
            path.add(0, l);
            at = l.from().key().equals(at) ? l.to().key() : l.from().key();
        }
        return List.copyOf(path);
    }

    /** The organization with this domain; {@code domain} may be a URL ({@code https://www.acme.com/}). */
    public Optional<LinkedEntity> organization(String domain) {
        lock.readLock().lock();
        try {
            return index.domain(domain).flatMap(d -> view(index.organization(d)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The relations of a group to others: every relation to at most {@code limit} other groups, first added
     * first, then by name (two groups can be related more than one way). Made by a reference field
     * (named after the field: {@code requester}, {@code organization}, {@code ticket}, ...), an association
     * record ({@link Relation#ASSOCIATED}), {@link #relate} ({@link Relation#RELATED}), or a person's email
     * domain that is an organization's ({@link Relation#DOMAIN}). Costs the group's own relations, however large
     * the graph. A group from an earlier state of the graph is looked up again by its members.
     *
     * @param type the type of the related groups, or null for any
     * @param relation the relation's name, or null for any
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public List<Relation> relations(
            LinkedEntity group, @Nullable EntityType type, @Nullable String relation, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        lock.readLock().lock();
        try {
            GraphIndex.Group g = index.current(group);
            if (g == null) {
                return List.of();
            }
            List<Relation> out = new ArrayList<>();
            for (GraphIndex.Related r : index.related(g, type, relation, limit)) {
                out.add(new Relation(r.name(), r.outgoing(), r.other().view()));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The groups of {@code type} related to {@code group} by {@code relation} (null: any), at most {@code limit},
     * first added first; see {@link #relations}.
     */
    public List<LinkedEntity> related(LinkedEntity group, EntityType type, @Nullable String relation, int limit) {
        Set<LinkedEntity> out = new LinkedHashSet<>();
        relations(group, Objects.requireNonNull(type, "type"), relation, limit).forEach(r -> out.add(r.entity()));
        return List.copyOf(out);
    }

    /** The groups of {@code type} related to {@code group} in any way, at most {@code limit}; see {@link #relations}. */
    public List<LinkedEntity> related(LinkedEntity group, EntityType type, int limit) {
        return related(group, type, null, limit);
    }

    /** Every group of {@code type} related to {@code group} in any way; see {@link #relations}. */
    public List<LinkedEntity> related(LinkedEntity group, EntityType type) {
        return related(group, type, null, Integer.MAX_VALUE);
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
        Optional<String> d = index.domain(domain);
        if (d.isEmpty()) {
            return List.of();
        }
        Optional<LinkedEntity> org = organization(d.get());
        if (org.isPresent()) {
            return ticketsOf(org.get());
        }
        List<LinkedEntity> people;
        lock.readLock().lock();
        try {
            people = views(index.peopleAtDomain(d.get()));
        } finally {
            lock.readLock().unlock();
        }
        Set<LinkedEntity> tickets = new LinkedHashSet<>();
        people.forEach(p -> tickets.addAll(related(p, EntityType.TICKET)));
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
                    .flatMap(this::group)
                    .orElseGet(() -> related(t, EntityType.PERSON, 1).stream()
                            .findFirst()
                            .orElse(null));
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

    @Override
    public String toString() {
        lock.readLock().lock();
        try {
            return "EntityGraph[" + index.size() + " entities, "
                    + index.groups().size() + " groups]";
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Collects entities and relations; not thread-safe. A record added again replaces its earlier version. */
    public static final class Builder {
        private final List<Entity> nodes = new ArrayList<>();
        private final List<EntityRef[]> edges = new ArrayList<>();
        private final Set<String> publicDomains = new HashSet<>(PUBLIC_MAIL_DOMAINS);
        private List<String> precedence = DEFAULT_PRECEDENCE;
        private final Set<String> sharedAddresses = new HashSet<>(ROLE_ADDRESSES);
        private int sharedAddressNames = DEFAULT_SHARED_ADDRESS_NAMES;
        private @Nullable LinkPins pins;
        private @Nullable GraphStore store;

        private Builder() {}

        /**
         * Keeps the graph in {@code store}, shared with every graph built on it (other instances, other
         * processes): {@link #build()} applies what the store holds, then writes this builder's entities and
         * relations; each change made through the graph is written to the store first, then applied, and {@link
         * EntityGraph#refresh()} applies the others'. Every instance applies the same rows in the same order, so
         * all hold the same groups. Pins made through {@link EntityGraph#pin} are stored there too.
         */
        public Builder store(GraphStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

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

        /**
         * The pins every build honours (read when {@link #build()} runs); {@link EntityGraph#pin} keeps new
         * ones there.
         */
        public Builder pins(LinkPins pins) {
            this.pins = Objects.requireNonNull(pins, "pins");
            return this;
        }

        /**
         * Adds an entity. An association record (a {@link GenericEntity} with {@code fromObjectType},
         * {@code fromId}, {@code toObjectType} and {@code toId}) becomes a relation between the two
         * records of its connection it names, not a member. A deleted entity (a tombstone) removes the one added
         * before; an entity added again replaces the one added before (unless it is an older version), keeping
         * its place.
         */
        public Builder add(Entity entity) {
            nodes.add(Objects.requireNonNull(entity, "entity"));
            return this;
        }

        public Builder addAll(Collection<? extends Entity> entities) {
            entities.forEach(this::add);
            return this;
        }

        /** Relates two entities (by connection, object and id; their types do not matter). */
        public Builder relate(EntityRef a, EntityRef b) {
            edges.add(new EntityRef[] {Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b")});
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
