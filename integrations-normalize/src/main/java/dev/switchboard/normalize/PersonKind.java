package dev.switchboard.normalize;

/** The kind of person record. {@code OTHER} when the source's value is not one of these. */
public enum PersonKind {
    CONTACT,
    LEAD,
    USER,
    OTHER
}
