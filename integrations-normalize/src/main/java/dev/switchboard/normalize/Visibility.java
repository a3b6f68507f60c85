package dev.switchboard.normalize;

/** Who sees a comment: the customer too ({@code PUBLIC}), or only the source's users ({@code INTERNAL}). */
public enum Visibility {
    PUBLIC,
    INTERNAL,
    OTHER
}
