package dev.switchboard.connectors.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The values of a statement's placeholders, in order, collected while its SQL is written. */
final class Binds {
    /** Binds one placeholder. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    private final List<Binder> binders = new ArrayList<>();

    /** Adds a placeholder's value; returns {@code "?"} for the SQL. */
    String add(Binder binder) {
        binders.add(binder);
        return "?";
    }

    void addAll(Binds other) {
        binders.addAll(other.binders);
    }

    void bindAll(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < binders.size(); i++) {
            binders.get(i).bind(ps, i + 1);
        }
    }
}
