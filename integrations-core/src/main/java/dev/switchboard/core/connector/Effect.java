package dev.switchboard.core.connector;

/** What an action does to the source. Writes and destructive actions need consent. */
public enum Effect {
    READ,
    WRITE,
    DESTRUCTIVE;

    /** Whether a person must consent before the action runs. */
    public boolean needsConsent() {
        return this != READ;
    }
}
