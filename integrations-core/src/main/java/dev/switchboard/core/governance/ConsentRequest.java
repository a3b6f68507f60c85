package dev.switchboard.core.governance;

import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.http.Redaction;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 * @param summary the action in one sentence, from the connector
 *     ({@link dev.switchboard.core.connector.ConnectorSession#summarize}): what will change, where and for
 *     whom; null when the connector gives none
 */
public record ConsentRequest(
        String connection,
        String action,
        Effect effect,
        JsonObject input,
        String inputDigest,
        String description,
        @Nullable String summary) {
    public ConsentRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(inputDigest, "inputDigest");
        Objects.requireNonNull(description, "description");
        if (summary != null && summary.isBlank()) {
            summary = null;
        }
    }

    /** A request without a connector's summary: its prompt names the action and shows its input. */
    public ConsentRequest(
            String connection, String action, Effect effect, JsonObject input, String inputDigest, String description) {
        this(connection, action, effect, input, inputDigest, description, null);
    }

    /**
     * What to ask a person. With the connector's {@link #summary()}, the prompt leads with it and then
     * names the action, its effect and the connection: "Set hs_ticket_priority to HIGH on HubSpot ticket
     * 123 in connection hubspot-acme. Allow update_ticket (write) on hubspot-acme?". The summary speaks for
     * the input (a connector's summary gives free text by its length), so the input is not repeated.
     *
     * <p>Without a summary (a connector that gives none), the action, its effect, its description and its
     * input. The value of every input member whose name
     * marks a secret ({@code password}, {@code token}, {@code api_key}...: {@link Redaction#isSensitive}) is
     * shown as {@code [redacted]}, at any depth: a prompt is shown, stored in the ledger and carried by an
     * exception. The approval still holds for exactly the input given ({@link #inputDigest()}).
     */
    public String prompt() {
        if (summary != null) {
            return summary + (summary.endsWith(".") ? " " : ". ") + "Allow " + action + " ("
                    + effect.name().toLowerCase(Locale.ROOT) + ") on " + connection + "?";
        }
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
