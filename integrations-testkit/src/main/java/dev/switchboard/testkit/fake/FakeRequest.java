package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request as a fake's handler sees it.
 *
 * @param method upper-case HTTP method
 * @param path the path, without query
 * @param query query parameters (first value of each), decoded
 * @param headers request headers by lower-case name (first value)
 * @param body the body as text, empty when none
 */
public record FakeRequest(
        String method, String path, Map<String, String> query, Map<String, String> headers, String body) {
    public FakeRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public @Nullable String query(String name) {
        return query.get(name);
    }

    public @Nullable String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The bearer token sent, or null. */
    public @Nullable String bearerToken() {
        String auth = header("Authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7) : null;
    }

    /** The body parsed as JSON (an empty object when there is no body). */
    public JsonValue json() {
        return body.isBlank() ? JsonObject.empty() : Json.parse(body);
    }

    /** The body as form parameters ({@code application/x-www-form-urlencoded}). */
    public Map<String, String> form() {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isBlank()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.putIfAbsent(name, value);
        }
        return form;
    }

    /** A parameter from the query or, for form posts, the body (Slack accepts both). */
    public @Nullable String param(String name) {
        String q = query(name);
        if (q != null) {
            return q;
        }
        String type = header("Content-Type");
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            return form().get(name);
        }
        if (type != null && type.contains("json") && json() instanceof JsonObject o) {
            JsonValue v = o.get(name);
            if (v != null) {
                return v instanceof dev.switchboard.core.json.JsonString s ? s.value() : v.toJson();
            }
        }
        return null;
    }
}
