package dev.switchboard.normalize;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A ticket with its customer, as {@link EntityGraph#ticketsOf(Email)} returns it: the requester's
 * linked person (all sources), the customer organizations (with their CRM values: owner, tier,
 * revenue) and their deals. Immutable.
 */
public final class CustomerTicket {
    private final Ticket ticket;
    private final @Nullable LinkedEntity requester;
    private final List<LinkedEntity> organizations;
    private final List<LinkedEntity> deals;

    CustomerTicket(
            Ticket ticket,
            @Nullable LinkedEntity requester,
            List<LinkedEntity> organizations,
            List<LinkedEntity> deals) {
        this.ticket = Objects.requireNonNull(ticket, "ticket");
        this.requester = requester;
        this.organizations = List.copyOf(organizations);
        this.deals = List.copyOf(deals);
    }

    public Ticket ticket() {
        return ticket;
    }

    /** The person who raised it, linked across sources, if the graph knows them. */
    public Optional<LinkedEntity> requester() {
        return Optional.ofNullable(requester);
    }

    /** The customer organizations: the ticket's own, and the requester's. */
    public List<LinkedEntity> organizations() {
        return organizations;
    }

    /** The first customer organization, if any. */
    public Optional<LinkedEntity> organization() {
        return organizations.stream().findFirst();
    }

    /** The deals of the customer organizations. */
    public List<LinkedEntity> deals() {
        return deals;
    }

    @Override
    public String toString() {
        return "CustomerTicket[" + ticket + ", requester " + (requester == null ? "unknown" : requester.refs()) + ", "
                + organizations.size() + " organizations, " + deals.size() + " deals]";
    }
}
