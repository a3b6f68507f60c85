package dev.switchboard.core.http;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonFormatException;
import dev.switchboard.core.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    /** Header names and values in the order received: name, value, name, value... (names in any case). */
    private final String[] headers;

    private final byte[] body;
    // Parsed once, on first use, by the pipeline or a classifier: a JsonValue or a JsonFormatException.
    private volatile @Nullable Object parsed;

    /**
     * @param connector the connector id, named in errors
     * @param request the request this answers
     * @param url the URL that answered
     * @param status the HTTP status
     * @param headers header values by name (looked up without regard to case)
     * @param body the whole body
     */
    public VendorResponse(
            String connector,
            VendorRequest request,
            String url,
            int status,
            Map<String, List<String>> headers,
            byte[] body) {
        this(connector, request, url, status, pairs(headers), body.clone());
    }

    /**
     * A response with its headers as received, the way the pipeline builds it: no map per response.
     *
     * @param headerNamesAndValues name, value, name, value... in the order received (a name may repeat);
     *     copied
     */
    public VendorResponse(
            String connector,
            VendorRequest request,
            String url,
            int status,
            List<String> headerNamesAndValues,
            byte[] body) {
        this(connector, request, url, status, headerNamesAndValues.toArray(new String[0]), body.clone());
    }

    private VendorResponse(
            String connector, VendorRequest request, String url, int status, String[] headers, byte[] body) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.request = Objects.requireNonNull(request, "request");
        this.url = Objects.requireNonNull(url, "url");
        this.status = status;
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("header names and values come in pairs; got " + headers.length);
        }
        for (String h : headers) {
            Objects.requireNonNull(h, "a header name or value");
        }
        this.headers = headers;
        this.body = body;
    }

    private static String[] pairs(Map<String, List<String>> headers) {
        List<String> out = new java.util.ArrayList<>();
        headers.forEach((name, values) -> values.forEach(v -> {
            out.add(name);
            out.add(v);
        }));
        return out.toArray(new String[0]);
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
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
    }

    /** Every value of a header, case-insensitive, in the order received. */
    public List<String> headers(String name) {
        List<String> values = null;
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new java.util.ArrayList<>(1);
                }
                values.add(headers[i + 1]);
            }
        }
        return values == null ? List.of() : List.copyOf(values);
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
        if (type == null) {
            return false;
        }
        for (int i = 0; i + 4 <= type.length(); i++) {
            if (type.regionMatches(true, i, "json", 0, 4)) {
                return true;
            }
        }
        return false;
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
