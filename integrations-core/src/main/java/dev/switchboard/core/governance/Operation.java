package dev.switchboard.core.governance;

import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An operation a principal asks for on one connection: a read of a stream (with the fields it asks
 * for), a subscription to its changes, a metadata lookup, an action (with its input), a preview of an
 * action, or a look at quarantined records. A policy may decide by any of these, by field and by
 * argument.
 *
 * @param connection the connection id
 * @param connector the connector id
 * @param name the stream or action name
 * @param effect {@link Effect#READ} for everything but actions; the action's effect otherwise
 * @param kind what is asked
 * @param fields the fields a read asks for (empty: every field of the contract)
 * @param input an action's (or preview's) validated input; null for the other kinds
 */
public record Operation(
        String connection,
        String connector,
        String name,
        Effect effect,
        Kind kind,
        List<String> fields,
        @Nullable JsonObject input) {
    public Operation {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(kind, "kind");
        fields = List.copyOf(fields);
    }

    /** A read of a stream ({@link Effect#READ}) or an action with no input, as operations were first made. */
    public Operation(String connection, String connector, String name, Effect effect) {
        this(connection, connector, name, effect, effect == Effect.READ ? Kind.READ : Kind.ACTION, List.of(), null);
    }

    /** What an operation asks for. */
    public enum Kind {
        /** Reading a stream's records. */
        READ,
        /** Following a stream's changes ({@code Switchboard.subscribe}). */
        SUBSCRIBE,
        /** Reading a stream's metadata ({@code Connection.describe}). */
        DESCRIBE,
        /** Running an action. */
        ACTION,
        /** Previewing an action without running it ({@code Connection.preview}). */
        PREVIEW,
        /** Listing or releasing quarantined records of a stream. */
        QUARANTINE
    }

    /** Whether it reads without changing anything at the source. */
    public boolean readOnly() {
        return effect == Effect.READ || kind == Kind.PREVIEW;
    }

    @Override
    public String toString() {
        return kind + " " + effect + " " + connection + "/" + name;
    }
}
