package dev.switchboard.normalize;

/** Where a ticket stands. Vendors' own statuses map onto these; the raw one stays in {@link Coded#raw()}. {@code OTHER} when the source's value is not one of these. */
public enum TicketStatus {
    NEW,
    OPEN,
    PENDING,
    CLOSED,
    OTHER
}
