package dev.switchboard.core.governance;

import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.json.JsonObject;
import java.util.Objects;

/**
 * An action waiting for consent.
 *
 * @param connection the connection id
 * @param action the action name
 * @param effect what it will do
 * @param input the validated input, to show the person deciding
 */
public record ConsentRequest(String connection, String action, Effect effect, JsonObject input) {
    public ConsentRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(input, "input");
    }
}
