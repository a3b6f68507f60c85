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
     * Whether the vendor honours an {@code Idempotency-Key} header, so that a POST or PATCH carrying one
     * ({@code VendorRequest.Builder.idempotencyKey}) may be sent again after a failure. False by default:
     * a vendor that ignores the header applies a repeated request twice, so such a request is retried
     * only when it provably never left, and otherwise fails as outcome unknown.
     */
    default boolean honoursIdempotencyKeys() {
        return false;
    }
}
