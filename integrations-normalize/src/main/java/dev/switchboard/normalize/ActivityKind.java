package dev.switchboard.normalize;

/** What an activity is. {@code OTHER} when the source's value is not one of these. */
public enum ActivityKind {
    TASK,
    NOTE,
    CALL,
    EMAIL,
    MEETING,
    OTHER
}
