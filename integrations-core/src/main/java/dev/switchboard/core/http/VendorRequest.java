package dev.switchboard.core.http;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One request to a vendor. Immutable; {@link #newBuilder()} derives another. Whether the pipeline
 * may send it twice starts here: GET, HEAD, PUT, DELETE and OPTIONS are safe to retry, POST and
 * PATCH only with an explicit {@link Builder#retrySafe(boolean)} (an action's declaration), or with
 * an idempotency key sent to a connector that declares {@code Connector.honoursIdempotencyKeys()}.
 */
public final class VendorRequest {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final String method;
    private final String url;
    private final List<Map.Entry<String, String>> query;
    private final Map<String, String> headers;
    private final byte @Nullable [] body;
    private final @Nullable String contentType;
    private final String operation;
    private final @Nullable String idempotencyKey;
    private final @Nullable Boolean retrySafe;
    private final @Nullable String budgetKey;
    private final boolean authenticated;
    private final @Nullable Boolean callerInput;

    private VendorRequest(Builder b) {
        this.method = b.method;
        this.url = b.url;
        this.query = List.copyOf(b.query);
        this.headers = Map.copyOf(b.headers);
        this.body = b.body;
        this.contentType = b.contentType;
        this.operation = b.operation == null ? b.url : b.operation;
        this.idempotencyKey = b.idempotencyKey;
        this.retrySafe = b.retrySafe;
        this.budgetKey = b.budgetKey;
        this.authenticated = b.authenticated;
        this.callerInput = b.callerInput;
    }

    public static Builder get(String url) {
        return new Builder("GET", url);
    }

    public static Builder post(String url) {
        return new Builder("POST", url);
    }

    public static Builder of(String method, String url) {
        return new Builder(method, url);
    }

    public Builder newBuilder() {
        Builder b = new Builder(method, url);
        b.query.addAll(query);
        b.headers.putAll(headers);
        b.body = body;
        b.contentType = contentType;
        b.operation = operation;
        b.idempotencyKey = idempotencyKey;
        b.retrySafe = retrySafe;
        b.budgetKey = budgetKey;
        b.authenticated = authenticated;
        b.callerInput = callerInput;
        return b;
    }

    public String method() {
        return method;
    }

    /** An absolute URL, or a path resolved against the connection's base URL. */
    public String url() {
        return url;
    }

    /** Query parameters in order; names may repeat. */
    public List<Map.Entry<String, String>> query() {
        return query;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A copy of the body, or null for a request without one. */
    public byte @Nullable [] body() {
        return body == null ? null : body.clone();
    }

    /** Whether the request has a body ({@link #body()} is not null). */
    public boolean hasBody() {
        return body != null;
    }

    /** The body's length in bytes; 0 for a request without one. */
    public int bodyLength() {
        return body == null ? 0 : body.length;
    }

    /**
     * Writes the body to {@code out} without copying it (the pipeline sends it this way; {@link #body()}
     * copies). Writes nothing for a request without one.
     */
    public void writeBody(java.io.OutputStream out) throws java.io.IOException {
        if (body != null) {
            out.write(body);
        }
    }

    public @Nullable String contentType() {
        return contentType;
    }

    /** A short name for logs and errors, e.g. {@code conversations.history}; the URL path when not set. */
    public String operation() {
        return operation;
    }

    public @Nullable String idempotencyKey() {
        return idempotencyKey;
    }

    /** The rate budget this request spends, when not the connection's own. */
    public @Nullable String budgetKey() {
        return budgetKey;
    }

    /** Whether the connection's credential is attached (false for token endpoints and public calls). */
    public boolean authenticated() {
        return authenticated;
    }

    /** What {@link Builder#retrySafe(boolean)} declared, if it was called. */
    public java.util.Optional<Boolean> declaredRetrySafe() {
        return java.util.Optional.ofNullable(retrySafe);
    }

    /**
     * What {@link Builder#callerInput(boolean)} declared, if it was called; otherwise the pipeline
     * takes it from the call: an action's input is the caller's, a read's filter is, a describe has
     * none.
     */
    public java.util.Optional<Boolean> declaredCallerInput() {
        return java.util.Optional.ofNullable(callerInput);
    }

    /**
     * Whether sending this request twice is as good as once, as far as the request itself tells: its
     * declaration, else its method. An idempotency key is not enough on its own: the pipeline adds it
     * only for a connector that declares its vendor honours the key.
     */
    public boolean retrySafe() {
        if (retrySafe != null) {
            return retrySafe;
        }
        return IDEMPOTENT.contains(method);
    }

    @Override
    public String toString() {
        return method + " " + url + " (" + operation + ")";
    }

    /** Builds a {@link VendorRequest}. */
    public static final class Builder {
        private final String method;
        private final String url;
        private final List<Map.Entry<String, String>> query = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte @Nullable [] body;
        private @Nullable String contentType;
        private @Nullable String operation;
        private @Nullable String idempotencyKey;
        private @Nullable Boolean retrySafe;
        private @Nullable String budgetKey;
        private boolean authenticated = true;
        private @Nullable Boolean callerInput;

        private Builder(String method, String url) {
            this.method = method.toUpperCase(Locale.ROOT);
            this.url = Objects.requireNonNull(url, "url");
        }

        public Builder query(String name, String value) {
            query.add(Map.entry(name, value));
            return this;
        }

        /**
         * Adds a header. {@code Authorization} is refused: the credential comes from the pipeline,
         * so that a refreshed token replaces it on replay.
         */
        public Builder header(String name, String value) {
            if (name.equalsIgnoreCase("Authorization")) {
                throw new IllegalArgumentException(
                        "Authorization is set by the pipeline from the connection's credential");
            }
            headers.put(name, value);
            return this;
        }

        public Builder jsonBody(JsonValue json) {
            this.body = Json.writeUtf8(json); // a fresh array: no defensive copy needed
            this.contentType = "application/json; charset=utf-8";
            return this;
        }

        /** A form body, {@code application/x-www-form-urlencoded}. */
        public Builder formBody(Map<String, String> form) {
            StringBuilder sb = new StringBuilder();
            form.forEach((k, v) -> {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
                        .append('=')
                        .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
            });
            return body(sb.toString().getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        }

        public Builder body(byte[] body, String contentType) {
            this.body = body.clone();
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        public Builder operation(String operation) {
            this.operation = operation;
            return this;
        }

        /**
         * Sends {@code Idempotency-Key}. The request becomes retry-safe only for a connector that
         * declares {@code Connector.honoursIdempotencyKeys()}: a vendor that ignores the header would
         * apply a repeated POST twice.
         */
        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            headers.put("Idempotency-Key", key);
            return this;
        }

        /** Declares explicitly whether the request may be sent twice (an action's own declaration). */
        public Builder retrySafe(boolean retrySafe) {
            this.retrySafe = retrySafe;
            return this;
        }

        public Builder budgetKey(String budgetKey) {
            this.budgetKey = budgetKey;
            return this;
        }

        public Builder authenticated(boolean authenticated) {
            this.authenticated = authenticated;
            return this;
        }

        /**
         * Declares whether the request carries input the caller (the agent) supplied. A vendor's
         * {@code INVALID_INPUT} answer (a 400, a 404) to a request without caller input becomes a
         * {@code PermanentException}: the caller has nothing to fix. Undeclared, the binding decides: an
         * action's requests carry caller input, a read's only when the read has a filter, a describe's
         * (metadata) none.
         */
        public Builder callerInput(boolean callerInput) {
            this.callerInput = callerInput;
            return this;
        }

        public VendorRequest build() {
            if (body != null && (method.equals("GET") || method.equals("HEAD"))) {
                throw new IllegalArgumentException(method + " cannot carry a body");
            }
            return new VendorRequest(this);
        }
    }
}
