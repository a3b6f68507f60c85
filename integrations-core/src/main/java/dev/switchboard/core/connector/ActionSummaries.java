package dev.switchboard.core.connector;

import dev.switchboard.core.http.Redaction;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Pieces of an action's summary ({@link ConnectorSession#summarize}) that keep it short and free of
 * secrets. The rule: free text (a message, a note's body, a comment) is given by its length only;
 * a short value that names or sets something (a subject, a status, an id) is shown, cut to
 * {@value #MAX_EXCERPT} characters; the value of a member whose name marks a secret
 * ({@link Redaction#isSensitive}) is never shown.
 */
public final class ActionSummaries {
    /** The most characters of a value a summary shows. */
    public static final int MAX_EXCERPT = 60;

    /** What a summary shows in place of a secret. */
    public static final String REDACTED = "[redacted]";

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:@#/+-]{1,60}");

    private ActionSummaries() {}

    /** "42 characters": the length of free text, which a summary gives instead of the text. */
    public static String length(String text) {
        int n = text.codePointCount(0, text.length());
        return n == 1 ? "1 character" : n + " characters";
    }

    /**
     * A short value as a summary shows it: as is when it is one plain word or id ({@code HIGH},
     * {@code 0035e00000AbCdE}), else in double quotes, its whitespace folded, cut to
     * {@value #MAX_EXCERPT} characters with {@code ...} when longer.
     */
    public static String excerpt(String value) {
        if (PLAIN.matcher(value).matches()) {
            return value;
        }
        String folded = value.strip().replaceAll("\\s+", " ");
        if (folded.codePointCount(0, folded.length()) > MAX_EXCERPT) {
            folded = folded.substring(0, folded.offsetByCodePoints(0, MAX_EXCERPT)) + "...";
        }
        return "\"" + folded + "\"";
    }

    /** The value of input member {@code member}: {@value #REDACTED} for a secret, else its {@link #excerpt}. */
    public static String value(String member, JsonValue value) {
        if (Redaction.isSensitive(member)) {
            return REDACTED;
        }
        if (value == JsonNull.INSTANCE) {
            return "empty";
        }
        return excerpt(value instanceof JsonString s ? s.value() : value.toJson());
    }

    /** "a to 1, b to 2 and c to empty": each member set to its {@link #value}. */
    public static String assignments(JsonObject values) {
        List<String> parts = new ArrayList<>(values.size());
        for (Map.Entry<String, JsonValue> e : values.fields().entrySet()) {
            parts.add(e.getKey() + " to " + value(e.getKey(), e.getValue()));
        }
        return list(parts);
    }

    /** "a", "a and b", "a, b and c". */
    public static String list(List<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
