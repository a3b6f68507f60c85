package dev.switchboard.core.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook delivery as the application's HTTP server received it, handed to
 * {@link WebhookHandler#handle}: the connection it was addressed to (from the route the application
 * mounted, e.g. {@code /webhooks/{connection}}), the method, the full URI as the vendor called it,
 * the headers, and the raw body bytes exactly as received (signatures are computed over them: never
 * re-encode the body). Immutable.
 */
public final class WebhookRequest {
    private final String connection;
    private final String method;
    private final URI uri;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    public WebhookRequest(String connection, String method, URI uri, Map<String, List<String>> headers, byte[] body) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        this.uri = Objects.requireNonNull(uri, "uri");
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach(
                (name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                        .addAll(values));
        lower.replaceAll((k, v) -> List.copyOf(v));
        this.headers = Map.copyOf(lower);
        this.body = body.clone();
    }

    /** The id of the connection the delivery is for. */
    public String connection() {
        return connection;
    }

    /** The HTTP method, upper case. */
    public String method() {
        return method;
    }

    /** The URI the vendor called (scheme, host, path and query), as the application's server saw it. */
    public URI uri() {
        return uri;
    }

    /** The headers, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (any case), if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A copy of the raw body bytes. */
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Names the delivery without its body or headers (which carry signatures). */
    @Override
    public String toString() {
        return "WebhookRequest[" + connection + " " + method + " " + uri.getPath() + ", " + body.length + " bytes]";
    }
}
