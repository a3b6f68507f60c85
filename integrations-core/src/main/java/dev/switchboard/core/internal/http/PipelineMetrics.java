package dev.switchboard.core.internal.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's meters for one connection; names are documented in docs/metrics.md. Each meter is built and
 * registered once per tag set and kept: a request records into a map lookup, not a builder and a registry
 * search.
 */
final class PipelineMetrics {
    private final MeterRegistry registry;
    private final String connector;
    private final String connection;
    private final ConcurrentMap<RequestTags, Timer> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> waits = new ConcurrentHashMap<>();
    private final ConcurrentMap<CounterTags, Counter> counters = new ConcurrentHashMap<>();

    private record RequestTags(String method, String status, String outcome) {}

    private record CounterTags(String name, String description, String tagKey, String tagValue) {}

    PipelineMetrics(MeterRegistry registry, String connector, String connection) {
        this.registry = registry;
        this.connector = connector;
        this.connection = connection;
    }

    void request(String method, String status, String outcome, long nanos) {
        requests.computeIfAbsent(new RequestTags(method, status, outcome), this::requestTimer)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer requestTimer(RequestTags t) {
        return Timer.builder("switchboard.http.requests")
                .description("Requests sent to vendors, by status and response class")
                .tags(
                        "connector",
                        connector,
                        "connection",
                        connection,
                        "method",
                        t.method(),
                        "status",
                        t.status(),
                        "outcome",
                        t.outcome())
                .register(registry);
    }

    void retry(String reason) {
        counter("switchboard.http.retries", "Attempts repeated by the retry loop", "reason", reason)
                .increment();
    }

    void wait(String kind, Duration wait) {
        waits.computeIfAbsent(
                        kind,
                        k -> Timer.builder("switchboard.http.waits")
                                .description("Time spent waiting before a request: budget, server-requested, backoff")
                                .tags("connector", connector, "connection", connection, "kind", k)
                                .register(registry))
                .record(wait);
    }

    void throttled(String scope) {
        counter(
                        "switchboard.http.throttled",
                        "Answers classified THROTTLED (HTTP 429 and vendor equivalents)",
                        "scope",
                        scope)
                .increment();
    }

    /** A request let through a spent quota's pause; {@code outcome}: lifted, spent, or other. */
    void quotaProbe(String outcome) {
        counter(
                        "switchboard.http.quota.probes",
                        "Requests let through a spent quota's pause to see whether the vendor lifted it",
                        "outcome",
                        outcome)
                .increment();
    }

    void authReplay() {
        counter(
                        "switchboard.http.auth.replays",
                        "Requests replayed once after a rejected credential was refreshed",
                        "connector",
                        connector)
                .increment();
    }

    private Counter counter(String name, String description, String tagKey, String tagValue) {
        return counters.computeIfAbsent(
                new CounterTags(name, description, tagKey, tagValue),
                t -> Counter.builder(t.name())
                        .description(t.description())
                        .tags("connector", connector, "connection", connection)
                        .tag(t.tagKey(), t.tagValue())
                        .register(registry));
    }
}
