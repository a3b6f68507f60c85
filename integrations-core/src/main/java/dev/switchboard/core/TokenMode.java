package dev.switchboard.core;

/** Whose grant a connection's requests carry. */
public enum TokenMode {
    /** One service grant for every principal (the app's integration user). */
    SHARED,
    /** Each principal's own grant: the vendor itself enforces what each user may see. */
    PER_PRINCIPAL
}
