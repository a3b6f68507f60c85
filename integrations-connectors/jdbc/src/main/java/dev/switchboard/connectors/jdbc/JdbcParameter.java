package dev.switchboard.connectors.jdbc;

import java.util.Objects;

/**
 * One input of a declared action ({@link JdbcAction}): its type, which gives both its JSON Schema and how
 * it is bound, and whether it must be given.
 *
 * @param name the input's name, as the statement's {@code :name}
 * @param type its type
 * @param required whether the input must carry it (an optional one left out is bound as SQL NULL)
 * @param description what it is, for a model filling it in
 */
public record JdbcParameter(String name, Type type, boolean required, String description) {
    /** The types an input can have, each with its JSON Schema type and its JDBC binding. */
    public enum Type {
        /** A JSON string, bound with {@code setString}. */
        STRING,
        /** A JSON integer, bound as a whole {@code BigDecimal}. */
        INTEGER,
        /** A JSON number, bound as a {@code BigDecimal} (never a double). */
        NUMBER,
        /** A JSON boolean. */
        BOOLEAN,
        /** An ISO-8601 date-time string with an offset, bound as an {@code OffsetDateTime} in UTC. */
        TIMESTAMP,
        /** An ISO-8601 date string, bound as a {@code LocalDate}. */
        DATE,
        /** A UUID string, bound as a {@code java.util.UUID}. */
        UUID
    }

    public JdbcParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("a parameter's name is letters, digits and '_': " + name);
        }
        if (JdbcQuery.PRINCIPAL_PARAMETERS.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is bound from the principal and cannot be an input");
        }
    }

    /** A required input. */
    public static JdbcParameter required(String name, Type type) {
        return new JdbcParameter(name, type, true, "");
    }

    /** An optional input (SQL NULL when left out). */
    public static JdbcParameter optional(String name, Type type) {
        return new JdbcParameter(name, type, false, "");
    }

    public JdbcParameter withDescription(String description) {
        return new JdbcParameter(name, type, required, description);
    }
}
