package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a fake answers.
 *
 * @param status the HTTP status
 * @param headers response headers
 * @param body the body text
 */
public record FakeResponse(int status, Map<String, String> headers, String body) {
    public FakeResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A JSON answer. */
    public static FakeResponse json(int status, JsonValue body) {
        return new FakeResponse(status, Map.of("Content-Type", "application/json;charset=UTF-8"), body.toJson());
    }

    /** A JSON answer from text (for bodies copied from vendor documentation). */
    public static FakeResponse json(int status, String body) {
        return new FakeResponse(status, Map.of("Content-Type", "application/json;charset=UTF-8"), body);
    }

    /**
     * No answer: the fake resets the connection after the handler ran, so its state change stands
     * (a vendor that applied a write and whose answer was lost on the way back).
     */
    public static FakeResponse connectionReset() {
        return new FakeResponse(0, Map.of(), "");
    }

    /** Whether this is {@link #connectionReset()}. */
    public boolean isConnectionReset() {
        return status == 0;
    }

    public static FakeResponse empty(int status) {
        return new FakeResponse(status, Map.of(), "");
    }

    /** The same answer with one more header. */
    public FakeResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new FakeResponse(status, h, body);
    }
}
