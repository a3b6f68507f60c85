package dev.switchboard.core.connector;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.webhook.WebhookRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * A webhook delivery handed to the connector of the connection it was addressed to
 * ({@link ConnectorSession#webhook}), with the connection's secrets to verify it.
 */
public final class WebhookCall {
    private final WebhookRequest request;
    private final Instant receivedAt;
    private final Function<String, Credential> secrets;

    public WebhookCall(WebhookRequest request, Instant receivedAt, Function<String, Credential> secrets) {
        this.request = Objects.requireNonNull(request, "request");
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
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
