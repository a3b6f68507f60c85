package dev.switchboard.connectors.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Handing a borrowed connection back as it was lent, for reads and actions alike. */
final class Connections {
    private Connections() {}

    /** Rolls back, ignoring a failure: the first failure is the one to report. */
    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is going back or away; the first failure is the one to report
        }
    }

    /** Puts back the connection's auto-commit and read-only modes, after its transaction ended. */
    static void restore(Connection c, boolean autoCommit, boolean readOnly) {
        try {
            if (c.isReadOnly() != readOnly) {
                c.setReadOnly(readOnly);
            }
            if (c.getAutoCommit() != autoCommit) {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException ignored) {
            // a broken connection: the pool discards it
        }
    }
}
