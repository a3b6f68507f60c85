package dev.switchboard.normalize;

import java.util.Objects;

/**
 * One relation of a group to another, as {@link EntityGraph#relations} returns it. Immutable.
 *
 * @param name the relation: the reference field that makes it ({@code requester}, {@code organization},
 *     {@code ticket}, ...), or {@link #ASSOCIATED}, {@link #RELATED}, {@link #DOMAIN}
 * @param outgoing whether a member of the asking group declares it (a ticket's {@code requester}), rather than a
 *     member of the other (the person a ticket names, asked about its tickets)
 * @param entity the related group
 */
public record Relation(String name, boolean outgoing, LinkedEntity entity) {
    /** An association record of the source (HubSpot's associations) relates the two. */
    public static final String ASSOCIATED = GraphIndex.ASSOCIATED;
    /** The application related the two ({@link EntityGraph#relate}). */
    public static final String RELATED = GraphIndex.RELATED;
    /** A person's email domain is the organization's web domain (never a public mail domain). */
    public static final String DOMAIN = GraphIndex.DOMAIN;

    public Relation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(entity, "entity");
    }
}
