package dev.switchboard.normalize;

/**
 * A record no mapper claims, kept typed: every source field is a custom value under its own name
 * ({@link #customValues()}), typed by its JSON type (text, number, boolean, or JSON for objects and
 * arrays), with its provenance.
 */
public final class GenericEntity extends Entity {
    GenericEntity(Builder b) {
        super(b);
    }
}
