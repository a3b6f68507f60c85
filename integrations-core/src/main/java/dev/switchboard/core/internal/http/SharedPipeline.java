package dev.switchboard.core.internal.http;

import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.http.RateBudgetStore;
import dev.switchboard.core.http.TransportSecurity;
import dev.switchboard.core.time.Sleeper;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * What the connections of one Switchboard share: the OkHttp client each derives its own from, the rate
 * budgets and the circuit breakers (both by vendor bucket), with the breakers' meters bound to the
 * Switchboard's registry.
 */
public final class SharedPipeline {
    private final OkHttpClient client;
    private final boolean ownsClient;
    private final RateBudgets budgets;
    private final CircuitBreakerRegistry breakers;

    /**
     * @param given the application's client, which is never shut down here; null to create one (with
     *     {@link TransportSecurity#connectionSpecs()})
     * @throws dev.switchboard.core.http.InsecureTransportException if the given client allows TLS below 1.2
     * @param budgetStore where the rate budgets' tokens live
     */
    public SharedPipeline(
            @Nullable OkHttpClient given,
            MeterRegistry meters,
            Clock clock,
            Sleeper sleeper,
            RateBudgetStore budgetStore) {
        if (given != null) {
            // Its specs are the application's to choose (a proxy, a pinned suite), within the minimum.
            TransportSecurity.requireModernTls(given, "the Switchboard (Switchboard.Builder.httpClient)");
        }
        this.ownsClient = given == null;
        this.client = given == null
                ? new OkHttpClient.Builder()
                        .connectionSpecs(TransportSecurity.connectionSpecs())
                        .build()
                : given;
        this.budgets = new RateBudgets(clock, sleeper, budgetStore);
        this.breakers = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    }

    public OkHttpClient client() {
        return client;
    }

    public RateBudgets budgets() {
        return budgets;
    }

    public CircuitBreakerRegistry breakers() {
        return breakers;
    }

    /** The bucket keys of the rate budgets that exist, sorted. */
    public Set<String> budgetKeys() {
        return budgets.keys();
    }

    /**
     * Lifts every pause of one rate budget and refills it.
     *
     * @throws InvalidInputException naming the known keys when no budget has this one
     */
    public void resetBudget(String key) {
        if (!budgets.reset(key)) {
            throw new InvalidInputException(
                    "switchboard",
                    "resetRateBudget",
                    "no rate budget '" + key + "'; budgets exist once a request used them or a connector"
                            + " declared them (Connector.budgetKeys); known: " + budgets.keys());
        }
    }

    /** Releases what this created: the client's threads and pooled connections, when it created the client. */
    public void close() {
        if (ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /**
     * After a build that failed: {@link #close()}, and the circuit breakers' meters leave the
     * application's registry (removing a breaker from the registry unbinds its meters), so a later
     * build's breakers of the same names are not shadowed by these.
     */
    public void abandon() {
        close();
        breakers.getAllCircuitBreakers().forEach(b -> breakers.remove(b.getName()));
    }
}
