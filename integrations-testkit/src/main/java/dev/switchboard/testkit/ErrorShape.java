package dev.switchboard.testkit;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.json.JsonObject;
import java.util.Objects;

/**
 * One way a vendor reports an error, for {@link ConnectorContract}: how to make the fake answer with
 * it, the call that meets it, and the typed error the connector must turn it into.
 *
 * @param name a short name for the test report, e.g. {@code INVALID_SESSION_ID}
 * @param provoke switches the fake to answer with this error
 * @param call the call that meets it
 * @param expected the error type callers must get
 */
public record ErrorShape(String name, Runnable provoke, Call call, Class<? extends SwitchboardException> expected) {
    public ErrorShape {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provoke, "provoke");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(expected, "expected");
    }

    /** A call against a connection. */
    @FunctionalInterface
    public interface Call {
        void run(Connection connection, AgentContext context);
    }

    /** The error met while reading a stream to its end. */
    public static ErrorShape onRead(
            String name, String stream, Runnable provoke, Class<? extends SwitchboardException> expected) {
        return new ErrorShape(
                name,
                provoke,
                (connection, context) -> {
                    try (RecordStream records = connection.read(context, ReadRequest.of(stream))) {
                        records.forEach(r -> {});
                    }
                },
                expected);
    }

    /** The error met while running an action. */
    public static ErrorShape onAction(
            String name,
            String action,
            JsonObject input,
            Runnable provoke,
            Class<? extends SwitchboardException> expected) {
        return new ErrorShape(
                name, provoke, (connection, context) -> connection.execute(context, action, input), expected);
    }

    @Override
    public String toString() {
        return name + " -> " + expected.getSimpleName();
    }
}
