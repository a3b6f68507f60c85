package dev.switchboard.normalize;

/** What a contact point (an email, phone or address) is for, as its source field says. */
public enum ContactKind {
    WORK,
    HOME,
    MOBILE,
    /** A mailing (postal) address. */
    MAILING,
    BILLING,
    SHIPPING,
    /** The source names no use, or one that is none of these (a second or "other" number). */
    OTHER
}
