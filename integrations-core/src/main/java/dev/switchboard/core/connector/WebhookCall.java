package dev.switchboard.core.connector;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.webhook.WebhookRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A webhook delivery handed to the connector of the connection it was addressed to
 * ({@link ConnectorSession#webhook}), with the connection's secrets to verify it.
 */
public final class WebhookCall {
    private final WebhookRequest request;
    private final Instant receivedAt;
    private final Function<String, Credential> secrets;
    private final @Nullable VendorHttp http;

    public WebhookCall(WebhookRequest request, Instant receivedAt, Function<String, Credential> secrets) {
        this(request, receivedAt, secrets, null);
    }

    /**
     * @param http the connection's pipeline under its own (shared) credential, for a connector that fetches
     *     the records a delivery names by id only; null when there is none
     */
    public WebhookCall(
            WebhookRequest request,
            Instant receivedAt,
            Function<String, Credential> secrets,
            @Nullable VendorHttp http) {
        this.request = Objects.requireNonNull(request, "request");
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.http = http;
    }

    /**
     * The connection's HTTP pipeline under the connection's own credential (its service token; a
     * {@code PER_PRINCIPAL} connection has none, and its requests fail with "reauthorization required"),
     * for fetching what a delivery names by id only. Empty when core gave none. Verify the signature
     * before sending anything.
     */
    public Optional<VendorHttp> http() {
        return Optional.ofNullable(http);
    }

    public WebhookRequest request() {
        return request;
    }

    /** When core received it, by the injected clock. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /**
     * A secret of the connection, such as a webhook signing secret, stored like any credential under
     * the key {@code ConnectionConfig.secretKey(name)} ({@code <connection id>#<name>}); its value is
     * {@link Credential#accessToken()}. Never log it.
     *
     * @throws dev.switchboard.core.error.ReauthorizationRequiredException when none is stored
     */
    public Credential secret(String name) {
        return secrets.apply(name);
    }

    @Override
    public String toString() {
        return "WebhookCall[" + request + "]";
    }
}
