package dev.switchboard.core;

import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Schema;
import java.util.Map;
import java.util.Optional;

/**
 * One configured connection: the streams it reads and the actions it runs, each governed by the
 * access policy, audited, and sent through the resilient HTTP pipeline. Thread-safe.
 */
public interface Connection {
    String id();

    ConnectionConfig config();

    ConnectorDescriptor descriptor();

    /**
     * What reads do with records that break their stream's contract: the connection's policy, or, when it sets
     * none, {@link DriftPolicy#QUARANTINE} if the Switchboard has a quarantine store and {@link DriftPolicy#REPORT}
     * if not.
     */
    DriftPolicy driftPolicy();

    /**
     * The contract pinned for a stream: the one configured on the connection, else the schema the
     * connector declares.
     *
     * @throws dev.switchboard.core.error.InvalidInputException for an unknown stream
     */
    Schema contract(String stream);

    /**
     * The stream's schema as the source's metadata describes it now (Salesforce describe, HubSpot
     * properties), authorized and sent through the pipeline like a read; empty when the connector has
     * no such metadata. Compare it with {@link #contract(String)} through
     * {@link Schema#diffMetadata(Schema)} (as reads do when they open, under the connection's drift policy).
     *
     * @throws dev.switchboard.core.error.PermissionDeniedException if the policy denies reading the stream
     * @throws dev.switchboard.core.error.InvalidInputException for an unknown stream
     */
    Optional<Schema> describe(AgentContext context, String stream);

    /**
     * Reads a stream: authorizes, then returns records page by page, each filtered by the access
     * policy. No request is sent before the first record is asked for. The connector reads the fields
     * of the stream's {@linkplain #contract(String) contract} (or those of them the request names), so
     * a pinned contract is how an org's own fields ({@code Customer_Tier__c}) get read.
     *
     * @throws dev.switchboard.core.error.PermissionDeniedException if the policy denies the read
     * @throws dev.switchboard.core.error.InvalidInputException for an unknown stream, a foreign checkpoint,
     *     or a requested field the contract does not include
     */
    RecordStream read(AgentContext context, ReadRequest request);

    /**
     * Runs an action: validates the input against its JSON Schema, authorizes, asks for consent when
     * it writes (a decision recorded in the consent ledger for exactly this call, else the consent gate),
     * then runs it once (retrying only if the action is retry-safe). The records it touched are reported
     * to change feeds and the read cache before this returns.
     *
     * @throws dev.switchboard.core.error.InvalidInputException when the input breaks the schema
     * @throws dev.switchboard.core.error.ConsentRequiredException when a person must decide first
     * @throws dev.switchboard.core.error.ConsentDeniedException when a write has no consent
     */
    ActionResult execute(AgentContext context, String action, JsonObject input);

    /**
     * What an action would do, without doing it: validates the input, authorizes (operation kind
     * {@code PREVIEW}), and asks the connector for a dry run; nothing is written and no consent is asked.
     *
     * @throws dev.switchboard.core.error.PermanentException when the connector cannot preview the action
     */
    ActionPreview preview(AgentContext context, String action, JsonObject input);

    /** {@link #execute(AgentContext, String, JsonObject)} with plain Java values. */
    default ActionResult execute(AgentContext context, String action, Map<String, ?> input) {
        return execute(context, action, Json.objectFrom(input));
    }
}
