package dev.switchboard.normalize;

/** How urgent a ticket or task is. {@code OTHER} when the source's value is not one of these. */
public enum Priority {
    LOW,
    MEDIUM,
    HIGH,
    URGENT,
    OTHER
}
