package dev.switchboard.core.connector;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.ResponseClassifier;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The service-provider interface of a connector module, found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.switchboard.core.connector.Connector}) or
 * registered on the builder. Implementations are stateless; state lives in sessions.
 */
public interface Connector {
    /** What the connector offers. Must return an equal value on every call. */
    ConnectorDescriptor descriptor();

    /**
     * What the connector offers one connection, when that depends on the connection: a database
     * connector's streams are its tables, discovered from the database's metadata through the resources
     * {@code context} hands over. Called once per connection when the Switchboard is built, before
     * {@link #open}; must keep {@link #descriptor()}'s id and auth kind. By default {@link #descriptor()}.
     *
     * @throws IllegalArgumentException when the connection's configuration cannot be served; the message
     *     says what to change
     */
    default ConnectorDescriptor descriptor(ConnectorContext context) {
        return descriptor();
    }

    /** Opens a session for one configured connection. Sends no request. */
    ConnectorSession open(ConnectorContext context);

    /** How this vendor's answers are classified; the default reads status codes and {@code Retry-After}. */
    default ResponseClassifier responseClassifier() {
        return ResponseClassifier.standard();
    }

    /** How this vendor's rate-limit headers become budget signals. */
    default BudgetSignalReader budgetSignals() {
        return BudgetSignalReader.standard();
    }

    /**
     * The credential attribute that holds the base URL for this connection's requests, when the
     * vendor assigns one per grant (Salesforce's {@code instance_url}); null to use the connection's
     * configured base URL.
     */
    default @Nullable String baseUrlAttribute() {
        return null;
    }

    /**
     * The request header an {@link AuthKind#API_KEY} connector's key is sent in; the credential's secret
     * ({@code Credential.accessToken()}) is its value. {@code X-API-Key} by default.
     */
    default String apiKeyHeader() {
        return "X-API-Key";
    }

    /**
     * The size of one of the vendor's own buckets, named by {@link dev.switchboard.core.http.VendorRequest#budgetKey}
     * (HubSpot's search limit, a Slack method tier); null to size it like {@link #defaultBudget()}.
     * A budget configured on the connection overrides both, for every key.
     */
    default @Nullable BudgetSettings budgetFor(String budgetKey) {
        return null;
    }

    /**
     * The bucket keys ({@link dev.switchboard.core.http.VendorRequest#budgetKey}) this connection's
     * requests will use that can be known from its configuration, before any request. At
     * {@code Switchboard.Builder.build()} each declared key is sized for the connection (its configured
     * budget, else {@link #budgetFor}, else {@link #defaultBudget()}), and two connections that size one
     * key differently fail the build, naming both. Keys only a request or a credential reveals cannot be
     * declared: the first connection to use one sizes it, and a later one sizing it differently is
     * logged at ERROR once per key. Default: the connection's own key, its id, which requests without a
     * budget key spend. Must not throw: a configuration {@link #open} rejects declares nothing.
     */
    default Set<String> budgetKeys(ConnectionConfig config) {
        return Set.of(config.id());
    }

    /** The request budget to apply when the connection configures none; null for no local limit. */
    default @Nullable BudgetSettings defaultBudget() {
        return null;
    }

    /**
     * Whether what a read returns depends on who reads beyond the credential it reads with: a database
     * connector that binds the principal into a row filter or into the settings its row-level security
     * policies read ({@link StreamCall#context()}). Then core keys cached pages by the principal too, so
     * one principal's rows are never served to another from the read cache. False by default.
     */
    default boolean readsDependOnPrincipal() {
        return false;
    }

    /**
     * Whether the vendor honours an {@code Idempotency-Key} header, so that a POST or PATCH carrying one
     * ({@code VendorRequest.Builder.idempotencyKey}) may be sent again after a failure. False by default:
     * a vendor that ignores the header applies a repeated request twice, so such a request is retried
     * only when it provably never left, and otherwise fails as outcome unknown.
     */
    default boolean honoursIdempotencyKeys() {
        return false;
    }
}
