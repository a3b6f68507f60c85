package dev.switchboard.normalize;

/**
 * What a pipeline stage means, whatever the source calls it: deals are {@code OPEN}, {@code WON} or
 * {@code LOST}; tickets {@code NEW}, {@code WAITING} (on the customer) or {@code CLOSED}, and
 * {@code OPEN} while being worked on. {@code OTHER} when the source does not say.
 */
public enum StageKind {
    OPEN,
    WON,
    LOST,
    NEW,
    WAITING,
    CLOSED,
    OTHER
}
