package dev.switchboard.normalize;

/** Whether a deal is still open, won or lost; its vendor stage stays in {@link Deal#STAGE}. {@code OTHER} when the source's value is not one of these. */
public enum DealStatus {
    OPEN,
    WON,
    LOST,
    OTHER
}
