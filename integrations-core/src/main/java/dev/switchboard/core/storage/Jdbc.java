package dev.switchboard.core.storage;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC plumbing the project's stores share, for H2 and PostgreSQL. Every connection taken here is set to what
 * the work relies on (auto-commit, or one {@code READ COMMITTED} transaction), whatever a pool's defaults are, and
 * given back with the settings it came with.
 */
public final class Jdbc {
    /** How often {@link #inTransaction} starts over after losing a race to another writer. */
    private static final int ATTEMPTS = 5;

    /**
     * SQLStates of a lost race: 23505 unique violation, 40001 serialization failure, 40P01 PostgreSQL deadlock,
     * HYT00 H2 lock timeout, 90131 H2 concurrent update.
     */
    private static final Set<String> LOST_RACE = Set.of("23505", "40001", "40P01", "HYT00", "90131");

    private Jdbc() {}

    /** Work on one connection; it may return null (nothing to return, or nothing found). */
    @FunctionalInterface
    public interface Work<T> {
        @Nullable
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection in auto-commit mode at {@code READ COMMITTED}: each statement commits by
     * itself (a pool's {@code SERIALIZABLE} default would make PostgreSQL fail concurrent single-row updates).
     */
    public static <T> @Nullable T autoCommit(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            if (!autoCommit) {
                c.rollback(); // a pool may hand out a connection with a transaction open: end it first
            }
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(true);
            try {
                return work.run(c);
            } finally {
                restore(c, autoCommit, isolation);
            }
        }
    }

    /** {@link #autoCommit} for work that always returns a value. */
    public static <T> T autoCommitValue(DataSource dataSource, Work<T> work) throws SQLException {
        return java.util.Objects.requireNonNull(autoCommit(dataSource, work), "the work returned no value");
    }

    /** {@link #inTransaction} for work that always returns a value. */
    public static <T> T inTransactionValue(DataSource dataSource, Work<T> work) throws SQLException {
        return java.util.Objects.requireNonNull(inTransaction(dataSource, work), "the work returned no value");
    }

    /**
     * Runs {@code work} in one {@code READ COMMITTED} transaction, committed when it returns and rolled back when
     * it throws. When it lost a race with another writer (a duplicate key, a serialization failure, a deadlock, a
     * lock timeout: {@link #lostRace}) it runs again from the start, a few times; the work must be written so
     * that running it again is correct.
     */
    public static <T> @Nullable T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction(dataSource, work);
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !lostRace(e)) {
                    throw e;
                }
            }
        }
    }

    private static <T> @Nullable T transaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            if (!autoCommit) {
                c.rollback(); // a pool may hand out a connection with a transaction open: start a fresh one
            }
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                @Nullable T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(
                            rollback); // the database rolls back what was not committed when the connection closes
                }
                throw e;
            } finally {
                restore(c, autoCommit, isolation);
            }
        }
    }

    private static void restore(Connection c, boolean autoCommit, int isolation) {
        try {
            if (c.getTransactionIsolation() != isolation) {
                c.setTransactionIsolation(isolation);
            }
            if (c.getAutoCommit() != autoCommit) {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException ignored) {
            // a broken connection: the pool discards it
        }
    }

    /** Whether {@code e} (or an exception chained to it) is a unique-key violation (SQLState 23505, in H2 and PostgreSQL). */
    public static boolean isDuplicateKey(SQLException e) {
        return hasState(e, Set.of("23505"));
    }

    /** Whether {@code e} says the work lost a race with another writer, so running it again may succeed. */
    public static boolean lostRace(SQLException e) {
        return hasState(e, LOST_RACE);
    }

    private static boolean hasState(SQLException e, Set<String> states) {
        // The state may sit on a chained exception (PostgreSQL batches) or on a cause (pools wrap them).
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        todo.add(e);
        for (int seen = 0; !todo.isEmpty() && seen < 20; seen++) {
            Throwable x = todo.poll();
            if (x instanceof SQLException sql) {
                if (sql.getSQLState() != null && states.contains(sql.getSQLState())) {
                    return true;
                }
                if (sql.getNextException() != null) {
                    todo.add(sql.getNextException());
                }
            }
            if (x.getCause() != null && x.getCause() != x) {
                todo.add(x.getCause());
            }
        }
        return false;
    }

    /**
     * The error for a failed statement of a store, never quoting the driver's message (H2 and PostgreSQL quote
     * offending values in it, and values may be personal): an undefined table or column, missing privileges (SQLState
     * class 42) or a value that does not fit its column (22) is a {@link PermanentException}; anything else a
     * {@link TransientException} saying nothing was changed.
     *
     * @param component the store, e.g. {@code "position-store"}
     * @param operation what failed, e.g. {@code "save"}
     * @param what names the table, e.g. {@code "the position table switchboard_positions"}
     */
    public static SwitchboardException failure(String component, String operation, String what, SQLException e) {
        String state = e.getSQLState() == null ? "none" : e.getSQLState();
        String message =
                what + " failed to " + operation + " (SQLState " + state + ", error code " + e.getErrorCode() + ")";
        // Data errors (22, 23) quote values in the driver's message: their cause is not kept either.
        @Nullable Throwable cause = state.startsWith("22") || state.startsWith("23") ? null : e;
        if (state.startsWith("42")) {
            return new PermanentException(
                    component,
                    operation,
                    message + ": the database refused the statement (a table changed outside Switchboard, or missing"
                            + " privileges); fix the table or the privileges",
                    cause);
        }
        if (state.startsWith("22")) {
            return new PermanentException(
                    component,
                    operation,
                    message + ": a value does not fit its column (longer than the column, or a character the"
                            + " database's encoding lacks); widen the column",
                    cause);
        }
        return new TransientException(component, operation, message + "; nothing was changed, try again", cause);
    }

    /**
     * Checks a table name that will be written into SQL: letters, digits and {@code _}, not starting with a
     * digit, optionally after a schema name and {@code .}.
     *
     * @return {@code name}
     * @throws IllegalArgumentException for anything else
     */
    public static String tableName(String name) {
        Objects.requireNonNull(name, "table");
        if (!name.matches("([A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*") || name.length() > 120) {
            throw new IllegalArgumentException("table name '" + name + "' is not accepted: use letters, digits and '_'"
                    + " (not first), optionally after a schema name and '.', e.g. switchboard_positions");
        }
        return name;
    }

    /**
     * An instant as nanoseconds since the epoch, a {@code BIGINT} that compares in SQL as the instants do and
     * reads back exactly ({@link #instant}); instants outside the years 1677 to 2262 are clamped to that range.
     */
    public static long epochNanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException e) {
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** The instant {@link #epochNanos} gave {@code nanos} for. */
    public static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
