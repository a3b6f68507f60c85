package dev.switchboard.normalize;

import java.util.Objects;

/**
 * A person's decision about two entities, honoured on every build of the graph: the same (linked whatever
 * the rules say) or never the same (never in one group, however many rules match). Pairs are unordered:
 * the constructor puts the two refs in key order.
 *
 * @param a one entity
 * @param b the other
 * @param same whether they are the same ({@code false}: never the same)
 */
public record LinkPin(EntityRef a, EntityRef b, boolean same) {
    public LinkPin {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.key().equals(b.key())) {
            throw new IllegalArgumentException("a pin relates two different entities: " + a.key() + " twice");
        }
        if (a.key().compareTo(b.key()) > 0) {
            EntityRef t = a;
            a = b;
            b = t;
        }
    }

    /** Pins the two as the same entity. */
    public static LinkPin same(EntityRef a, EntityRef b) {
        return new LinkPin(a, b, true);
    }

    /** Pins the two as never the same entity. */
    public static LinkPin never(EntityRef a, EntityRef b) {
        return new LinkPin(a, b, false);
    }

    /** The pair's key: the two refs' keys in order, so a pin replaces an earlier pin of the same pair. */
    public String pairKey() {
        return a.key() + "|" + b.key();
    }
}
