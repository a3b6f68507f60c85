package dev.switchboard.core.connector;

import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Schema;
import java.util.Optional;

/**
 * A connector opened for one connection. Thread-safe: one session serves every caller of its
 * connection. HTTP connectors send every vendor call through the {@link VendorHttp} each call carries,
 * never through an HTTP client of their own; a connector that needs no HTTP (a database) uses the
 * resources its {@link ConnectorContext} hands over.
 */
public interface ConnectorSession extends AutoCloseable {
    /** Opens a reader for one stream; no request is sent before the first page is asked for. */
    StreamReader openStream(StreamCall call);

    /**
     * Runs an action and returns its result with the records it touched. Throws a
     * {@link dev.switchboard.core.error.SwitchboardException} on failure.
     */
    ActionOutput execute(ActionCall call);

    /**
     * The stream's schema as the source's metadata describes it now (Salesforce describe, HubSpot
     * properties), for comparison with the pinned contract; empty when the source has no such
     * metadata. Sends its requests through {@code http}. Core decides how often to ask.
     */
    default Optional<Schema> describe(StreamDescriptor stream, VendorHttp http) {
        return Optional.empty();
    }

    /**
     * Follows a stream the connector pushes changes of ({@link StreamDescriptor#pushesChanges()}).
     * Unsupported by default.
     *
     * @throws UnsupportedOperationException when the connector pushes no changes
     */
    default ChangeReader changes(ChangeCall call) {
        throw new UnsupportedOperationException("this connector pushes no changes; core polls its incremental streams");
    }

    /**
     * Verifies a webhook delivery (its signature, over the raw body, with the connection's secret) and
     * says what it carries. Unsupported by default.
     *
     * @throws dev.switchboard.core.error.WebhookRejectedException for a bad signature or a malformed body
     * @throws UnsupportedOperationException when the connector takes no webhooks
     */
    default WebhookOutcome webhook(WebhookCall call) {
        throw new UnsupportedOperationException("this connector takes no webhooks");
    }

    /**
     * The action in one sentence, for the person who consents to it: what will change, where (the
     * connection, object, channel or table) and for whom (the record or recipient, by the id or name the
     * input gives), e.g. "Set hs_ticket_priority to HIGH on HubSpot ticket 123 in connection
     * hubspot-acme". Core puts it first in the {@link dev.switchboard.core.governance.ConsentRequest}'s
     * prompt, which the person sees and the consent ledger keeps, and in {@link ActionPreview#summary()}.
     *
     * <p>Pure: built from the validated input and the descriptor alone, with no request (it runs before
     * every consent decision, so it must be cheap and cannot fail on the source). It must hold no secret
     * (say nothing of members {@link dev.switchboard.core.http.Redaction#isSensitive} names) and copy no
     * long free text: {@link ActionSummaries} gives lengths and bounded excerpts. Empty by default: core
     * then prompts with the action, its description and its input (secrets redacted).
     */
    default Optional<String> summarize(ActionDescriptor action, JsonObject input) {
        return Optional.empty();
    }

    /**
     * What an action would do, without doing it (nothing is written at the source). A connector may
     * read through {@code call.http()} to say more (the record's current values beside the new ones,
     * whether it exists and the principal may see it), but never sends a write. Unsupported by
     * default.
     *
     * @throws UnsupportedOperationException when the connector cannot preview this action
     */
    default ActionPreview dryRun(ActionCall call) {
        throw new UnsupportedOperationException("this connector cannot preview actions");
    }

    @Override
    default void close() {}
}
