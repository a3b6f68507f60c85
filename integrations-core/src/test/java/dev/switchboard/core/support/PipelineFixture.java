package dev.switchboard.core.support;

import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.http.ResponseClassifier;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.internal.http.ConnectionHttp;
import dev.switchboard.core.internal.http.RateBudgets;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.time.Sleeper;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * One connection's pipeline against a local server, in virtual time: the sleeper advances the
 * clock, so backoff and server waits cost nothing and are counted exactly.
 */
public final class PipelineFixture {
    public static final OkHttpClient SHARED_CLIENT = new OkHttpClient.Builder()
            .connectionSpecs(dev.switchboard.core.http.TransportSecurity.connectionSpecs())
            .build();

    public final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    public final MeterRegistry meters = new SimpleMeterRegistry();
    /** Every wait the pipeline asked for, in order (budget waits, server waits, backoff). */
    public final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    private final Sleeper sleeper = wait -> {
        if (!wait.isZero() && !wait.isNegative()) {
            sleeps.add(wait);
        }
        clock.sleeper().sleep(wait);
    };
    private final String baseUrl;
    private HttpSettings settings = HttpSettings.custom()
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(5))
            .build();
    private @Nullable CredentialSource credentials;
    private @Nullable BudgetSettings budget;
    private java.util.function.Function<String, @Nullable BudgetSettings> budgetFor = key -> budget;
    private ResponseClassifier classifier = ResponseClassifier.standard();
    private BudgetSignalReader signals = BudgetSignalReader.standard();
    private @Nullable String baseUrlAttribute;
    private boolean honoursIdempotencyKeys;
    private boolean plainHttpAllowed;
    public final RateBudgets budgets = new RateBudgets(clock, sleeper);
    public final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    /** One seeded generator for every pipeline of this fixture: its waits are reproducible. */
    private final Random jitter = new Random(42);

    public PipelineFixture(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public PipelineFixture settings(HttpSettings settings) {
        this.settings = settings;
        return this;
    }

    public PipelineFixture credentials(CredentialSource credentials) {
        this.credentials = credentials;
        return this;
    }

    public PipelineFixture baseUrlAttribute(String attribute) {
        this.baseUrlAttribute = attribute;
        return this;
    }

    /** Sizes budgets per key (a connector's {@code budgetFor}). */
    public PipelineFixture budgetFor(java.util.function.Function<String, @Nullable BudgetSettings> budgetFor) {
        this.budgetFor = budgetFor;
        return this;
    }

    public PipelineFixture budget(BudgetSettings budget) {
        this.budget = budget;
        return this;
    }

    /** Whether the connector declares that its vendor honours idempotency keys (false by default). */
    public PipelineFixture honoursIdempotencyKeys(boolean honours) {
        this.honoursIdempotencyKeys = honours;
        return this;
    }

    /** Whether the connection allows plain http to hosts that are not loopback (false by default). */
    public PipelineFixture plainHttpAllowed(boolean allowed) {
        this.plainHttpAllowed = allowed;
        return this;
    }

    public PipelineFixture classifier(ResponseClassifier classifier) {
        this.classifier = classifier;
        return this;
    }

    /** The pipeline of connection {@code test-conn}. */
    public ConnectionHttp pipeline() {
        return pipeline("test-conn");
    }

    /**
     * The pipeline of another connection of this fixture: like the connections of one Switchboard, they
     * share rate budgets and circuit breakers by vendor bucket.
     */
    public ConnectionHttp pipeline(String connection) {
        return new ConnectionHttp(new ConnectionHttp.Parts(
                "testvendor",
                connection,
                baseUrl,
                SHARED_CLIENT,
                baseUrlAttribute,
                classifier,
                signals,
                budgetFor,
                budgets,
                breakers,
                credentials,
                null,
                settings,
                clock,
                sleeper,
                () -> jitter,
                meters,
                honoursIdempotencyKeys,
                java.util.Set.of(),
                plainHttpAllowed));
    }

    /**
     * The pipeline bound to the shared credential key {@code test-conn}, like an action that does not
     * declare itself retry-safe: its requests carry the caller's input.
     */
    public VendorHttp http() {
        return pipeline().bind(credentials == null ? null : "test-conn", false, true);
    }

    public double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    public long timerCount(String name, String... tags) {
        return meters.find(name).tags(tags).timers().stream()
                .mapToLong(t -> t.count())
                .sum();
    }
}
