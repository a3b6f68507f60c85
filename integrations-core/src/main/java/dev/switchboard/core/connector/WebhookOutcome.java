package dev.switchboard.core.connector;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.webhook.WebhookResponse;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a connector made of a verified webhook delivery ({@link ConnectorSession#webhook}): either the
 * answer to a verification challenge, or the change events it carries with what core needs to refuse
 * stale and replayed deliveries: the time the vendor signed (core refuses one outside its tolerance)
 * and the delivery's id (core refuses one its {@code ReplayGuard} has seen; when the vendor gives no
 * id, core uses a digest of the body).
 */
public final class WebhookOutcome {
    private final @Nullable WebhookResponse challenge;
    private final List<ChangeEvent> events;
    private final @Nullable Instant signedAt;
    private final @Nullable String deliveryId;

    private WebhookOutcome(
            @Nullable WebhookResponse challenge,
            List<ChangeEvent> events,
            @Nullable Instant signedAt,
            @Nullable String deliveryId) {
        this.challenge = challenge;
        this.events = List.copyOf(events);
        this.signedAt = signedAt;
        this.deliveryId = deliveryId;
    }

    /**
     * Answer a verification challenge with {@code response}; no change. The timestamp, when the vendor
     * signs one, is still checked.
     */
    public static WebhookOutcome challenge(WebhookResponse response, @Nullable Instant signedAt) {
        return new WebhookOutcome(Objects.requireNonNull(response, "response"), List.of(), signedAt, null);
    }

    /**
     * The delivery carries these events (possibly none: an event type the connector does not map).
     *
     * @param signedAt the timestamp the signature covers, or null if the vendor signs none
     * @param deliveryId the vendor's id of the delivery (stable across its retries), or null for none
     */
    public static WebhookOutcome events(
            List<ChangeEvent> events, @Nullable Instant signedAt, @Nullable String deliveryId) {
        return new WebhookOutcome(null, events, signedAt, deliveryId);
    }

    public Optional<WebhookResponse> challengeResponse() {
        return Optional.ofNullable(challenge);
    }

    public List<ChangeEvent> events() {
        return events;
    }

    public Optional<Instant> signedAt() {
        return Optional.ofNullable(signedAt);
    }

    public Optional<String> deliveryId() {
        return Optional.ofNullable(deliveryId);
    }
}
