package dev.switchboard.normalize;

/** Where a task stands. {@code OTHER} when the source's value is not one of these. */
public enum ActivityStatus {
    OPEN,
    IN_PROGRESS,
    DONE,
    OTHER
}
