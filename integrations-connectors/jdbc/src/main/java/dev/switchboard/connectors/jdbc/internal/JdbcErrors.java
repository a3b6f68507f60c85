package dev.switchboard.connectors.jdbc.internal;

import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.List;

/**
 * SQL failures as the typed errors of core, by SQLState class: a lost connection, a timeout, a deadlock or a
 * serialization failure is transient (for a write whose commit may have happened: outcome unknown); a
 * constraint violation or a bad value is the caller's input to fix; missing privileges are a permission
 * denial; anything else is permanent. Messages carry the SQLState and the driver's first line, never a URL.
 */
final class JdbcErrors {
    private JdbcErrors() {}

    enum Kind {
        CONNECTION,
        TRANSIENT,
        CONSTRAINT,
        DATA,
        PRIVILEGE,
        OTHER
    }

    static Kind classify(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException
                || state.startsWith("08")
                || state.equals("57P01")
                || state.equals("57P02")
                || state.equals("57P03")) {
            return Kind.CONNECTION;
        }
        if (e instanceof SQLTimeoutException
                || e instanceof SQLTransientException
                || state.startsWith("40")
                || state.startsWith("53")
                || state.equals("57014")
                || state.equals("55P03")
                || state.equals("HYT00")) {
            return Kind.TRANSIENT;
        }
        if (state.startsWith("23")) {
            return Kind.CONSTRAINT;
        }
        if (state.startsWith("22")) {
            return Kind.DATA;
        }
        if (state.equals("42501") || state.equals("90096")) {
            return Kind.PRIVILEGE;
        }
        return Kind.OTHER;
    }

    static String describe(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        String first = nl < 0 ? m : m.substring(0, nl);
        // PostgreSQL puts the offending key on a "Detail:" line: keep it, it says what to fix.
        int detail = m.indexOf("Detail:");
        if (detail > 0) {
            int end = m.indexOf('\n', detail);
            first = first + " ("
                    + m.substring(detail, end < 0 ? m.length() : end).strip() + ")";
        }
        return "SQLState " + e.getSQLState() + ": " + first;
    }

    /** A failed read. */
    static SwitchboardException read(String connector, String operation, SQLException e) {
        return switch (classify(e)) {
            case CONNECTION, TRANSIENT ->
                new TransientException(
                        connector, operation, "the database did not answer the read; retry: " + describe(e), e);
            case DATA, CONSTRAINT ->
                new InvalidInputException(
                        connector,
                        operation,
                        "a filter value does not fit its column; fix it",
                        List.of(describe(e)),
                        e);
            case PRIVILEGE ->
                new PermissionDeniedException(connector, operation, "the database refused the read: " + describe(e), e);
            case OTHER ->
                new PermanentException(
                        connector, operation, "the read failed; check the connection's settings: " + describe(e), e);
        };
    }

    /**
     * A failed action.
     *
     * @param committing whether the failure came from the commit, so the write may have happened
     * @param retrySafe whether running the statement again is harmless
     */
    static SwitchboardException write(
            String connector, String operation, SQLException e, boolean committing, boolean retrySafe) {
        Kind kind = classify(e);
        if (committing && (kind == Kind.CONNECTION || kind == Kind.TRANSIENT || kind == Kind.OTHER) && !retrySafe) {
            return new OutcomeUnknownException(
                    connector,
                    operation,
                    "the connection failed while the write was committing, so it may or may not have happened;"
                            + " read the rows before trying again: " + describe(e),
                    e);
        }
        return switch (kind) {
            case CONNECTION, TRANSIENT ->
                new TransientException(connector, operation, "the write was rolled back; retry: " + describe(e), e);
            case CONSTRAINT ->
                new InvalidInputException(
                        connector,
                        operation,
                        "the write violates a constraint and was rolled back; change the input",
                        List.of(describe(e)),
                        e);
            case DATA ->
                new InvalidInputException(
                        connector,
                        operation,
                        "a value does not fit its column; the write was rolled back",
                        List.of(describe(e)),
                        e);
            case PRIVILEGE ->
                new PermissionDeniedException(
                        connector, operation, "the database refused the write: " + describe(e), e);
            case OTHER ->
                new PermanentException(connector, operation, "the write failed and was rolled back: " + describe(e), e);
        };
    }
}
