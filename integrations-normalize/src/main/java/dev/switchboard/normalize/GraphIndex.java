package dev.switchboard.normalize;

import dev.switchboard.normalize.internal.Domains;
import dev.switchboard.normalize.internal.Linker;
import dev.switchboard.normalize.internal.UnionFind;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The state of an {@link EntityGraph}, changed in place: entities by key, their groups, the blocking keys that can
 * link them (emails, domains, ids, pins) and the relations they declare, each indexed both ways.
 *
 * <p>Why a change never needs a rebuild: two entities can only be linked through a blocking key they share, so the
 * entities reachable from a changed one through shared keys (its component, found with its old keys and its new) are
 * all a change can regroup. They are linked again by {@link Linker}, alone, in the order they were first added;
 * since the linker's result for a component depends only on that component's entities in that order, the groups
 * are those a rebuild from scratch makes. Relations are not stored per group but per entity, and resolved to groups
 * when asked, so a regrouping moves none of them.
 *
 * <p>Not thread-safe: {@link EntityGraph} guards it with a read-write lock. Changes are batched: {@link #upsert}
 * and {@link #remove} mark what they touch, {@link #relink()} regroups every touched component once.
 */
final class GraphIndex {
    /** One entity of the graph. */
    static final class Node {
        final String key;
        final long seq;
        Entity entity;
        List<String> blocks = List.of();
        List<Edge> edges = List.of();

        @Nullable
        Group group;

        Node(String key, long seq, Entity entity) {
            this.key = key;
            this.seq = seq;
            this.entity = entity;
        }
    }

    /** A relation one node declares: {@code from} and {@code to} are entity keys, {@code name} its name. */
    record Edge(String from, String name, String to) {}

    /** The entities linked as one, and why. */
    static final class Group {
        final long id;
        final List<Node> members;
        final List<Link> links;
        final List<LinkConflict> conflicts;
        final Set<String> sharedEmails;
        private volatile @Nullable LinkedEntity view;

        Group(long id, List<Node> members, List<Link> links, List<LinkConflict> conflicts, Set<String> sharedEmails) {
            this.id = id;
            this.members = members;
            this.links = links;
            this.conflicts = conflicts;
            this.sharedEmails = sharedEmails;
        }

        EntityType type() {
            return members.get(0).entity.type();
        }

        /** Made on first ask: most groups of a large graph are never looked at. */
        LinkedEntity view() {
            LinkedEntity v = view;
            if (v == null) {
                synchronized (this) {
                    v = view;
                    if (v == null) {
                        List<Entity> entities = new ArrayList<>(members.size());
                        members.forEach(n -> entities.add(n.entity));
                        v = new LinkedEntity(type(), entities, links);
                        view = v;
                    }
                }
            }
            return v;
        }
    }

    /** The settings of linking and of the merged view. */
    record Settings(Set<String> publicDomains, Linker.Settings linking, List<String> precedence) {}

    static final String ASSOCIATED = "associated";
    static final String RELATED = "related";
    static final String DOMAIN = "domain";

    private final Settings settings;
    private final Map<String, Node> entities = new HashMap<>();
    // Relations declared by something other than an entity of the graph: association records, explicit relations.
    private final Map<String, List<Edge>> declarations = new HashMap<>();
    // The source object of each stream read (a Slack "users" stream holds "user" objects): a few entries, where a
    // map from every record's stream and id to its key would cost as much as the entities.
    private final Map<String, String> objectOfStream = new HashMap<>();
    private final Map<String, List<Node>> blocks = new HashMap<>();
    private final Map<String, List<Edge>> edgesAt = new HashMap<>();
    private final Map<String, List<Node>> peopleByEmailDomain = new HashMap<>();
    private final TreeMap<Long, Group> groups = new TreeMap<>();
    private final Map<String, LinkPin> pins = new LinkedHashMap<>();
    private final Map<String, List<LinkPin>> pinsAt = new HashMap<>();
    private long lastSeq;

    // What the pending batch touched: keys to relink from, and groups that no longer hold.
    // Replaced, not cleared, after each batch: clear() walks the whole table, which a build grew to the graph's size.
    private Set<String> frontierKeys = new HashSet<>();
    private Set<Node> frontierNodes = new LinkedHashSet<>();
    private Set<Group> staleGroups = new HashSet<>();

    GraphIndex(Settings settings) {
        this.settings = settings;
    }

    // ---- changes

    /** The next local sequence number, for a graph that numbers its own changes. */
    long nextSeq() {
        return lastSeq + 1;
    }

    /**
     * Adds or replaces an entity (a tombstone removes it); {@code seq} orders first additions (a replaced entity
     * keeps its first). Returns whether anything changed: a version older than the one held is ignored.
     */
    boolean upsert(Entity entity, long seq) {
        return upsert(entity, seq, true);
    }

    /** As {@link #upsert(Entity, long)}; {@code newerOnly} false applies a store's row whatever its version. */
    boolean upsert(Entity entity, long seq, boolean newerOnly) {
        lastSeq = Math.max(lastSeq, seq);
        String key = entity.ref().key();
        if (entity.deleted()) {
            return remove(key);
        }
        Entity kept = entity.withoutRaw();
        List<Edge> declared = associationEdges(kept);
        if (declared != null) {
            declare(key, declared);
            return true;
        }
        Node n = entities.get(key);
        if (n != null) {
            Instant held = n.entity.origin().updatedAt();
            Instant now = kept.origin().updatedAt();
            if (newerOnly && held != null && now != null && now.isBefore(held)) {
                return false;
            }
            touch(n);
            unindex(n);
            n.entity = kept;
        } else {
            n = new Node(key, seq, kept);
            entities.put(key, n);
        }
        index(n);
        frontierNodes.add(n);
        return true;
    }

    /** Removes the entity or declaration of that key; whether there was one. */
    boolean remove(String key) {
        List<Edge> d = declarations.remove(key);
        if (d != null) {
            unindexEdges(d);
            return true;
        }
        Node n = entities.remove(key);
        if (n == null) {
            return false;
        }
        touch(n);
        unindex(n);
        frontierNodes.remove(n);
        return true;
    }

    /** Whether {@code entity} would change the graph: not an older version of one held. */
    boolean isNews(Entity entity) {
        Node n = entities.get(entity.ref().key());
        if (n == null) {
            return true;
        }
        Instant held = n.entity.origin().updatedAt();
        Instant now = entity.origin().updatedAt();
        return held == null || now == null || !now.isBefore(held);
    }

    /** Whether the graph holds the entity or declaration of that key. */
    boolean holds(String key) {
        return entities.containsKey(key) || declarations.containsKey(key);
    }

    /** The key of the entity read from {@code connection}'s {@code stream} with that id, if held. */
    @Nullable
    String keyOf(String connection, String stream, String id) {
        String object = objectOfStream.get(connection + "\u0000" + stream);
        return object == null ? null : connection + "/" + object + "/" + id;
    }

    /** Relates two entities by their keys; an explicit relation is its own declaration. */
    void relate(EntityRef a, EntityRef b, long seq) {
        lastSeq = Math.max(lastSeq, seq);
        declare(relationKey(a, b), List.of(new Edge(a.key(), RELATED, b.key())));
    }

    private void declare(String key, List<Edge> edges) {
        List<Edge> old = declarations.put(key, edges);
        if (old != null) {
            unindexEdges(old);
        }
        indexEdges(edges);
    }

    boolean unrelate(EntityRef a, EntityRef b) {
        return remove(relationKey(a, b));
    }

    static String relationKey(EntityRef a, EntityRef b) {
        String x = a.key();
        String y = b.key();
        return "relation:" + (x.compareTo(y) <= 0 ? x + "|" + y : y + "|" + x);
    }

    /** Keeps a pin (replacing one of its pair); the pair is regrouped on the next {@link #relink()}. */
    void pin(LinkPin pin) {
        LinkPin old = pins.put(pin.pairKey(), pin);
        if (old != null) {
            pinsAt.getOrDefault(pin.a().key(), new ArrayList<>()).remove(old);
            pinsAt.getOrDefault(pin.b().key(), new ArrayList<>()).remove(old);
        }
        pinsAt.computeIfAbsent(pin.a().key(), k -> new ArrayList<>()).add(pin);
        pinsAt.computeIfAbsent(pin.b().key(), k -> new ArrayList<>()).add(pin);
        reblock(pin.a().key());
        reblock(pin.b().key());
    }

    boolean unpin(EntityRef a, EntityRef b) {
        LinkPin old = pins.remove(LinkPin.same(a, b).pairKey());
        if (old == null) {
            return false;
        }
        pinsAt.getOrDefault(old.a().key(), new ArrayList<>()).remove(old);
        pinsAt.getOrDefault(old.b().key(), new ArrayList<>()).remove(old);
        reblock(old.a().key());
        reblock(old.b().key());
        return true;
    }

    @Nullable
    LinkPin pin(String pairKey) {
        return pins.get(pairKey);
    }

    List<LinkPin> pins() {
        return List.copyOf(pins.values());
    }

    private void reblock(String key) {
        Node n = entities.get(key);
        if (n != null) {
            touch(n);
            unblock(n);
            n.blocks = blocksOf(n);
            n.blocks.forEach(
                    k -> blocks.computeIfAbsent(k, x -> new ArrayList<>(1)).add(n));
            frontierNodes.add(n);
        }
    }

    /** Notes what a node's change may regroup: its component as it stood, and its group. */
    private void touch(Node n) {
        frontierKeys.addAll(n.blocks);
        if (n.group != null) {
            staleGroups.add(n.group);
        }
    }

    private void index(Node n) {
        Entity e = n.entity;
        objectOfStream.putIfAbsent(
                e.origin().connection() + "\u0000" + e.raw().stream(),
                e.origin().object());
        n.blocks = blocksOf(n);
        n.blocks.forEach(k -> blocks.computeIfAbsent(k, x -> new ArrayList<>(1)).add(n));
        n.edges = referenceEdges(n);
        indexEdges(n.edges);
        emailDomain(e)
                .ifPresent(d -> peopleByEmailDomain
                        .computeIfAbsent(d, x -> new ArrayList<>(1))
                        .add(n));
    }

    private void unindex(Node n) {
        Entity e = n.entity;
        unblock(n);
        unindexEdges(n.edges);
        emailDomain(e).ifPresent(d -> removeFrom(peopleByEmailDomain, d, n));
    }

    private void unblock(Node n) {
        n.blocks.forEach(k -> removeFrom(blocks, k, n));
    }

    private void indexEdges(List<Edge> edges) {
        for (Edge edge : edges) {
            edgesAt.computeIfAbsent(edge.from(), k -> new ArrayList<>(1)).add(edge);
            if (!edge.to().equals(edge.from())) {
                edgesAt.computeIfAbsent(edge.to(), k -> new ArrayList<>(1)).add(edge);
            }
        }
    }

    private void unindexEdges(List<Edge> edges) {
        for (Edge edge : edges) {
            removeFrom(edgesAt, edge.from(), edge);
            if (!edge.to().equals(edge.from())) {
                removeFrom(edgesAt, edge.to(), edge);
            }
        }
    }

    private static <K, V> void removeFrom(Map<K, List<V>> map, K key, V value) {
        List<V> list = map.get(key);
        if (list != null) {
            list.remove(value);
            if (list.isEmpty()) {
                map.remove(key);
            }
        }
    }

    /**
     * The keys through which the linker may join this entity to another: its own id and the external ids it
     * states (per type), a person's email, an organization's domain, the pins "same" it is part of.
     */
    private List<String> blocksOf(Node n) {
        Entity e = n.entity;
        List<String> keys = new ArrayList<>(3);
        if (e.type() != EntityType.GENERIC) {
            keys.add(idKey(e.type(), e.ownId()));
            for (Value<ExternalId> id : e.externalIds()) {
                String k = idKey(e.type(), id.value());
                if (!keys.contains(k)) {
                    keys.add(k);
                }
            }
        }
        if (e.type() == EntityType.PERSON) {
            e.get(Person.EMAIL).ifPresent(m -> keys.add("email:" + m.address()));
        } else if (e.type() == EntityType.ORGANIZATION) {
            domainOf(e).ifPresent(d -> keys.add("domain:" + d));
        }
        for (LinkPin p : pinsAt.getOrDefault(n.key, List.of())) {
            if (p.same()) {
                keys.add("pin:" + p.pairKey());
            }
        }
        return keys;
    }

    private static String idKey(EntityType type, ExternalId id) {
        return "id:" + type + ":" + id.system() + ":" + id.id();
    }

    /**
     * The relations an entity's reference fields declare, and its lists of references: {@code owner} and
     * {@code assignee} name a {@link EntityType#USER} of the source, never a customer's person.
     */
    private List<Edge> referenceEdges(Node n) {
        List<Edge> out = null;
        // By field, not through values(): that view is cached on the entity, a map per entity of the graph.
        for (Field<?> f : n.entity.type().fields()) {
            if (f.kind() != ValueKind.REF && f.kind() != ValueKind.STRUCTURED) {
                continue;
            }
            Object v = n.entity.get(f).orElse(null);
            if (v instanceof EntityRef ref) {
                out = edge(out, n, f.name(), ref);
            } else if (v instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof EntityRef ref) { // a team's members, a user's teams
                        out = edge(out, n, f.name(), ref);
                    }
                }
            }
        }
        return out == null ? List.of() : out;
    }

    private List<Edge> edge(@Nullable List<Edge> out, Node n, String name, EntityRef ref) {
        List<Edge> edges = out == null ? new ArrayList<>(2) : out;
        String to = ref.key();
        Node target = entities.get(to);
        edges.add(new Edge(n.key, name, target == null ? to : target.key)); // one string per key held
        return edges;
    }

    /**
     * The relation an association record declares (a {@link GenericEntity} with {@code fromObjectType},
     * {@code fromId}, {@code toObjectType} and {@code toId}, as HubSpot's {@code associations} stream emits them),
     * between two records of its connection; null for any other entity.
     */
    private static @Nullable List<Edge> associationEdges(Entity e) {
        if (!(e instanceof GenericEntity)) {
            return null;
        }
        String fromType = text(e, "fromObjectType");
        String fromId = text(e, "fromId");
        String toType = text(e, "toObjectType");
        String toId = text(e, "toId");
        if (fromType == null || fromId == null || toType == null || toId == null) {
            return null;
        }
        String connection = e.origin().connection();
        return List.of(new Edge(
                connection + "/" + fromType + "/" + fromId, ASSOCIATED, connection + "/" + toType + "/" + toId));
    }

    private static @Nullable String text(Entity e, String name) {
        return e.custom(name)
                .map(Value::value)
                .filter(v -> v instanceof String || v instanceof Long)
                .map(Object::toString)
                .orElse(null);
    }

    // ---- regrouping

    /** Regroups every component the changes since the last call touched; each once. */
    void relink() {
        if (frontierKeys.isEmpty() && frontierNodes.isEmpty() && staleGroups.isEmpty()) {
            return;
        }
        for (Group g : staleGroups) {
            groups.remove(g.id);
            for (Node m : g.members) {
                if (m.group == g) {
                    m.group = null;
                }
            }
        }
        Set<Node> done = new HashSet<>();
        Set<String> seenKeys = new HashSet<>();
        for (String k : frontierKeys) {
            if (seenKeys.contains(k)) {
                continue;
            }
            List<Node> holders = blocks.get(k);
            if (holders == null) {
                seenKeys.add(k);
                continue;
            }
            link(component(List.of(k), List.of(), seenKeys, done));
        }
        for (Node n : frontierNodes) {
            if (!done.contains(n) && entities.get(n.key) == n) {
                link(component(List.of(), List.of(n), seenKeys, done));
            }
        }
        frontierKeys = new HashSet<>();
        frontierNodes = new LinkedHashSet<>();
        staleGroups = new HashSet<>();
    }

    /** The nodes reachable from the starting keys and nodes through shared blocking keys. */
    private List<Node> component(
            Collection<String> startKeys, Collection<Node> startNodes, Set<String> seenKeys, Set<Node> seenNodes) {
        ArrayDeque<String> todo = new ArrayDeque<>();
        List<Node> found = new ArrayList<>();
        for (String k : startKeys) {
            if (seenKeys.add(k)) {
                todo.add(k);
            }
        }
        for (Node n : startNodes) {
            if (seenNodes.add(n)) {
                found.add(n);
                for (String k : n.blocks) {
                    if (seenKeys.add(k)) {
                        todo.add(k);
                    }
                }
            }
        }
        while (!todo.isEmpty()) {
            for (Node n : blocks.getOrDefault(todo.poll(), List.of())) {
                if (seenNodes.add(n)) {
                    found.add(n);
                    for (String k : n.blocks) {
                        if (seenKeys.add(k)) {
                            todo.add(k);
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Links one component alone, in first-added order, and makes its groups. */
    private void link(List<Node> component) {
        if (component.isEmpty()) {
            return;
        }
        for (Node n : component) {
            if (n.group != null) {
                groups.remove(n.group.id);
                n.group = null;
            }
        }
        List<Node> nodes = new ArrayList<>(component);
        nodes.sort(Comparator.comparingLong(n -> n.seq));
        List<Entity> list = new ArrayList<>(nodes.size());
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            list.add(nodes.get(i).entity);
            at.put(nodes.get(i).key, i);
        }
        List<LinkPin> relevant = new ArrayList<>();
        if (!pins.isEmpty()) {
            Set<LinkPin> seen = new HashSet<>();
            for (Node n : nodes) {
                for (LinkPin p : pinsAt.getOrDefault(n.key, List.of())) {
                    if (seen.add(p)) {
                        relevant.add(p);
                    }
                }
            }
            // The order pins were made, as a rebuild reads them.
            List<LinkPin> ordered = new ArrayList<>();
            for (LinkPin p : pins.values()) {
                if (seen.contains(p)) {
                    ordered.add(p);
                }
            }
            relevant = ordered;
        }
        Linker.Result r = Linker.link(list, at, this::domainOf, settings.linking(), relevant);
        UnionFind sets = r.sets();
        Map<Integer, List<Integer>> membersByRoot = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            membersByRoot.computeIfAbsent(sets.find(i), x -> new ArrayList<>()).add(i);
        }
        Map<Integer, List<Link>> linksByRoot = new HashMap<>();
        for (int k = 0; k < r.links().size(); k++) {
            linksByRoot
                    .computeIfAbsent(sets.find(r.linkTo()[k]), x -> new ArrayList<>())
                    .add(r.links().get(k));
        }
        Map<Integer, List<LinkConflict>> conflictsByRoot = new HashMap<>();
        for (LinkConflict c : r.conflicts()) {
            Integer a = at.get(c.a().key()); // a conflict names nodes of this component
            conflictsByRoot
                    .computeIfAbsent(sets.find(a == null ? 0 : a), x -> new ArrayList<>())
                    .add(c);
        }
        Comparator<Node> precedence = precedence();
        for (Map.Entry<Integer, List<Integer>> e : membersByRoot.entrySet()) {
            List<Node> members = new ArrayList<>(e.getValue().size());
            e.getValue().forEach(i -> members.add(nodes.get(i)));
            long id = members.get(0).seq; // first added: indices are in seq order
            members.sort(precedence);
            Set<String> shared = Set.of();
            if (!r.sharedEmails().isEmpty()) {
                Set<String> held = new HashSet<>();
                for (Node m : members) {
                    m.entity
                            .get(Person.EMAIL)
                            .filter(x -> r.sharedEmails().contains(x.address()))
                            .ifPresent(x -> held.add(x.address()));
                }
                shared = Set.copyOf(held);
            }
            Group g = new Group(
                    id,
                    List.copyOf(members),
                    List.copyOf(linksByRoot.getOrDefault(e.getKey(), List.of())),
                    List.copyOf(conflictsByRoot.getOrDefault(e.getKey(), List.of())),
                    shared);
            groups.put(id, g);
            members.forEach(m -> m.group = g);
        }
    }

    private Comparator<Node> precedence() {
        List<String> sources = settings.precedence();
        Comparator<Node> byRank = Comparator.comparingInt(n -> {
            Origin o = n.entity.origin();
            int r = sources.indexOf(o.connection());
            return r >= 0 ? r : sources.contains(o.connector()) ? sources.indexOf(o.connector()) : sources.size();
        });
        Comparator<Node> newestFirst = Comparator.comparing(
                n -> n.entity.origin().updatedAt(), Comparator.nullsLast(Comparator.<Instant>reverseOrder()));
        return byRank.thenComparing(newestFirst).thenComparingLong(n -> n.seq);
    }

    // ---- reads

    int size() {
        return entities.size();
    }

    Collection<Group> groups() {
        return groups.values();
    }

    @Nullable
    Group group(String key) {
        Node n = entities.get(key);
        return n == null ? null : n.group;
    }

    /** The current group of a (possibly outdated) view: the group of its first member still held. */
    @Nullable
    Group current(LinkedEntity view) {
        for (EntityRef r : view.refs()) {
            Group g = group(r.key());
            if (g != null) {
                return g;
            }
        }
        return null;
    }

    /** The groups holding a blocking key, first added first. */
    List<Group> holders(String block, EntityType type) {
        List<Node> nodes = blocks.getOrDefault(block, List.of());
        Set<Group> found = new HashSet<>();
        for (Node n : nodes) {
            if (n.entity.type() == type && n.group != null) {
                found.add(n.group);
            }
        }
        List<Group> out = new ArrayList<>(found);
        out.sort(Comparator.comparingLong(g -> g.id));
        return out;
    }

    @Nullable
    Group person(Email email) {
        List<Group> holders = holders("email:" + email.address(), EntityType.PERSON);
        for (Group g : holders) {
            if (g.sharedEmails.contains(email.address())) {
                return null;
            }
        }
        return holders.isEmpty() ? null : holders.get(0);
    }

    @Nullable
    Group organization(String domain) {
        List<Group> holders = holders("domain:" + domain, EntityType.ORGANIZATION);
        return holders.isEmpty() ? null : holders.get(0);
    }

    List<Group> peopleAtDomain(String domain) {
        Set<Group> found = new HashSet<>();
        for (Node n : peopleByEmailDomain.getOrDefault(domain, List.of())) {
            if (n.group != null) {
                found.add(n.group);
            }
        }
        List<Group> out = new ArrayList<>(found);
        out.sort(Comparator.comparingLong(g -> g.id));
        return out;
    }

    /** One relation of a group: its name, the other group, and whether the group declared it. */
    record Related(String name, Group other, boolean outgoing) {}

    /**
     * The relations of a group to groups of {@code type} (null: any) by {@code relation} (null: any): every
     * relation to at most {@code limit} other groups, first added first. Costs the group's own relations, not the
     * graph's.
     */
    List<Related> related(Group group, @Nullable EntityType type, @Nullable String relation, int limit) {
        Set<Related> found = new HashSet<>();
        for (Node m : group.members) {
            for (Edge edge : edgesAt.getOrDefault(m.key, List.of())) {
                if (relation != null && !relation.equals(edge.name())) {
                    continue;
                }
                boolean outgoing = edge.from().equals(m.key);
                Group other = group(outgoing ? edge.to() : edge.from());
                if (other != null && other != group && (type == null || other.type() == type)) {
                    found.add(new Related(edge.name(), other, outgoing));
                }
            }
        }
        if (relation == null || relation.equals(DOMAIN)) {
            if (group.type() == EntityType.PERSON && (type == null || type == EntityType.ORGANIZATION)) {
                for (Node m : group.members) {
                    emailDomain(m.entity).ifPresent(d -> {
                        Group org = organization(d);
                        if (org != null && org != group) {
                            found.add(new Related(DOMAIN, org, true));
                        }
                    });
                }
            } else if (group.type() == EntityType.ORGANIZATION && (type == null || type == EntityType.PERSON)) {
                for (Node m : group.members) {
                    if (m.entity.type() != EntityType.ORGANIZATION) {
                        continue;
                    }
                    domainOf(m.entity).filter(d -> organization(d) == group).ifPresent(d -> {
                        for (Group p : peopleAtDomain(d)) {
                            if (p != group && p.type() == EntityType.PERSON) {
                                found.add(new Related(DOMAIN, p, false));
                            }
                        }
                    });
                }
            }
        }
        // Every relation to the first {@code limit} groups, in a fixed order: first added, then by name.
        List<Related> out = new ArrayList<>(found);
        out.sort(Comparator.comparingLong((Related x) -> x.other().id)
                .thenComparing(Related::name)
                .thenComparing(Related::outgoing));
        int groupsSeen = 0;
        for (int i = 0; i < out.size(); i++) {
            if (i == 0 || out.get(i).other() != out.get(i - 1).other()) {
                if (++groupsSeen > limit) {
                    return List.copyOf(out.subList(0, i));
                }
            }
        }
        return out;
    }

    // ---- domains

    Optional<String> domainOf(Entity org) {
        Optional<String> d = org.get(Organization.DOMAIN).flatMap(this::domain);
        return d.isPresent() ? d : org.get(Organization.WEBSITE).flatMap(this::domain);
    }

    Optional<String> domain(String text) {
        return Domains.normalize(text).filter(d -> !settings.publicDomains().contains(d));
    }

    private Optional<String> emailDomain(Entity e) {
        return e.type() == EntityType.PERSON ? e.get(Person.EMAIL).flatMap(x -> domain(x.domain())) : Optional.empty();
    }
}
