package dev.switchboard.core.governance;

import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.http.Redaction;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.util.Locale;
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

    /**
     * What to ask a person: the action, its effect and its input. The value of every input member whose name
     * marks a secret ({@code password}, {@code token}, {@code api_key}...: {@link Redaction#isSensitive}) is
     * shown as {@code [redacted]}, at any depth: a prompt is shown, stored in the ledger and carried by an
     * exception. The approval still holds for exactly the input given ({@link #inputDigest()}).
     */
    public String prompt() {
        return "Allow " + action + " (" + effect.name().toLowerCase(Locale.ROOT) + ") on " + connection
                + (description.isEmpty() ? "" : " - " + description) + " with input "
                + masked(input).toJson() + "?";
    }

    private static JsonValue masked(JsonValue value) {
        if (value instanceof JsonObject o) {
            JsonObject.Builder b = JsonObject.builder(o.size());
            o.fields()
                    .forEach((name, v) ->
                            b.put(name, Redaction.isSensitive(name) ? new JsonString(REDACTED) : masked(v)));
            return b.build();
        }
        if (value instanceof JsonArray a) {
            return JsonArray.of(a.stream().map(ConsentRequest::masked).toList());
        }
        return value;
    }

    private static final String REDACTED = "[redacted]";
}
