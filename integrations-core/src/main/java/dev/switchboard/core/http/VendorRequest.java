package dev.switchboard.core.http;

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
 * may send it twice is decided here: GET, HEAD, PUT, DELETE and OPTIONS are safe to retry, POST and
 * PATCH only with an idempotency key or an explicit {@link Builder#retrySafe(boolean)}.
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

    public byte @Nullable [] body() {
        return body == null ? null : body.clone();
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

    /** Whether sending this request twice is as good as once. */
    public boolean retrySafe() {
        if (retrySafe != null) {
            return retrySafe;
        }
        return IDEMPOTENT.contains(method) || idempotencyKey != null;
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
            return body(json.toJson().getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8");
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
         * Sends {@code Idempotency-Key} and makes the request retry-safe: use it only with vendors that
         * honour the header.
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

        public VendorRequest build() {
            if (body != null && (method.equals("GET") || method.equals("HEAD"))) {
                throw new IllegalArgumentException(method + " cannot carry a body");
            }
            return new VendorRequest(this);
        }
    }
}
