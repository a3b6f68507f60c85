package dev.switchboard.core.internal.http;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.error.CircuitOpenException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.QuotaExhaustedException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.http.Backoff;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.http.InsecureTransportException;
import dev.switchboard.core.http.Redaction;
import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.ResponseClassifier;
import dev.switchboard.core.http.TransportSecurity;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonFormatException;
import dev.switchboard.core.time.Sleeper;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP pipeline of one connection. Per call: one circuit-breaker permission taken before anything
 * else and one outcome recorded when the call ends ({@link BreakerCall}), around a retry loop
 * (Resilience4j {@link Retry}, driven through its async context so the delay comes back to us and our
 * injected sleeper waits); per attempt: a rate-budget permit, the credential, OkHttp, classification,
 * and one credential replay after a rejection, which takes a permit of its own. Thread-safe.
 *
 * <p>The credential replay lives here rather than in an OkHttp interceptor: classification needs
 * the whole bounded body (Slack rejects tokens in an HTTP 200), which this class reads exactly once.
 */
public final class ConnectionHttp {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHttp.class);
    /** OkHttp's default. */
    private static final int MAX_IDLE_CONNECTIONS = 5;

    /** Everything a connection's pipeline is made of. */
    public record Parts(
            String connector,
            String connection,
            String baseUrl,
            OkHttpClient sharedClient,
            @Nullable String baseUrlAttribute,
            ResponseClassifier classifier,
            BudgetSignalReader signals,
            Function<String, @Nullable BudgetSettings> budgetFor,
            RateBudgets budgets,
            CircuitBreakerRegistry breakers,
            @Nullable CredentialSource credentials,
            @Nullable String apiKeyHeader,
            HttpSettings settings,
            Clock clock,
            Sleeper sleeper,
            Supplier<RandomGenerator> random,
            io.micrometer.core.instrument.MeterRegistry meters,
            boolean honoursIdempotencyKeys,
            Set<String> declaredBudgetKeys,
            boolean plainHttpAllowed) {}

    private final String connector;
    private final String connection;
    private final HttpUrl baseUrl;
    /** Relative paths resolved against {@link #baseUrl}, by the request's path; see {@link #resolveOnBase}. */
    private final ConcurrentHashMap<String, HttpUrl> resolvedPaths = new ConcurrentHashMap<>();

    private final @Nullable String baseUrlAttribute;
    /** The header an API key goes in; null to send the credential as a bearer token. */
    private final @Nullable String apiKeyHeader;

    private final OkHttpClient client;
    private final ResponseClassifier classifier;
    private final BudgetSignalReader signals;
    private final Function<String, @Nullable BudgetSettings> budgetFor;
    private final RateBudgets budgets;
    private final CircuitBreakerRegistry breakers;
    private final CircuitBreakerConfig breakerConfig;
    private final Retry retry;
    private final Backoff backoff;
    private final @Nullable CredentialSource credentials;
    private final HttpSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PipelineMetrics metrics;
    private final boolean honoursIdempotencyKeys;
    /** Whether the connection allows plain http to hosts that are not loopback (ConnectionConfig.allowPlainHttp). */
    private final boolean plainHttpAllowed;
    /** The non-loopback hosts this connection was warned about sending plain http to: each once. */
    private final Set<String> plainHttpHostsWarned = ConcurrentHashMap.newKeySet();
    /** The budgets this connection's requests used, each size-checked once. */
    private final ConcurrentHashMap<String, RateBudget> budgetsInUse = new ConcurrentHashMap<>();

    public ConnectionHttp(Parts p) {
        this.connector = p.connector();
        this.connection = p.connection();
        HttpUrl base = HttpUrl.parse(p.baseUrl());
        if (base == null) {
            throw new IllegalArgumentException("connection '" + connection + "' has an invalid base URL");
        }
        this.baseUrl = base;
        this.plainHttpAllowed = p.plainHttpAllowed();
        if (TransportSecurity.isPlainHttpToRemoteHost(base)) {
            if (!plainHttpAllowed) {
                throw plainHttpRefused(base.host());
            }
            warnPlainHttp(base.host());
        }
        this.baseUrlAttribute = p.baseUrlAttribute();
        this.settings = p.settings();
        this.client = p.sharedClient()
                .newBuilder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.writeTimeout())
                .callTimeout(settings.callTimeout())
                // Nothing may resend a request behind the retry loop's back.
                .retryOnConnectionFailure(false)
                // The connection's own pool, so that idle connections close before the vendor's keep-alive
                // ends; a request written into a connection the server already closed is lost.
                .connectionPool(new ConnectionPool(
                        MAX_IDLE_CONNECTIONS, settings.idleConnectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
                // send() checks the URL it was given; a redirect's next hop is only seen here. A network
                // interceptor runs once the connection is open but before a byte of the request is written.
                .addNetworkInterceptor(chain -> {
                    HttpUrl hop = chain.request().url();
                    if (TransportSecurity.isPlainHttpToRemoteHost(hop)) {
                        if (!plainHttpAllowed) {
                            throw new RefusedPlainHttp(plainHttpRefused(hop.host()));
                        }
                        warnPlainHttp(hop.host());
                    }
                    return chain.proceed(chain.request());
                })
                .build();
        this.honoursIdempotencyKeys = p.honoursIdempotencyKeys();
        this.classifier = p.classifier();
        this.signals = p.signals();
        this.budgetFor = p.budgetFor();
        this.budgets = p.budgets();
        for (String key : p.declaredBudgetKeys()) { // sizes agreed at build; a conflict fails it here
            budgets.declare(key, connection, budgetFor.apply(key));
        }
        this.credentials = p.credentials();
        this.apiKeyHeader = p.apiKeyHeader();
        this.clock = p.clock();
        this.sleeper = p.sleeper();
        this.metrics = new PipelineMetrics(p.meters(), connector, connection);
        this.breakers = p.breakers();
        this.breakerConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.breakerFailureRate())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindow())
                // Every call records its outcome: the synchronized window is a lock all callers share.
                .slidingWindowSynchronizationStrategy(
                        CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .waitDurationInOpenState(settings.breakerOpenWait())
                .clock(clock)
                .build();
        this.backoff = new Backoff(settings.backoffBase(), settings.backoffCap(), p.random());
        IntervalBiFunction<VendorResponse> interval = (attempt, outcome) -> {
            Throwable failure = outcome.isLeft() ? outcome.getLeft() : null;
            if (failure instanceof RetryableFailure f && f.serverWait != null) {
                return f.serverWait.toMillis(); // the server's wait wins over backoff
            }
            return backoff.delay(attempt).toMillis();
        };
        this.retry = Retry.of(
                connection,
                RetryConfig.<VendorResponse>custom()
                        .maxAttempts(settings.maxAttempts())
                        .retryOnException(t -> t instanceof RetryableFailure)
                        .intervalBiFunction(interval)
                        .failAfterMaxAttempts(false)
                        .build());
    }

    public String baseUrl() {
        return baseUrl.toString();
    }

    /** Closes the connection's idle pooled connections; calls still running finish. */
    public void close() {
        client.connectionPool().evictAll();
    }

    /**
     * This pipeline bound to one call.
     *
     * @param credentialKey the grant to use, or null for a connector that needs none
     * @param retrySafeAction whether the action being run declared itself safe to retry
     * @param callerInput whether the call's requests carry input the caller supplied (an action's
     *     input, a read's filter), unless a request declares otherwise
     */
    public VendorHttp bind(@Nullable String credentialKey, boolean retrySafeAction, boolean callerInput) {
        return new VendorHttp() {
            @Override
            public VendorResponse execute(VendorRequest request) {
                // The call's declarations fill in only where the request declares nothing itself.
                VendorRequest effective = request;
                if (retrySafeAction && request.declaredRetrySafe().isEmpty() && !request.retrySafe()) {
                    effective = effective.newBuilder().retrySafe(true).build();
                }
                if (request.declaredCallerInput().isEmpty()) {
                    effective = effective.newBuilder().callerInput(callerInput).build();
                }
                return ConnectionHttp.this.execute(effective, credentialKey);
            }

            @Override
            public String baseUrl() {
                return ConnectionHttp.this.baseUrl();
            }
        };
    }

    /**
     * A {@link VendorHttp} whose requests carry no caller input unless they say so: for metadata calls
     * (describe) made inside a read, whatever the read's filter.
     */
    public static VendorHttp withoutCallerInput(VendorHttp http) {
        return new VendorHttp() {
            @Override
            public VendorResponse execute(VendorRequest request) {
                return http.execute(
                        request.declaredCallerInput().isPresent()
                                ? request
                                : request.newBuilder().callerInput(false).build());
            }

            @Override
            public String baseUrl() {
                return http.baseUrl();
            }
        };
    }

    VendorResponse execute(VendorRequest given, @Nullable String credentialKey) {
        // An idempotency key makes a write retry-safe only where the vendor is known to honour it.
        VendorRequest request = honoursIdempotencyKeys
                        && given.idempotencyKey() != null
                        && given.declaredRetrySafe().isEmpty()
                ? given.newBuilder().retrySafe(true).build()
                : given;
        HttpUrl url = resolveOnBase(request); // fails fast on a malformed URL; re-resolved per credential
        String op = request.operation();
        String budgetKey = request.budgetKey() != null ? request.budgetKey() : connection;
        // Resilience4j's order, Retry(CircuitBreaker(RateLimiter(call))): an open breaker fails before a
        // budget token is taken or waited for. One breaker per vendor bucket, like the budget: a failing
        // search endpoint does not stop list reads.
        BreakerCall breaker = BreakerCall.acquire(breakers.circuitBreaker(budgetKey, breakerConfig));
        if (breaker == null) {
            throw circuitOpen(op, budgetKey, "is open after repeated failures; no request was sent");
        }
        RateBudget budget = budgetsInUse.computeIfAbsent(
                budgetKey, key -> budgets.get(key, connection, () -> budgetFor.apply(key)));
        WaitAllowance allowance = new WaitAllowance(settings.maxTotalWait());
        Retry.AsyncContext<VendorResponse> retryContext = retry.asyncContext();
        int attempt = 0;
        try {
            while (true) {
                attempt++;
                if (attempt > 1 && breaker.opened()) {
                    throw circuitOpen(
                            op, budgetKey, "opened while this call was retrying; no further request was sent");
                }
                try {
                    VendorResponse response = attempt(request, url, credentialKey, allowance, budget, breaker);
                    retryContext.onComplete();
                    return response;
                } catch (RetryableFailure failure) {
                    long delayMillis = retryContext.onError(failure);
                    if (delayMillis < 0) {
                        // Attempts exhausted: suggest the server's wait, else the next backoff ceiling.
                        throw failure.giveUp(
                                failure.serverWait != null ? failure.serverWait : backoff.ceiling(attempt + 1));
                    }
                    Duration delay = Duration.ofMillis(delayMillis);
                    if (delay.compareTo(allowance.left) > 0) {
                        throw failure.giveUp(delay);
                    }
                    metrics.retry(failure.kind.name());
                    metrics.wait(failure.serverWait != null ? "server" : "backoff", delay);
                    log.info(
                            "{} {}: {} on attempt {}; retrying in {} ms",
                            request.method(),
                            op,
                            failure.kind,
                            attempt,
                            delay.toMillis());
                    sleep(request, delay);
                    allowance.spend(delay);
                }
            }
        } finally {
            breaker.settle(); // one outcome per call, whatever its attempts
        }
    }

    /** What a quota probe learned: an OK lifts the pause; a quota answer renews it (in attempt). */
    private void probed(RateBudget budget, ResponseClass cls) {
        if (cls.kind() == ResponseClass.Kind.OK) {
            budget.quotaLifted();
            metrics.quotaProbe("lifted");
            log.info("The vendor's quota for '{}' is available again before its announced reset", budget.key());
        } else {
            metrics.quotaProbe(cls.kind() == ResponseClass.Kind.QUOTA_EXHAUSTED ? "spent" : "other");
        }
    }

    private CircuitOpenException circuitOpen(String op, String budgetKey, String what) {
        return new CircuitOpenException(
                connector, op, "the circuit breaker of '" + budgetKey + "' " + what, settings.breakerOpenWait());
    }

    /** What a call may still spend waiting, across budget waits, server waits and backoff. */
    private static final class WaitAllowance {
        private Duration left;

        WaitAllowance(Duration total) {
            this.left = total;
        }

        void spend(Duration wait) {
            left = left.minus(wait);
            if (left.isNegative()) {
                left = Duration.ZERO;
            }
        }
    }

    /** One permit of the budget for one request on the wire, waited for within the call's allowance. */
    private RateBudget.Permit permit(RateBudget budget, WaitAllowance allowance, String op, boolean probing) {
        try {
            RateBudget.Permit permit = budget.acquire(allowance.left, settings.quotaProbeInterval(), probing);
            if (!permit.waited().isZero()) {
                metrics.wait("budget", permit.waited());
                allowance.spend(permit.waited());
            }
            return permit;
        } catch (RateBudget.WaitTooLong e) {
            if (e.quotaUntil != null) {
                throw new QuotaExhaustedException(
                        connector,
                        op,
                        "the vendor's quota for '" + budget.key() + "' is spent (no request was sent)",
                        e.quotaUntil,
                        e.wait);
            }
            throw new RateLimitedException(
                    connector,
                    op,
                    "the rate budget '" + budget.key() + "' is spent for longer than this call may wait",
                    e.wait);
        } catch (InterruptedException e) {
            throw interrupted(op, e);
        }
    }

    private VendorResponse attempt(
            VendorRequest request,
            HttpUrl url,
            @Nullable String credentialKey,
            WaitAllowance allowance,
            RateBudget budget,
            BreakerCall breaker) {
        String op = request.operation();
        RateBudget.Permit permit = permit(budget, allowance, op, false);
        long start = System.nanoTime();
        try {
            Exchange exchange = exchange(request, url, credentialKey, budget, allowance, permit.probe());
            VendorResponse response = exchange.response;
            ResponseClass cls = exchange.cls;
            long elapsed = System.nanoTime() - start;
            if (permit.probe()) {
                probed(budget, cls);
            }
            signals.read(response, clock).ifPresent(budget::observe);
            switch (cls.kind()) {
                case OK:
                    breaker.healthy(elapsed);
                    return response;
                case THROTTLED: {
                    breaker.neutral(); // being told to slow down is not a vendor failure
                    metrics.throttled(cls.scope() == null ? "unknown" : cls.scope());
                    if (cls.retryAfter() != null) {
                        budget.pauseFor(cls.retryAfter());
                    }
                    String what = "the vendor throttled the request (" + cls + ")";
                    throw new RetryableFailure(
                            ResponseClass.Kind.THROTTLED,
                            cls.retryAfter(),
                            wait -> new RateLimitedException(connector, op, what, wait));
                }
                case QUOTA_EXHAUSTED: {
                    breaker.neutral();
                    Instant until = cls.until() == null ? clock.instant() : cls.until();
                    budget.pauseForQuota(until, settings.quotaProbeInterval());
                    Duration left = Duration.between(clock.instant(), until);
                    throw new QuotaExhaustedException(
                            connector,
                            op,
                            "the vendor's quota is spent (" + cls + ")",
                            until,
                            left.isNegative() ? Duration.ZERO : left);
                }
                case TRANSIENT: {
                    TransientException cause = new TransientException(
                            connector,
                            op,
                            "the vendor answered HTTP " + response.status() + " (" + cls + ")",
                            cls.retryAfter(),
                            null);
                    breaker.failed(elapsed, cause);
                    if (!request.retrySafe()) {
                        throw new OutcomeUnknownException(
                                connector,
                                op,
                                "the vendor answered HTTP " + response.status()
                                        + " to a request that is not safe to repeat; it may have been applied. Check the vendor's state before repeating it");
                    }
                    throw new RetryableFailure(ResponseClass.Kind.TRANSIENT, cls.retryAfter(), wait -> cause);
                }
                case INVALID_INPUT:
                    breaker.healthy(elapsed); // the vendor is healthy; the caller's input was wrong
                    if (!request.declaredCallerInput().orElse(true)) {
                        throw new PermanentException(
                                connector,
                                op,
                                "the vendor refused the request as invalid (HTTP " + response.status()
                                        + (cls.errorCode() == null ? "" : " " + cls.errorCode())
                                        + "), but it carried no input from the caller, so the caller has"
                                        + " nothing to fix: the connector's request or the vendor's"
                                        + " configuration is at fault",
                                response.status(),
                                cls.errorCode());
                    }
                    throw new InvalidInputException(
                            connector,
                            op,
                            "the vendor rejected the input: HTTP " + response.status()
                                    + (cls.errorCode() == null ? "" : " " + cls.errorCode()),
                            cls.violations(),
                            null);
                case AUTH_REJECTED:
                    breaker.neutral();
                    if (!exchange.credentialSent) {
                        // Authorizing again would change nothing: no credential goes with this request.
                        throw new PermanentException(
                                connector,
                                op,
                                "the vendor answered HTTP " + response.status() + " (" + cls + ") to a request"
                                        + " sent without a credential ("
                                        + (request.authenticated()
                                                ? "connector '" + connector + "' declares AuthKind.NONE"
                                                : "the connector built it with authenticated(false)")
                                        + "); configure the connection's credential, through a connector"
                                        + " that declares how its vendor authenticates: authorizing the"
                                        + " user again would change nothing",
                                response.status(),
                                cls.errorCode());
                    }
                    throw new ReauthorizationRequiredException(
                            connector,
                            op,
                            "the vendor rejected the credential again after a refresh (" + cls
                                    + "); the user must authorize this connection again");
                case PERMANENT:
                default:
                    breaker.healthy(elapsed); // the vendor is healthy; the request was wrong
                    throw new PermanentException(
                            connector,
                            op,
                            "the vendor refused the request: HTTP " + response.status()
                                    + (cls.errorCode() == null ? "" : " " + cls.errorCode())
                                    + (cls.message() == null ? "" : ": " + cls.message()),
                            response.status(),
                            cls.errorCode());
            }
        } catch (IOException e) {
            long elapsed = System.nanoTime() - start;
            metrics.request(request.method(), "IO_ERROR", ResponseClass.Kind.TRANSIENT.name(), elapsed);
            if (permit.probe()) {
                metrics.quotaProbe("other"); // the pause holds; the next probe goes after the interval
            }
            String what = describe(e);
            TransientException cause = new TransientException(connector, op, what, redacted(e));
            breaker.failed(elapsed, cause);
            if (e instanceof SentState s && s.sent && !request.retrySafe()) {
                throw new OutcomeUnknownException(
                        connector,
                        op,
                        what + " after the request may have reached the vendor, and it is"
                                + " not safe to repeat. Check the vendor's state before repeating it",
                        redacted(e));
            }
            if (log.isDebugEnabled()) { // the redacted URL is built only for a line that is written
                log.debug("{} {} failed: {}", request.method(), Redaction.url(url), what);
            }
            throw new RetryableFailure(ResponseClass.Kind.TRANSIENT, null, wait -> cause);
        } catch (MalformedBody e) {
            breaker.healthy(System.nanoTime() - start);
            if (!request.retrySafe()) {
                // The vendor answered, so it may have applied the request; its answer is lost to us.
                throw new OutcomeUnknownException(
                        connector,
                        op,
                        e.getMessage() + " to a request that is not safe to repeat;"
                                + " it may have been applied. Check the vendor's state before repeating it",
                        e.getCause());
            }
            if (e.truncated) {
                TransientException cause =
                        new TransientException(connector, op, String.valueOf(e.getMessage()), e.getCause());
                throw new RetryableFailure(ResponseClass.Kind.TRANSIENT, null, wait -> cause);
            }
            throw new PermanentException(
                    connector, op, e.getMessage() + "; nothing from this response was used", e.getCause());
        } catch (TooLarge e) {
            breaker.neutral(); // an answer, but one we did not read
            throw new PermanentException(connector, op, String.valueOf(e.getMessage()));
        }
    }

    private TransientException interrupted(String op, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new TransientException(connector, op, "interrupted while waiting", e);
    }

    private void sleep(VendorRequest request, Duration delay) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            throw interrupted(request.operation(), e);
        }
    }

    private record Exchange(VendorResponse response, ResponseClass cls, HttpUrl url, boolean credentialSent) {}

    /**
     * Where a request goes with this credential: relative URLs resolve against the credential's
     * base-URL attribute when the connector names one (Salesforce's {@code instance_url}).
     */
    private HttpUrl target(VendorRequest request, HttpUrl fallback, @Nullable Credential credential) {
        String attribute =
                baseUrlAttribute == null || credential == null ? null : credential.attribute(baseUrlAttribute);
        HttpUrl base = attribute == null ? null : HttpUrl.parse(attribute);
        return base == null ? fallback : resolve(request, base);
    }

    /**
     * Sends once, and once more with a refreshed credential if the first was rejected. The replay is a
     * second request on the wire, so it takes its own budget permit.
     */
    private Exchange exchange(
            VendorRequest request,
            HttpUrl url,
            @Nullable String credentialKey,
            RateBudget budget,
            WaitAllowance allowance,
            boolean probe)
            throws IOException {
        CredentialSource source = credentials;
        Credential credential = null;
        if (request.authenticated() && source != null && credentialKey != null) {
            credential = credential(request, () -> source.current(credentialKey));
        }
        Exchange exchange = sendAndClassify(request, target(request, url, credential), credential);
        if (exchange.cls.kind() == ResponseClass.Kind.AUTH_REJECTED
                && credential != null
                && source != null
                && credentialKey != null) {
            metrics.authReplay();
            long rejected = credential.version();
            log.info(
                    "{} {}: credential version {} rejected ({}); refreshing and replaying once",
                    request.method(),
                    request.operation(),
                    rejected,
                    exchange.cls);
            Credential fresh = credential(request, () -> source.refreshAfterRejection(credentialKey, rejected));
            permit(budget, allowance, request.operation(), probe);
            exchange = sendAndClassify(request, target(request, url, fresh), fresh);
        }
        return exchange;
    }

    /** One HTTP exchange, timed and counted whatever its outcome (a rejected credential included). */
    private Exchange sendAndClassify(VendorRequest request, HttpUrl target, @Nullable Credential credential)
            throws IOException {
        long start = System.nanoTime();
        VendorResponse response;
        try {
            response = send(request, target, credential);
        } catch (TooLarge e) {
            metrics.request(request.method(), Integer.toString(e.status), "TOO_LARGE", System.nanoTime() - start);
            throw e;
        }
        String status = Integer.toString(response.status());
        ResponseClass cls;
        try {
            cls = classify(response);
        } catch (MalformedBody e) {
            metrics.request(request.method(), status, "MALFORMED", System.nanoTime() - start);
            throw e;
        }
        long elapsed = System.nanoTime() - start;
        metrics.request(request.method(), status, cls.kind().name(), elapsed);
        if (log.isDebugEnabled()) { // the redacted URL is built only for a line that is written
            log.debug(
                    "{} {} -> {} {} in {} ms",
                    request.method(),
                    Redaction.url(target),
                    response.status(),
                    cls,
                    TimeUnit.NANOSECONDS.toMillis(elapsed));
        }
        return new Exchange(response, cls, target, credential != null);
    }

    private Credential credential(VendorRequest request, java.util.function.Supplier<Credential> supplier) {
        try {
            return supplier.get();
        } catch (ReauthorizationRequiredException e) {
            // Name our connector and operation; the source only knows the key.
            throw new ReauthorizationRequiredException(
                    connector, request.operation(), String.valueOf(e.getMessage()), e);
        }
    }

    private ResponseClass classify(VendorResponse response) {
        ResponseClass cls;
        try {
            cls = classifier.classify(response, clock);
        } catch (PermanentException e) {
            if (!(e.getCause() instanceof JsonFormatException malformed)) {
                throw e;
            }
            if (response.status() >= 400) {
                return ResponseClassifier.standard().classify(response, clock); // an HTML error page from a proxy
            }
            throw MalformedBody.of(malformed, response);
        }
        if (cls.kind() == ResponseClass.Kind.OK && response.isJson() && response.bodyLength() > 0) {
            try {
                response.json();
            } catch (PermanentException e) {
                if (!(e.getCause() instanceof JsonFormatException malformed)) {
                    throw e;
                }
                throw MalformedBody.of(malformed, response);
            }
        }
        return cls;
    }

    /** A body that is not the JSON its status promised. */
    private static final class MalformedBody extends RuntimeException {
        final boolean truncated;

        private MalformedBody(String message, boolean truncated, JsonFormatException cause) {
            super(message, cause, false, false);
            this.truncated = truncated;
        }

        static MalformedBody of(JsonFormatException e, VendorResponse response) {
            return new MalformedBody(
                    "the vendor answered HTTP " + response.status() + " with " + e.getMessage(), e.truncated(), e);
        }
    }

    private VendorResponse send(VendorRequest request, HttpUrl url, @Nullable Credential credential)
            throws IOException {
        // Any URL, not only the base: a vendor's pagination link or a credential's instance URL must not take
        // a request (and its credential) to plain http on another host.
        if (TransportSecurity.isPlainHttpToRemoteHost(url)) {
            if (!plainHttpAllowed) {
                throw refusedPlainHttp(request, plainHttpRefused(url.host()));
            }
            warnPlainHttp(url.host());
        }
        Request.Builder b = new Request.Builder().url(url);
        RequestBody requestBody = !request.hasBody()
                ? (requiresBody(request.method()) ? RequestBody.create(new byte[0], null) : null)
                : new BodyOf(request, mediaType(request.contentType()));
        b.method(request.method(), requestBody);
        request.headers().forEach(b::header);
        if (credential != null) {
            if (apiKeyHeader != null) {
                b.header(apiKeyHeader, credential.accessToken());
            } else {
                b.header("Authorization", "Bearer " + credential.accessToken());
            }
        }
        CallState state = new CallState();
        Call call = client.newCall(b.build());
        call.addEventListener(state); // added to the call: the application's own listener stays
        try (Response response = call.execute()) {
            byte[] bytes = readBounded(response);
            return new VendorResponse(
                    connector, request, url.toString(), response.code(), headersOf(response.headers()), bytes);
        } catch (RefusedPlainHttp e) {
            throw refusedPlainHttp(request, e.refusal);
        } catch (IOException e) {
            throw new SentState(e, state.mayHaveBeenSent());
        }
    }

    private InsecureTransportException plainHttpRefused(String host) {
        return TransportSecurity.plainHttpRefused(
                "connection '" + connection + "'", host, "ConnectionConfig.Builder.allowPlainHttp(true)");
    }

    private PermanentException refusedPlainHttp(VendorRequest request, InsecureTransportException refusal) {
        return new PermanentException(
                connector,
                request.operation(),
                "the request was refused and not sent: " + refusal.getMessage(),
                refusal);
    }

    private void warnPlainHttp(String host) {
        if (plainHttpHostsWarned.add(host)) {
            log.warn(
                    "Connection '{}' sends plain HTTP to {}, which is not a loopback host: allowed by its"
                            + " allowPlainHttp setting, so requests and credentials cross the network unencrypted",
                    connection,
                    host);
        }
    }

    /** A redirect to plain http on a host that is not loopback, refused before the request was written. */
    private static final class RefusedPlainHttp extends IOException {
        final InsecureTransportException refusal;

        RefusedPlainHttp(InsecureTransportException refusal) {
            super(refusal.getMessage(), refusal);
            this.refusal = refusal;
        }
    }

    /** A request's body as OkHttp sends it: written from the request's own bytes, never copied. */
    private static final class BodyOf extends RequestBody {
        private final VendorRequest request;
        private final @Nullable MediaType type;

        BodyOf(VendorRequest request, @Nullable MediaType type) {
            this.request = request;
            this.type = type;
        }

        @Override
        public @Nullable MediaType contentType() {
            return type;
        }

        @Override
        public long contentLength() {
            return request.bodyLength();
        }

        @Override
        public void writeTo(okio.BufferedSink sink) throws IOException {
            request.writeBody(sink.outputStream());
        }
    }

    /** The header pairs as received (name, value...): {@link VendorResponse} looks names up without case. */
    static List<String> headersOf(okhttp3.Headers received) {
        int n = received.size();
        String[] pairs = new String[n * 2];
        for (int i = 0; i < n; i++) {
            pairs[2 * i] = received.name(i);
            pairs[2 * i + 1] = received.value(i);
        }
        return java.util.Arrays.asList(pairs);
    }

    /** An I/O failure, with whether the request may have reached the vendor. */
    private static final class SentState extends IOException {
        final boolean sent;

        SentState(IOException cause, boolean sent) {
            super(cause.getMessage(), cause);
            this.sent = sent;
        }
    }

    private byte[] readBounded(Response response) throws IOException {
        long max = settings.maxResponseBytes();
        ResponseBody body = response.body();
        long declared = body.contentLength();
        if (declared > max) {
            throw new TooLarge(response.code(), declared + " bytes declared", max);
        }
        BufferedSource source = body.source();
        if (source.request(max + 1)) {
            throw new TooLarge(response.code(), "more than " + max + " bytes", max);
        }
        return source.readByteArray();
    }

    /** A response over the size bound; nothing of it was kept. */
    private static final class TooLarge extends RuntimeException {
        final int status;

        TooLarge(int status, String size, long max) {
            super(
                    "the response is too large (" + size + "; the bound is " + max
                            + " bytes): ask for smaller pages, or raise HttpSettings.maxResponseBytes",
                    null,
                    false,
                    false);
            this.status = status;
        }
    }

    /**
     * The request's URL: absolute as given, or its path appended to the base URL's path. A relative path is
     * resolved through {@link HttpUrl#newBuilder(String)}, which parses only the path and query and keeps the
     * base's scheme and host as they are (parsing {@code base + path} whole canonicalized the host on every
     * request: a tenth of a call's CPU in profiles).
     */
    private static HttpUrl resolve(VendorRequest request, HttpUrl base) {
        String given = request.url();
        if (!isAbsolute(given)) {
            return withQuery(onBase(base, given), request);
        }
        HttpUrl absolute = HttpUrl.parse(given);
        if (absolute == null) {
            throw new IllegalArgumentException("not a valid URL: " + given);
        }
        return withQuery(absolute.newBuilder(), request);
    }

    /** A relative URL on {@code base}; fails on one that is not valid. */
    private static HttpUrl.Builder onBase(HttpUrl base, String given) {
        HttpUrl.Builder b = base.newBuilder(joinToBasePath(base, given));
        if (b == null) {
            throw new IllegalArgumentException("not a valid URL: " + given);
        }
        return b;
    }

    /** The request's query added to {@code b}, built once: each build() renders the whole URL. */
    private static HttpUrl withQuery(HttpUrl.Builder b, VendorRequest request) {
        for (Map.Entry<String, String> e : request.query()) {
            b.addQueryParameter(e.getKey(), e.getValue());
        }
        return b.build();
    }

    /**
     * {@link #resolve} against the connection's own base URL, with the paths it resolved kept: a connector
     * asks for a few paths many times, and parsing one against the base was a tenth of a small call's CPU.
     * Only the first {@value #RESOLVED_PATHS} paths are kept, so paths carrying ids do not fill memory.
     */
    private HttpUrl resolveOnBase(VendorRequest request) {
        String given = request.url();
        if (isAbsolute(given)) {
            return resolve(request, baseUrl);
        }
        HttpUrl path = resolvedPaths.get(given);
        if (path == null) {
            path = onBase(baseUrl, given).build();
            if (resolvedPaths.size() < RESOLVED_PATHS) {
                resolvedPaths.putIfAbsent(given, path);
            }
        }
        return request.query().isEmpty() ? path : withQuery(path.newBuilder(), request);
    }

    private static final int RESOLVED_PATHS = 256;

    private static boolean isAbsolute(String url) {
        return url.startsWith("http://") || url.startsWith("https://");
    }

    /**
     * A path appended to the base URL's path, as an absolute path: base {@code https://h/api/v2} and
     * {@code /items} give {@code /api/v2/items}.
     */
    private static String joinToBasePath(HttpUrl baseUrl, String path) {
        String base = baseUrl.encodedPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + (path.startsWith("/") ? path : "/" + path);
    }

    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final MediaType JSON_MEDIA_TYPE = MediaType.get(JSON_TYPE);

    /** The body's media type; JSON, nearly every request's, parsed once. */
    private static @Nullable MediaType mediaType(@Nullable String contentType) {
        if (contentType == null) {
            return null;
        }
        return contentType.equals(JSON_TYPE) ? JSON_MEDIA_TYPE : MediaType.parse(contentType);
    }

    private static boolean requiresBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private static String describe(IOException e) {
        Throwable cause = e instanceof SentState && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof SocketTimeoutException) {
            return "the vendor did not answer in time (" + Redaction.message(String.valueOf(cause.getMessage())) + ")";
        }
        if (cause instanceof InterruptedIOException) {
            return "the call timed out";
        }
        return "the connection failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " (" + Redaction.message(cause.getMessage()) + ")");
    }

    /** The I/O cause with its message redacted, so no secret rides along in a stack trace. */
    private static IOException redacted(IOException e) {
        Throwable cause = e instanceof SentState && e.getCause() != null ? e.getCause() : e;
        IOException copy = new IOException(
                cause.getClass().getName() + ": " + Redaction.message(String.valueOf(cause.getMessage())));
        copy.setStackTrace(cause.getStackTrace());
        return copy;
    }
}
