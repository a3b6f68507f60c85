package dev.switchboard.core.internal.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The pipeline's meters for one connection; names are documented in docs/metrics.md. */
final class PipelineMetrics {
    private final MeterRegistry registry;
    private final String connector;
    private final String connection;

    PipelineMetrics(MeterRegistry registry, String connector, String connection) {
        this.registry = registry;
        this.connector = connector;
        this.connection = connection;
    }

    void request(String method, String status, String outcome, long nanos) {
        Timer.builder("switchboard.http.requests")
                .description("Requests sent to vendors, by status and response class")
                .tags(
                        "connector",
                        connector,
                        "connection",
                        connection,
                        "method",
                        method,
                        "status",
                        status,
                        "outcome",
                        outcome)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    void retry(String reason) {
        counter("switchboard.http.retries", "Attempts repeated by the retry loop", "reason", reason)
                .increment();
    }

    void wait(String kind, Duration wait) {
        Timer.builder("switchboard.http.waits")
                .description("Time spent waiting before a request: budget, server-requested, backoff")
                .tags("connector", connector, "connection", connection, "kind", kind)
                .register(registry)
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
        return Counter.builder(name)
                .description(description)
                .tags("connector", connector, "connection", connection)
                .tag(tagKey, tagValue)
                .register(registry);
    }
}
