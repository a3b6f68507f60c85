package dev.switchboard.core.http;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonFormatException;
import dev.switchboard.core.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A vendor's answer, read whole (within the configured size bound) so it can be classified and
 * parsed without holding a connection. Immutable.
 */
public final class VendorResponse {
    private final String connector;
    private final VendorRequest request;
    private final String url;
    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    // Parsed once, on first use, by the pipeline or a classifier: a JsonValue or a JsonFormatException.
    private volatile @Nullable Object parsed;

    /**
     * @param connector the connector id, named in errors
     * @param request the request this answers
     * @param url the URL that answered
     * @param status the HTTP status
     * @param headers header values by lower-case name
     * @param body the whole body
     */
    public VendorResponse(
            String connector,
            VendorRequest request,
            String url,
            int status,
            Map<String, List<String>> headers,
            byte[] body) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.request = Objects.requireNonNull(request, "request");
        this.url = Objects.requireNonNull(url, "url");
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body.clone();
    }

    public VendorRequest request() {
        return request;
    }

    /** The URL that answered, resolved against the base URL. May carry query parameters. */
    public String url() {
        return url;
    }

    public int status() {
        return status;
    }

    /** The first value of a header, case-insensitive, or null. */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a header, case-insensitive. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public byte[] body() {
        return body.clone();
    }

    public int bodyLength() {
        return body.length;
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the {@code Content-Type} says JSON. */
    public boolean isJson() {
        String type = header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).contains("json");
    }

    /**
     * The body as JSON, parsed once. The pipeline checks JSON bodies before a connector sees them, so
     * a connector gets a malformed body as an error from {@code execute}, not from here.
     *
     * @throws PermanentException when the body is not one complete JSON document; its cause is the
     *     {@link JsonFormatException}
     */
    public JsonValue json() {
        Object p = parsed;
        if (p == null) {
            try {
                p = Json.parse(body);
            } catch (JsonFormatException e) {
                p = e;
            }
            parsed = p;
        }
        if (p instanceof JsonFormatException e) {
            throw new PermanentException(
                    connector,
                    request.operation(),
                    "the vendor answered HTTP " + status + " with a body that is not valid JSON (" + e.getMessage()
                            + ")",
                    e);
        }
        return (JsonValue) p;
    }

    @Override
    public String toString() {
        return "VendorResponse[" + status + ", " + body.length + " bytes, " + request.operation() + "]";
    }
}
