package dev.switchboard.core.model;

import java.util.List;

/** The differences between a contract and an observed schema, additive and breaking. */
public record SchemaDiff(List<Drift> drifts) {
    public SchemaDiff {
        drifts = List.copyOf(drifts);
    }

    public boolean isEmpty() {
        return drifts.isEmpty();
    }

    public boolean hasBreaking() {
        return drifts.stream().anyMatch(Drift::breaking);
    }

    public List<Drift> breaking() {
        return drifts.stream().filter(Drift::breaking).toList();
    }

    public List<Drift> additive() {
        return drifts.stream().filter(d -> !d.breaking()).toList();
    }
}
