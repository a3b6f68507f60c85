package dev.switchboard.normalize;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The records of one person, organization or other thing, linked across sources by an
 * {@link EntityGraph}: every member as its source gave it, and a merged view. Immutable.
 *
 * <p>The merged view takes, per field, the first member with a value in precedence order
 * ({@link #members()} is in that order); each merged value keeps its own provenance, so a merged
 * person can show a Salesforce name and a HubSpot phone, each saying where it came from. Members
 * that disagree are listed in {@link #conflicts()}. A list field (emails, phones, addresses, tags, attachments)
 * is the union of the members' lists, each item once, and never conflicts. Values that describe a source record rather
 * than the thing itself are merged but never conflict: references (owner, organization: ids local
 * to each source), {@code createdAt}, {@code updatedAt} and a person's {@code kind}.
 */
public final class LinkedEntity {
    private final EntityType type;
    private final List<Entity> members;
    private final List<Link> links;
    private final Map<Field<?>, Value<?>> values;
    private final Map<String, Value<?>> custom;
    private final List<Conflict> conflicts;

    LinkedEntity(EntityType type, List<Entity> members, List<Link> links) {
        this.type = type;
        this.members = List.copyOf(members);
        this.links = List.copyOf(links);
        Map<Field<?>, Value<?>> merged = new LinkedHashMap<>();
        Map<String, Value<?>> mergedCustom = new LinkedHashMap<>();
        Map<String, List<Value<?>>> all = new LinkedHashMap<>();
        for (Entity m : this.members) {
            m.values().forEach((f, v) -> {
                if (f.kind() == ValueKind.STRUCTURED && v.value() instanceof List<?> items) {
                    merged.merge(f, v, (held, more) -> union(held, items));
                    return; // a list of many: each source adds its own, none disagrees
                }
                merged.putIfAbsent(f, v);
                if (!describesTheRecord(f)) {
                    all.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(v);
                }
            });
            m.customValues().forEach((name, v) -> {
                mergedCustom.putIfAbsent(name, v);
                all.computeIfAbsent(FieldMapping.CUSTOM + name, k -> new ArrayList<>())
                        .add(v);
            });
        }
        // Type's field order, not member order, so the view reads the same whichever source came first.
        Map<Field<?>, Value<?>> ordered = new LinkedHashMap<>();
        for (Field<?> f : type.fields()) {
            if (merged.containsKey(f)) {
                ordered.put(f, merged.get(f));
            }
        }
        this.values = Collections.unmodifiableMap(ordered);
        this.custom = Collections.unmodifiableMap(mergedCustom);
        List<Conflict> found = new ArrayList<>();
        all.forEach((field, list) -> {
            Set<Object> distinct = new LinkedHashSet<>();
            list.forEach(v -> distinct.add(comparable(v.value())));
            if (distinct.size() > 1) {
                found.add(new Conflict(field, list));
            }
        });
        this.conflicts = List.copyOf(found);
    }

    /**
     * A list field's values across members, each once (emails by address, phones by digits, attachments by id), in
     * precedence order; each item keeps its own provenance where it has one (a contact point), the list the first
     * member's.
     */
    private static Value<?> union(Value<?> held, List<?> more) {
        List<Object> items = new ArrayList<>((List<?>) held.value());
        Set<Object> seen = new java.util.HashSet<>();
        items.forEach(i -> seen.add(comparable(i)));
        for (Object i : more) {
            if (seen.add(comparable(i))) {
                items.add(i);
            }
        }
        return new Value<>(List.copyOf(items), held.provenance());
    }

    private static boolean describesTheRecord(Field<?> f) {
        return f.kind() == ValueKind.REF
                || f.name().equals("createdAt")
                || f.name().equals("updatedAt")
                || f.equals(Person.KIND);
    }

    /** What makes two values the same: the code of a coded value, a number's value, a phone's digits. */
    private static Object comparable(Object v) {
        if (v instanceof ContactPoint<?> p) {
            return comparable(p.value());
        }
        if (v instanceof Attachment a) {
            return a.id();
        }
        if (v instanceof Coded<?> c) {
            return c.code();
        }
        if (v instanceof Code c) {
            return c.code();
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros();
        }
        if (v instanceof Money m) {
            return List.of(m.amount().stripTrailingZeros(), m.currency());
        }
        if (v instanceof Phone p) {
            return p.dialable();
        }
        if (v instanceof String s) {
            return s.trim();
        }
        return v;
    }

    public EntityType type() {
        return type;
    }

    /** Every linked record, in precedence order: the first is the one the merged view prefers. */
    public List<Entity> members() {
        return members;
    }

    /** The member the merged view prefers. */
    public Entity primary() {
        return members.get(0);
    }

    /** Why the members are linked; empty for a group of one. */
    public List<Link> links() {
        return links;
    }

    /** The merged value of a standard field, with the provenance of the member it came from. */
    @SuppressWarnings("unchecked")
    public <T> Optional<Value<T>> value(Field<T> field) {
        return Optional.ofNullable((Value<T>) values.get(field));
    }

    /** The merged value of a standard field. */
    public <T> Optional<T> get(Field<T> field) {
        return value(field).map(Value::value);
    }

    /** Every merged standard value, in the type's field order. */
    public Map<Field<?>, Value<?>> values() {
        return values;
    }

    /** The merged value of a custom field, e.g. {@code tier}. */
    public Optional<Value<?>> custom(String name) {
        return Optional.ofNullable(custom.get(name));
    }

    /** Every merged custom value. */
    public Map<String, Value<?>> customValues() {
        return custom;
    }

    /** Fields whose members disagree, each with every member's value. */
    public List<Conflict> conflicts() {
        return conflicts;
    }

    /** The conflict on a field ({@code name} or {@code custom.tier}), if its members disagree. */
    public Optional<Conflict> conflict(String field) {
        return conflicts.stream().filter(c -> c.field().equals(field)).findFirst();
    }

    /** The members' own ids and the external ids they state. */
    public Set<ExternalId> ids() {
        Set<ExternalId> ids = new LinkedHashSet<>();
        for (Entity m : members) {
            ids.add(m.ownId());
            m.externalIds().forEach(v -> ids.add(v.value()));
        }
        return Collections.unmodifiableSet(ids);
    }

    /** The members' references. */
    public List<EntityRef> refs() {
        return members.stream().map(Entity::ref).toList();
    }

    /** Whether a member comes from {@code connector}. */
    public boolean hasMemberFrom(String connector) {
        return members.stream().anyMatch(m -> m.origin().connector().equals(connector));
    }

    /** Names the members, not their values (which may be personal). */
    @Override
    public String toString() {
        return "LinkedEntity[" + type + " "
                + refs().stream().map(EntityRef::key).toList() + "]";
    }
}
