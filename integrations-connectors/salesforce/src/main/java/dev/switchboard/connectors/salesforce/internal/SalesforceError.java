package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The first error of a Salesforce error body. The REST API answers errors with an array
 * {@code [{"message": ..., "errorCode": ..., "fields": [...]}]}; only the first entry decides.
 */
public record SalesforceError(String errorCode, String message, List<String> fields) {
    private static final int MAX_MESSAGE = 300;
    private static final Pattern NO_SUCH_COLUMN = Pattern.compile("No such column '([^']{1,80})'");

    public SalesforceError {
        fields = List.copyOf(fields);
    }

    /** The error in a response body, if it has the Salesforce error shape. */
    public static Optional<SalesforceError> of(VendorResponse response) {
        if (response.bodyLength() == 0) {
            return Optional.empty();
        }
        JsonValue body;
        try {
            body = response.json();
        } catch (PermanentException notJson) {
            return Optional.empty();
        }
        return of(body);
    }

    /** The error in a parsed body, if it has the Salesforce error shape. */
    public static Optional<SalesforceError> of(JsonValue body) {
        JsonObject first = null;
        if (body instanceof JsonArray a && !a.isEmpty() && a.get(0) instanceof JsonObject o) {
            first = o;
        } else if (body instanceof JsonObject o && o.string("errorCode") != null) {
            first = o; // some endpoints (OAuth aside) answer a single object
        }
        if (first == null || first.string("errorCode") == null) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        JsonArray f = first.array("fields");
        if (f != null) {
            for (JsonValue v : f) {
                if (v instanceof JsonString s) {
                    fields.add(s.value());
                }
            }
        }
        return Optional.of(new SalesforceError(first.string("errorCode"), abbreviate(first.string("message")), fields));
    }

    /**
     * The field an {@code INVALID_FIELD} "No such column 'X'" names: a field the request asked for
     * that the org no longer has (or hides from this user). Null for any other error.
     */
    public @Nullable String removedField() {
        return errorCode.equals("INVALID_FIELD") ? removedField(message) : null;
    }

    /** The field a "No such column 'X'" text names, or null when the text says something else. */
    public static @Nullable String removedField(String text) {
        Matcher m = NO_SUCH_COLUMN.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** The message, followed by the fields the error names, if any: {@code msg [Status, Priority]}. */
    public String messageWithFields() {
        return fields.isEmpty() ? message : message + " [" + String.join(", ", fields) + "]";
    }

    private static String abbreviate(@Nullable String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
    }

    @Override
    public String toString() {
        return errorCode + ": " + messageWithFields();
    }
}
