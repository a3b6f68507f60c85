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
 * @param inputDigest the canonical digest of the input ({@code Json.canonicalDigest}): an approval holds
 *     for exactly this input
 * @param description the action's description, for the prompt
 */
public record ConsentRequest(
        String connection, String action, Effect effect, JsonObject input, String inputDigest, String description) {
    public ConsentRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(inputDigest, "inputDigest");
        Objects.requireNonNull(description, "description");
    }

    /** What to ask a person: the action, its effect and its input. */
    public String prompt() {
        return "Allow " + action + " (" + effect.name().toLowerCase(java.util.Locale.ROOT) + ") on " + connection
                + (description.isEmpty() ? "" : " - " + description) + " with input " + input.toJson() + "?";
    }
}
