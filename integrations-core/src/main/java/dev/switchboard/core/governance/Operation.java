package dev.switchboard.core.governance;

import dev.switchboard.core.connector.Effect;
import java.util.Objects;

/**
 * An operation a principal asks for: a read of a stream or an action, on one connection.
 *
 * @param connection the connection id
 * @param connector the connector id
 * @param name the stream or action name
 * @param effect {@link Effect#READ} for reads; the action's effect otherwise
 */
public record Operation(String connection, String connector, String name, Effect effect) {
    public Operation {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(effect, "effect");
    }

    @Override
    public String toString() {
        return effect + " " + connection + "/" + name;
    }
}
